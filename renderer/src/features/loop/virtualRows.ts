/**
 * Which rows of a long list to put in the DOM, and where: the arithmetic behind the timeline's
 * virtualization, kept free of React and the DOM so it can be tested on its own. Positions are in
 * pixels from the top of the first row; rows are separated by `gap` (the list's CSS gap).
 */

/** One row to render: its place in the list and the empty space to leave above it. */
export interface VirtualRow {
  index: number;
  key: string;
  /**
   * Space for the rows not rendered between this one and the previous rendered one (or the top of
   * the list), on top of the list's gap.
   */
  spaceBefore: number;
}

export interface VirtualSnapshot {
  rows: readonly VirtualRow[];
  /** Space for the rows not rendered after the last rendered one. */
  spaceAfter: number;
  /** The height of every row and gap together. */
  totalSize: number;
  /** The gap between rows. */
  gap: number;
}

export type ScrollAlign = 'start' | 'center' | 'end';

export interface VirtualRowsOptions {
  /** The height assumed for a row that has not been on screen yet. */
  estimateSize: number;
  /** How many viewport heights to render above and below what is visible. */
  overscanScreens: number;
  /** The least to render above and below, in pixels, for a viewport squeezed small. */
  overscanMin?: number;
  /** The viewport height assumed until the real one is known. */
  initialViewportHeight?: number;
}

/** Two key lists with the same keys in the same order. */
function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The state of a virtualized list: the keys, the heights measured so far (by key, so they survive
 * rows being added or removed), the viewport, and one row kept rendered whatever the scroll (the
 * one holding focus). Listeners hear when the rows to render change.
 */
export class VirtualRows {
  private readonly options: Required<VirtualRowsOptions>;
  private keys: readonly string[] = [];
  private readonly sizes = new Map<string, number>();
  /** starts[i] is where row i begins; starts[count] is where a next row would begin. */
  private starts: Float64Array = new Float64Array(1);
  private layoutDirty = true;
  /** The viewport's top; `Infinity` until known means "at the end", where a loop opens. */
  private scrollTop = Number.POSITIVE_INFINITY;
  private viewportHeight: number;
  private gap = 0;
  private keepKey: string | null = null;
  private snapshot: VirtualSnapshot | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(options: VirtualRowsOptions) {
    this.options = { initialViewportHeight: 800, overscanMin: 0, ...options };
    this.viewportHeight = this.options.initialViewportHeight;
  }

  /** For `useSyncExternalStore`: called whenever the rows to render may have changed. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * The rows to render for these keys; the same object until something that matters changes, as
   * `useSyncExternalStore` requires.
   */
  snapshotFor(keys: readonly string[], keepKey: string | null = null): VirtualSnapshot {
    if (!sameKeys(keys, this.keys)) {
      this.keys = keys;
      this.layoutDirty = true;
      this.snapshot = null;
    }
    if (keepKey !== this.keepKey) {
      this.keepKey = keepKey;
      this.snapshot = null;
    }
    this.snapshot ??= this.computeSnapshot();
    return this.snapshot;
  }

  get count(): number {
    return this.keys.length;
  }

  /** Where the viewport is, in list coordinates. Returns whether the rows to render changed. */
  setViewport(top: number, height: number): boolean {
    if (top === this.scrollTop && height === this.viewportHeight) return false;
    this.scrollTop = top;
    if (height > 0) this.viewportHeight = height;
    return this.refresh();
  }

  setGap(gap: number): void {
    if (gap === this.gap || !Number.isFinite(gap)) return;
    this.gap = gap;
    this.layoutDirty = true;
    this.refresh();
  }

  /**
   * Records measured heights. Returns how far the content in view moved down because rows that
   * start above the viewport changed height: scrolling by that much keeps what the person reads
   * where it was.
   */
  measure(measured: Iterable<{ key: string; size: number }>): number {
    // Compared with the layout as it was before this batch: that is what is on screen now.
    const top = this.clampedTop();
    const starts = this.starts;
    let indexOf: Map<string, number> | null = null;
    let shift = 0;
    for (const { key, size } of measured) {
      const before = this.sizeOfKey(key);
      if (Math.abs(size - before) < 0.5) {
        if (!this.sizes.has(key)) this.sizes.set(key, size);
        continue;
      }
      indexOf ??= new Map(this.keys.map((candidate, index) => [candidate, index]));
      const index = indexOf.get(key);
      if (index !== undefined && starts[index]! < top) shift += size - before;
      this.sizes.set(key, size);
      this.layoutDirty = true;
    }
    if (indexOf !== null) this.refresh();
    return shift;
  }

  /** Where to scroll (list coordinates) to show row `index` aligned as asked. */
  offsetOf(index: number, align: ScrollAlign = 'start'): number {
    const count = this.keys.length;
    if (count === 0) return 0;
    const row = Math.min(Math.max(index, 0), count - 1);
    const start = this.start(row);
    const size = this.sizeAt(row);
    const target =
      align === 'start'
        ? start
        : align === 'end'
          ? start + size - this.viewportHeight
          : start + size / 2 - this.viewportHeight / 2;
    return Math.max(0, Math.min(target, this.totalSize() - this.viewportHeight));
  }

  /** The height of every row and gap together. */
  totalSize(): number {
    const count = this.keys.length;
    if (count === 0) return 0;
    this.layout();
    return this.starts[count]! - this.gap;
  }

  private sizeOfKey(key: string): number {
    return this.sizes.get(key) ?? this.options.estimateSize;
  }

  private sizeAt(index: number): number {
    return this.sizeOfKey(this.keys[index]!);
  }

  private start(index: number): number {
    this.layout();
    return this.starts[index]!;
  }

  private layout(): void {
    if (!this.layoutDirty) return;
    const count = this.keys.length;
    const starts = new Float64Array(count + 1);
    for (let index = 0; index < count; index += 1) {
      starts[index + 1] = starts[index]! + this.sizeAt(index) + this.gap;
    }
    this.starts = starts;
    this.layoutDirty = false;
  }

  private clampedTop(): number {
    return Math.max(0, Math.min(this.scrollTop, this.totalSize() - this.viewportHeight));
  }

  /** First row whose bottom is below `y` (binary search over the starts). */
  private firstEndingAfter(y: number): number {
    let low = 0;
    let high = this.keys.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle + 1]! - this.gap > y) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** Last row whose top is above `y`. */
  private lastStartingBefore(y: number): number {
    let low = 0;
    let high = this.keys.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.starts[middle]! < y) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private computeSnapshot(): VirtualSnapshot {
    const count = this.keys.length;
    if (count === 0) return { rows: [], spaceAfter: 0, totalSize: 0, gap: this.gap };
    this.layout();
    const top = this.clampedTop();
    const overscan = Math.max(this.viewportHeight * this.options.overscanScreens, this.options.overscanMin);
    const first = this.firstEndingAfter(top - overscan);
    const last = Math.max(first, this.lastStartingBefore(top + this.viewportHeight + overscan));
    const indexes: number[] = [];
    const kept = this.keepKey === null ? -1 : this.keys.indexOf(this.keepKey);
    if (kept >= 0 && kept < first) indexes.push(kept);
    for (let index = first; index <= last; index += 1) indexes.push(index);
    if (kept > last) indexes.push(kept);

    const rows: VirtualRow[] = [];
    let end = 0;
    for (const index of indexes) {
      const start = this.starts[index]!;
      rows.push({
        index,
        key: this.keys[index]!,
        spaceBefore: rows.length === 0 ? start : start - end - this.gap,
      });
      end = start + this.sizeAt(index);
    }
    const totalSize = this.starts[count]! - this.gap;
    return { rows, spaceAfter: totalSize - end, totalSize, gap: this.gap };
  }

  /** Recomputes the rows to render and tells listeners if they differ. */
  private refresh(): boolean {
    if (this.snapshot === null) return false;
    const next = this.computeSnapshot();
    if (sameSnapshot(this.snapshot, next)) return false;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
    return true;
  }
}

function sameSnapshot(a: VirtualSnapshot, b: VirtualSnapshot): boolean {
  if (
    a.spaceAfter !== b.spaceAfter ||
    a.totalSize !== b.totalSize ||
    a.gap !== b.gap ||
    a.rows.length !== b.rows.length
  ) {
    return false;
  }
  return a.rows.every((row, index) => {
    const other = b.rows[index]!;
    return row.index === other.index && row.key === other.key && row.spaceBefore === other.spaceBefore;
  });
}
