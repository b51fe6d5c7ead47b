import { describe, expect, it } from 'vitest';
import { AsyncCache, Emitter, LatestOnly, Sequencer } from './async';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('Sequencer', () => {
  it('runs one operation at a time, in order, and goes on after one fails', async () => {
    const sequencer = new Sequencer();
    const log: string[] = [];
    const slow = sequencer.run(async () => {
      log.push('slow start');
      await tick();
      log.push('slow end');
      return 1;
    });
    const failing = sequencer.run(async () => {
      log.push('failing');
      throw new Error('no');
    });
    const fast = sequencer.run(async () => {
      log.push('fast');
      return 3;
    });
    expect(sequencer.busy).toBe(true);
    await expect(slow).resolves.toBe(1);
    await expect(failing).rejects.toThrow('no');
    await expect(fast).resolves.toBe(3);
    expect(log).toEqual(['slow start', 'slow end', 'failing', 'fast']);
    await sequencer.idle();
    expect(sequencer.busy).toBe(false);
  });
});

describe('AsyncCache', () => {
  it('opens a key once for everyone who asks, and forgets a failed opening', async () => {
    let opened = 0;
    let fail = true;
    const open = async (key: string) => {
      opened += 1;
      await tick();
      if (fail) throw new Error(`cannot open ${key}`);
      return `${key}!`;
    };
    const cache = new AsyncCache<string, string>();
    const [a, b] = [cache.get('x', open), cache.get('x', open)];
    await expect(a).rejects.toThrow('cannot open x');
    await expect(b).rejects.toThrow('cannot open x');
    expect(opened).toBe(1);
    expect(cache.peek('x')).toBeUndefined();
    fail = false;
    await expect(cache.get('x', open)).resolves.toBe('x!');
    await expect(cache.get('x', open)).resolves.toBe('x!');
    expect(opened).toBe(2);
    expect(cache.peek('y')).toBeUndefined();
    cache.delete('x');
    await cache.get('x', open);
    expect(opened).toBe(3);
    const kept = cache.set('y', Promise.reject(new Error('gone')));
    await expect(kept).rejects.toThrow('gone');
    expect(cache.peek('y')).toBeUndefined();
  });
});

describe('Emitter', () => {
  it('tells each listener until it unsubscribes, even when another throws', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    const stop = emitter.subscribe((value) => heard.push(value));
    const stopBroken = emitter.subscribe(() => {
      throw new Error('broken');
    });
    expect(() => emitter.emit(1)).toThrow('broken');
    stopBroken();
    emitter.emit(2);
    stop();
    emitter.emit(3);
    expect(heard).toEqual([1, 2]);
  });
});

describe('LatestOnly', () => {
  it('keeps only the answer of the latest request', async () => {
    const latest = new LatestOnly();
    const shown: string[] = [];
    const ask = async (answer: string, delay: number) => {
      const isLatest = latest.begin();
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (isLatest()) shown.push(answer);
    };
    await Promise.all([ask('old', 20), ask('new', 1)]);
    expect(shown).toEqual(['new']);
    const isLatest = latest.begin();
    latest.cancel();
    expect(isLatest()).toBe(false);
  });
});
