/**
 * Four small helpers for work that overlaps in time, used by the engine and the workspace alike
 * (they need nothing of Node or the DOM): one thing at a time, a cache of what is being opened that
 * forgets failures, listeners that can be removed, and "only the latest request's answer counts".
 */

/** Runs operations one at a time, in the order asked; one that fails does not stop the next. */
export class Sequencer {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  run<T>(operation: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(operation, operation);
    this.tail = result.then(
      () => void (this.pending -= 1),
      () => void (this.pending -= 1),
    );
    return result;
  }

  /** Whether an operation is running or waiting. */
  get busy(): boolean {
    return this.pending > 0;
  }

  /** Resolves when everything asked so far has finished (successfully or not). */
  async idle(): Promise<void> {
    await this.tail;
  }
}

/**
 * Values opened once per key and shared by everyone who asks meanwhile; an opening that fails is
 * forgotten, so the next ask tries again (a file that was locked, a disk that came back).
 */
export class AsyncCache<K, V> {
  private readonly entries = new Map<K, Promise<V>>();

  /** The value for `key`, opened with `open` when it is not there yet. */
  get(key: K, open: (key: K) => Promise<V>): Promise<V> {
    return this.entries.get(key) ?? this.set(key, open(key));
  }

  /** Keeps a value being opened elsewhere (forgotten too if it fails). */
  set(key: K, entry: Promise<V>): Promise<V> {
    this.entries.set(key, entry);
    entry.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }

  /** The value being opened or opened for `key`, without opening it. */
  peek(key: K): Promise<V> | undefined {
    return this.entries.get(key);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  values(): IterableIterator<Promise<V>> {
    return this.entries.values();
  }
}

/** Listeners of one kind of change; `subscribe` returns the function that removes the listener. */
export class Emitter<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells every listener; one that throws does not keep the others from hearing. */
  emit(value: T): void {
    let failure: unknown;
    let failed = false;
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        failure ??= error;
        failed = true;
      }
    }
    if (failed) throw failure;
  }
}

/**
 * "Latest request wins": each `begin()` starts a request and returns a check that stays true only
 * while no later request has begun, so an answer that arrives after a newer request is dropped.
 */
export class LatestOnly {
  private latest = 0;

  begin(): () => boolean {
    const mine = ++this.latest;
    return () => mine === this.latest;
  }

  /** Drops the answers of every request begun so far. */
  cancel(): void {
    this.latest += 1;
  }
}
