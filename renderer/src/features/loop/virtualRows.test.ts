import { describe, expect, it, vi } from 'vitest';
import { VirtualRows, type VirtualSnapshot } from './virtualRows';

const keysOf = (count: number) => Array.from({ length: count }, (_, index) => `row-${index}`);

/** Where each rendered row ends up once laid out as the timeline does (flex column with a gap). */
function placed(snapshot: VirtualSnapshot, sizeOf: (index: number) => number, gap: number) {
  const positions: { index: number; top: number }[] = [];
  let y = 0;
  snapshot.rows.forEach((row, position) => {
    if (position > 0) y += gap;
    y += row.spaceBefore;
    positions.push({ index: row.index, top: y });
    y += sizeOf(row.index);
  });
  return { positions, bottom: y + snapshot.spaceAfter };
}

describe('VirtualRows', () => {
  it('opens at the end of a long list and renders only a window of it', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 2, initialViewportHeight: 500 });
    const snapshot = rows.snapshotFor(keysOf(5000));
    // 500 px of viewport and two screens of overscan above it: 15 rows of 100 px, at the end.
    expect(snapshot.rows.length).toBeLessThanOrEqual(16);
    expect(snapshot.rows.at(-1)?.index).toBe(4999);
    expect(snapshot.totalSize).toBe(500_000);
    expect(snapshot.spaceAfter).toBe(0);
    expect(snapshot.rows[0]?.spaceBefore).toBe(snapshot.rows[0]!.index * 100);
  });

  it('renders the top when scrolled to the top, with the rest as space after', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 1 });
    rows.snapshotFor(keysOf(5000));
    rows.setViewport(0, 400);
    const snapshot = rows.snapshotFor(keysOf(5000));
    expect(snapshot.rows.map((row) => row.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(snapshot.rows[0]?.spaceBefore).toBe(0);
    expect(snapshot.spaceAfter).toBe(500_000 - 800);
  });

  it('renders at least the minimum overscan around a viewport squeezed small', () => {
    const rows = new VirtualRows({
      estimateSize: 100,
      overscanScreens: 2,
      overscanMin: 1000,
      initialViewportHeight: 180,
    });
    const snapshot = rows.snapshotFor(keysOf(5000));
    expect(snapshot.rows.map((row) => row.index)).toEqual(Array.from({ length: 12 }, (_, n) => 4988 + n));
  });

  it('keeps the same snapshot while nothing that matters changes, and tells listeners when it does', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 1 });
    const listener = vi.fn();
    rows.subscribe(listener);
    const first = rows.snapshotFor(keysOf(100));
    // Another array with the same keys (a streamed word rebuilt the list): nothing to redo.
    expect(rows.snapshotFor(keysOf(100))).toBe(first);
    expect(rows.setViewport(50, 400)).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
    // Scrolling within the same rows changes nothing.
    expect(rows.setViewport(51, 400)).toBe(false);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(rows.snapshotFor(keysOf(100))).not.toBe(first);
  });

  it('places every rendered row where the full list would have it, gaps and measured heights included', () => {
    const gap = 14;
    const real = (index: number) => 60 + ((index * 37) % 200);
    const rows = new VirtualRows({ estimateSize: 150, overscanScreens: 1 });
    const keys = keysOf(300);
    rows.snapshotFor(keys);
    rows.setGap(gap);
    rows.setViewport(5000, 600);
    // Measure whatever is rendered, scroll on, and measure again: a mix of measured and estimated rows.
    for (const top of [5000, 9000, 2000]) {
      rows.setViewport(top, 600);
      const snapshot = rows.snapshotFor(keys);
      rows.measure(snapshot.rows.map((row) => ({ key: row.key, size: real(row.index) })));
    }
    rows.setViewport(5200, 600);
    const snapshot = rows.snapshotFor(keys);
    const sizeOf = (index: number) => (snapshot.rows.some((row) => row.index === index) ? real(index) : 0);
    rows.measure(snapshot.rows.map((row) => ({ key: row.key, size: real(row.index) })));
    const after = rows.snapshotFor(keys);
    const layout = placed(after, sizeOf, gap);
    for (const { index, top } of layout.positions) {
      expect(top).toBeCloseTo(rows.offsetOf(index, 'start'), 5);
    }
    expect(layout.bottom).toBeCloseTo(after.totalSize, 5);
    // The viewport is covered.
    const first = layout.positions[0]!;
    const last = layout.positions.at(-1)!;
    expect(first.top).toBeLessThanOrEqual(5200);
    expect(last.top + real(last.index)).toBeGreaterThanOrEqual(5800);
  });

  it('says how far to scroll when rows above the viewport turn out taller or shorter', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 1 });
    const keys = keysOf(50);
    rows.snapshotFor(keys);
    rows.setViewport(1000, 300);
    // Row 5 (above), row 10 (starts right at the top: not above), row 20 (below).
    const shift = rows.measure([
      { key: 'row-5', size: 180 },
      { key: 'row-10', size: 300 },
      { key: 'row-20', size: 40 },
    ]);
    expect(shift).toBe(80);
    // Measuring the same heights again moves nothing.
    expect(rows.measure([{ key: 'row-5', size: 180 }])).toBe(0);
  });

  it('keeps measured heights by key when rows are added before them', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 1 });
    rows.snapshotFor(['a', 'b']);
    rows.measure([{ key: 'b', size: 300 }]);
    rows.snapshotFor(['new', 'a', 'b']);
    rows.setViewport(0, 100);
    expect(rows.offsetOf(2, 'start')).toBe(200);
    expect(rows.totalSize()).toBe(500);
  });

  it('scrolls to a row aligned at the start, centre or end, within the list', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 1 });
    rows.snapshotFor(keysOf(100));
    rows.setViewport(0, 400);
    expect(rows.offsetOf(50, 'start')).toBe(5000);
    expect(rows.offsetOf(50, 'center')).toBe(5050 - 200);
    expect(rows.offsetOf(50, 'end')).toBe(5100 - 400);
    expect(rows.offsetOf(0, 'center')).toBe(0);
    expect(rows.offsetOf(99, 'start')).toBe(10_000 - 400);
    rows.setViewport(rows.offsetOf(50, 'center'), 400);
    expect(rows.snapshotFor(keysOf(100)).rows.map((row) => row.index)).toContain(50);
  });

  it('keeps the focused row rendered, in order, wherever the viewport is', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 0 });
    const keys = keysOf(1000);
    rows.snapshotFor(keys);
    rows.setViewport(50_000, 300);
    const snapshot = rows.snapshotFor(keys, 'row-3');
    expect(snapshot.rows.map((row) => row.index)).toEqual([3, 500, 501, 502]);
    expect(snapshot.rows[0]?.spaceBefore).toBe(300);
    expect(snapshot.rows[1]?.spaceBefore).toBe(50_000 - 400);
    const below = rows.snapshotFor(keys, 'row-900');
    expect(below.rows.map((row) => row.index)).toEqual([500, 501, 502, 900]);
    expect(below.rows[3]?.spaceBefore).toBe(90_000 - 50_300);
    expect(below.spaceAfter).toBe(100_000 - 90_100);
  });

  it('renders nothing for an empty list', () => {
    const rows = new VirtualRows({ estimateSize: 100, overscanScreens: 1 });
    expect(rows.snapshotFor([])).toEqual({ rows: [], spaceAfter: 0, totalSize: 0, gap: 0 });
    expect(rows.offsetOf(3, 'center')).toBe(0);
  });
});
