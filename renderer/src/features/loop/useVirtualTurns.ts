import { useLayoutEffect, useState, useSyncExternalStore, type RefObject } from 'react';
import { VirtualRows, type ScrollAlign, type VirtualSnapshot } from './virtualRows';

/** How close to the bottom still counts as "at the bottom", in pixels. */
const stickThreshold = 48;

/**
 * Whether the browser keeps what is in view in place when content above it changes height (CSS
 * scroll anchoring: Chromium, so always in Electron, and Firefox). It does so without cutting short
 * a smooth scroll (wheel, arrow keys), which setting `scrollTop` would; elsewhere the hook does it.
 */
const nativeAnchoring = typeof CSS !== 'undefined' && CSS.supports('overflow-anchor', 'auto');

/**
 * Connects a `VirtualRows` to the DOM: the scroll container's position and size, the rows' heights
 * (one `ResizeObserver` for all of them), following the end while the AI writes, and scrolling to a
 * row that may not be rendered yet.
 */
export class TurnScroller {
  readonly model: VirtualRows;
  private following = true;
  /** A row asked for with `scrollToIndex`: kept in place as heights arrive, until the person scrolls. */
  private target: { index: number; align: ScrollAlign } | null = null;
  /** Where row 0 begins inside the scroll container's content (the list's padding). */
  private listOffset = 0;
  private lastScrollTop = 0;
  /** Set once the person has scrolled, pointed or pressed a key in the timeline themselves. */
  private personScrolls = false;
  private observer: ResizeObserver | null = null;
  private readonly listeners = new Set<() => void>();
  /** Inside the ResizeObserver's callback, where React must not change the DOM. */
  private resizing = false;
  private notifyScheduled = false;

  constructor(
    model: VirtualRows,
    private readonly scrollRef: RefObject<HTMLElement | null>,
    private readonly listRef: RefObject<HTMLElement | null>,
  ) {
    this.model = model;
    model.subscribe(() => this.changed());
  }

  /** For `useSyncExternalStore`: the model's changes, held back while sizes are being reported. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Rendering rows while the ResizeObserver reports sizes would resize what it observes within its
   * own callback (a "ResizeObserver loop" error, and sizes reported a frame late): so the rows a
   * measurement calls for render at the next frame, while the scroll position is fixed at once.
   */
  private changed(): void {
    if (!this.resizing) {
      for (const listener of this.listeners) listener();
      return;
    }
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    requestAnimationFrame(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  /** Starts listening to the scroll container; returns the clean-up. */
  attach = (): (() => void) => {
    const scroller = this.scrollRef.current;
    const list = this.listRef.current;
    if (!scroller) return () => undefined;
    this.measureFrame();
    const onScroll = () => {
      const top = scroller.scrollTop;
      const distance = scroller.scrollHeight - top - scroller.clientHeight;
      // Content growing below never unsticks: only the person scrolling up does.
      if (distance < stickThreshold) this.following = true;
      // Only the person leaves the end: the browser also moves scrollTop up on its own when the
      // layout around the timeline settles (a folded intent, a composer finding its height).
      else if (top < this.lastScrollTop - 1 && this.personScrolls) this.following = false;
      this.lastScrollTop = top;
      this.syncViewport();
    };
    // Any scrolling of the person's own ends a scroll to a row.
    const onInput = () => {
      this.target = null;
      this.personScrolls = true;
    };
    // Home and End on the list itself go to its true ends at once: a smooth scroll there would aim
    // at where the estimated heights put them.
    const onKeyDown = (event: KeyboardEvent) => {
      this.target = null;
      this.personScrolls = true;
      if (event.target !== scroller || event.altKey || event.metaKey || event.shiftKey) return;
      if (event.key === 'Home') {
        event.preventDefault();
        this.scrollToIndex(0, 'start');
      } else if (event.key === 'End') {
        event.preventDefault();
        this.followBottom();
      }
    };
    scroller.addEventListener('scroll', onScroll, { passive: true });
    scroller.addEventListener('keydown', onKeyDown);
    const inputs = ['wheel', 'touchstart', 'pointerdown'] as const;
    for (const type of inputs) scroller.addEventListener(type, onInput, { passive: true });
    const observer = this.getObserver();
    observer?.observe(scroller);
    if (list) observer?.observe(list);
    if (this.following) this.toBottom();
    else this.syncViewport();
    return () => {
      scroller.removeEventListener('scroll', onScroll);
      scroller.removeEventListener('keydown', onKeyDown);
      for (const type of inputs) scroller.removeEventListener(type, onInput);
      this.observer?.disconnect();
      this.observer = null;
    };
  };

  /** The ref callback of each row (which carries its key in `data-row-key`): measures it while it is rendered. */
  measureRef = (element: HTMLElement | null): (() => void) | undefined => {
    const observer = this.getObserver();
    if (!element || !observer) return undefined;
    observer.observe(element);
    return () => observer.unobserve(element);
  };

  scrollToIndex = (index: number, align: ScrollAlign = 'start'): void => {
    this.following = false;
    this.target = { index, align };
    this.scrollTo(this.targetOffset(this.target));
  };

  /** Goes to the end and follows it from now on, until the person scrolls up. */
  followBottom = (): void => {
    this.following = true;
    this.target = null;
    this.toBottom();
  };

  /** After the rows changed: stays at the end if following, else keeps the viewport in sync. */
  settle = (shift = 0): void => {
    const scroller = this.scrollRef.current;
    if (!scroller) return;
    if (this.following) this.toBottom();
    else if (this.target) this.scrollTo(this.targetOffset(this.target));
    else if (shift !== 0 && !nativeAnchoring) this.scrollTo(scroller.scrollTop + shift);
    else this.syncViewport();
  };

  /** Where the scroll container goes for a target row; the first row at the start is the very top. */
  private targetOffset({ index, align }: { index: number; align: ScrollAlign }): number {
    const offset = this.model.offsetOf(index, align);
    return offset === 0 ? 0 : this.listOffset + offset;
  }

  private getObserver(): ResizeObserver | null {
    if (this.observer || typeof ResizeObserver === 'undefined') return this.observer;
    this.observer = new ResizeObserver((entries) => this.onResize(entries));
    return this.observer;
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    this.resizing = true;
    try {
      this.applySizes(entries);
    } finally {
      this.resizing = false;
    }
  }

  private applySizes(entries: ResizeObserverEntry[]): void {
    // A hidden timeline (the Draft tab of a narrow window) reports every row as 0 high: those are
    // not its sizes, and it is measured again when it shows.
    if (this.scrollRef.current?.getClientRects().length === 0) return;
    const measured: { key: string; size: number }[] = [];
    for (const entry of entries) {
      const element = entry.target as HTMLElement;
      const key = element.dataset['rowKey'];
      if (key !== undefined) {
        measured.push({ key, size: entry.borderBoxSize?.[0]?.blockSize ?? element.offsetHeight });
      } else if (element === this.scrollRef.current) {
        // The window was resized (or a notice appeared): paddings and the viewport may differ.
        this.measureFrame();
      }
    }
    this.settle(this.model.measure(measured));
  }

  /** Reads the list's gap and where its first row begins inside the scroll container. */
  private measureFrame(): void {
    const scroller = this.scrollRef.current;
    const list = this.listRef.current;
    if (!scroller || !list) return;
    const style = getComputedStyle(list);
    this.model.setGap(parseFloat(style.rowGap) || 0);
    this.listOffset =
      list.getBoundingClientRect().top -
      scroller.getBoundingClientRect().top -
      scroller.clientTop +
      scroller.scrollTop +
      (parseFloat(style.paddingTop) || 0);
  }

  private syncViewport(): void {
    const scroller = this.scrollRef.current;
    if (scroller) this.model.setViewport(scroller.scrollTop - this.listOffset, scroller.clientHeight);
  }

  /**
   * Scrolls and tells the model at once rather than on the scroll event a frame later, so the rows
   * for the new position render before the browser paints the empty space there.
   */
  private scrollTo(top: number): void {
    const scroller = this.scrollRef.current;
    if (!scroller) return;
    scroller.scrollTop = top;
    this.lastScrollTop = scroller.scrollTop;
    this.syncViewport();
  }

  private toBottom(): void {
    const scroller = this.scrollRef.current;
    if (scroller) this.scrollTo(scroller.scrollHeight);
  }
}

export interface VirtualTurnsOptions {
  /** One stable key per row, in order. */
  keys: readonly string[];
  /** The scroll container. */
  scrollRef: RefObject<HTMLElement | null>;
  /** The element the rows are rendered in (its CSS gap separates them). */
  listRef: RefObject<HTMLElement | null>;
  /** A row to keep rendered wherever the scroll is (the one holding focus). */
  keepKey?: string | null;
  /** The height assumed for a row not measured yet. */
  estimateSize?: number;
  /** How many screens to render above and below the visible ones. */
  overscanScreens?: number;
  /** The least to render above and below, in pixels (the timeline can be squeezed to a few lines). */
  overscanMin?: number;
}

export interface VirtualTurns {
  /** The rows to render, with the space to leave for the others. */
  snapshot: VirtualSnapshot;
  /** Scrolling and measuring; the same object for the life of the list. */
  controls: Pick<TurnScroller, 'measureRef' | 'scrollToIndex' | 'followBottom' | 'settle'>;
}

/**
 * Virtualizes a long list of variable-height rows inside a scroll container: only the rows within a
 * few screens of the viewport are rendered, unmeasured rows count as `estimateSize`, measured rows
 * keep their height when they leave, and the space of the rest is left empty so the scrollbar stays
 * true. It opens at the end and follows the end while the person is there.
 *
 * Render each row with `key`, `data-row-key={row.key}` and `ref={controls.measureRef}`, and an
 * empty spacer element before it for `row.spaceBefore` (and after the last for
 * `snapshot.spaceAfter`): spacers rather than margins, because the browser's scroll anchoring
 * makes up for a spacer changing above the content in view, but gives up when margins change on it.
 */
export function useVirtualTurns({
  keys,
  scrollRef,
  listRef,
  keepKey = null,
  estimateSize = 200,
  overscanScreens = 2,
  overscanMin = 1200,
}: VirtualTurnsOptions): VirtualTurns {
  const [controls] = useState(
    () =>
      new TurnScroller(new VirtualRows({ estimateSize, overscanScreens, overscanMin }), scrollRef, listRef),
  );
  const snapshot = useSyncExternalStore(controls.subscribe, () => controls.model.snapshotFor(keys, keepKey));
  useLayoutEffect(() => controls.attach(), [controls]);
  return { snapshot, controls };
}
