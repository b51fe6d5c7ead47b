/**
 * A loop of 5,000 turns, written straight to disk as Keel stores it: it opens at its end with only a
 * window of turns in the DOM, scrolls to its first turn, follows an answer streaming in without
 * rendering any other turn again, and opens at a turn a memory links to.
 *
 * Renders are counted in the production build without instrumenting it: a stand-in for the React
 * DevTools hook (which React calls on every commit, in production too) walks the committed tree
 * and counts a turn's view as rendered whenever its hooks are new objects (a bailed-out component
 * keeps its previous ones).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { Turn } from '../../shared/domain';
import { makeLibrary } from '../bench/library';
import { expect, test, type LaunchHost } from './fixtures';

interface TurnRenders {
  /** Renders (mounts included) of each turn's view, by turn id, since the last reset. */
  byTurn: Record<string, number>;
  reset(): void;
}

/**
 * The page's globals used here, typed loosely: this file is compiled for Node, without the DOM's
 * types. (Each function sent to the page casts `globalThis` itself: it runs there, not here.)
 */
interface PageScope {
  __turnRenders?: TurnRenders;
  __pageErrors?: string[];
  addEventListener(type: 'error', listener: (event: { message: string }) => void): void;
}

/** Errors the page reported (a ResizeObserver loop among them), collected from before it loads. */
async function collectPageErrors(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const scope = globalThis as unknown as PageScope;
    const errors: string[] = [];
    scope.addEventListener('error', (event) => errors.push(event.message));
    scope.__pageErrors = errors;
  });
}

function pageErrors(page: Page): Promise<string[] | undefined> {
  return page.evaluate(() => (globalThis as unknown as PageScope).__pageErrors);
}

/** Installs the counting hook before the page's scripts run. */
async function countTurnRenders(page: Page): Promise<void> {
  await page.addInitScript(() => {
    interface Fiber {
      type: unknown;
      child: Fiber | null;
      sibling: Fiber | null;
      memoizedProps: unknown;
      memoizedState: unknown;
    }
    const seen = new WeakSet<object>();
    const counts: TurnRenders = {
      byTurn: {},
      reset() {
        this.byTurn = {};
      },
    };
    /** A turn's view: a component whose first child is the `article.turn` and whose props hold the turn. */
    const turnIdOf = (fiber: Fiber): string | null => {
      const child = fiber.child;
      if (!child || child.type !== 'article') return null;
      const className = (child.memoizedProps as { className?: unknown } | null)?.className;
      if (typeof className !== 'string' || !className.split(' ').includes('turn')) return null;
      const turn = (fiber.memoizedProps as { turn?: { id?: unknown } } | null)?.turn;
      return typeof turn?.id === 'string' ? turn.id : null;
    };
    const visit = (root: Fiber) => {
      const stack: Fiber[] = [root];
      while (stack.length > 0) {
        const fiber = stack.pop()!;
        const turnId = turnIdOf(fiber);
        const hooks = fiber.memoizedState;
        if (turnId !== null && typeof hooks === 'object' && hooks !== null && !seen.has(hooks)) {
          seen.add(hooks);
          counts.byTurn[turnId] = (counts.byTurn[turnId] ?? 0) + 1;
        }
        if (fiber.sibling) stack.push(fiber.sibling);
        if (fiber.child) stack.push(fiber.child);
      }
    };
    Object.defineProperty(globalThis, '__REACT_DEVTOOLS_GLOBAL_HOOK__', {
      configurable: true,
      value: {
        supportsFiber: true,
        isDisabled: false,
        renderers: new Map(),
        inject: () => 1,
        checkDCE: () => undefined,
        onCommitFiberRoot: (_id: number, root: { current: Fiber }) => visit(root.current),
        onCommitFiberUnmount: () => undefined,
        onPostCommitFiberRoot: () => undefined,
        setStrictMode: () => undefined,
      },
    });
    (globalThis as unknown as PageScope).__turnRenders = counts;
  });
}

function renders(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...((globalThis as unknown as PageScope).__turnRenders?.byTurn ?? {}) }));
}

/** How far the timeline is from its bottom, in pixels. */
function distanceFromBottom(timeline: Locator): Promise<number> {
  return timeline.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
}

/** The first row in view: its key, where it is, and where the timeline is scrolled. */
function topRow(timeline: Locator): Promise<{ key: string; top: number; scrollTop: number }> {
  return timeline.evaluate((element) => {
    const viewTop = element.getBoundingClientRect().top;
    const rows = [...element.querySelectorAll('[data-row-key]')];
    const row = rows.find((candidate) => candidate.getBoundingClientRect().bottom > viewTop + 10)!;
    return {
      key: row.getAttribute('data-row-key')!,
      top: row.getBoundingClientRect().top,
      scrollTop: element.scrollTop,
    };
  });
}

/** Where the row with this key is now (it must still be rendered). */
function rowTop(timeline: Locator, key: string): Promise<number> {
  return timeline.evaluate(
    (element, rowKey) => element.querySelector(`[data-row-key="${rowKey}"]`)!.getBoundingClientRect().top,
    key,
  );
}

const turnCount = 5000;

/** The first words of a turn, enough to find it. */
const opening = (turn: Turn) => turn.text.slice(0, 60);

/** The fixtures a long loop is opened with: it is written into the folder before the host starts. */
interface LongLoopFixtures {
  page: Page;
  dataDir: string;
  launchHost: LaunchHost;
}

async function openLongLoop(
  { page, dataDir, launchHost }: LongLoopFixtures,
  options: { usedAt?: number } = {},
) {
  const { loops } = await makeLibrary(dataDir, { spaces: 1, loops: 1, turnsPerLoop: turnCount, memories: 0 });
  const loop = loops[0]!;
  const file = JSON.parse(await readFile(join(dataDir, 'loops', `${loop.id}.json`), 'utf8')) as {
    turns: Turn[];
  };
  if (options.usedAt !== undefined) {
    // A memory used by one turn far up the loop, so its page links there.
    const at = file.turns[options.usedAt]!.createdAt;
    const memory = {
      id: 'mm-long-loop',
      kind: 'principle',
      text: 'Quote the customer in every memo',
      scope: { type: 'everywhere' },
      origin: { type: 'said' },
      createdAt: at,
      revisedAt: at,
      useCount: 1,
      pinned: false,
      history: [],
      notRelevant: [],
      usedIn: [{ loopId: loop.id, turnId: file.turns[options.usedAt]!.id, at }],
    };
    await writeFile(
      join(dataDir, 'memory', 'everywhere.json'),
      JSON.stringify({ version: 2, items: [memory] }),
    );
  }
  const host = await launchHost();
  await countTurnRenders(page);
  await collectPageErrors(page);
  await page.goto(host.url);
  const timeline = page.getByRole('log', { name: 'Timeline' });
  const clicked = Date.now();
  await page.getByRole('button', { name: loop.title }).click();
  await expect(timeline.getByRole('article').last()).toContainText(opening(file.turns.at(-1)!));
  return { loop, turns: file.turns, timeline, openMs: Date.now() - clicked };
}

test('a loop of 5,000 turns opens at its end, scrolls to its start, and streams without rendering other turns', async ({
  page,
  dataDir,
  fake,
  launchHost,
}) => {
  const { turns, timeline, openMs } = await openLongLoop({ page, dataDir, launchHost });
  const articles = timeline.getByRole('article');

  // It opens at the end: the last turn is in view, and only a window of turns is in the DOM.
  const last = articles.last();
  await expect(last).toContainText(opening(turns.at(-1)!));
  await expect(last).toBeInViewport();
  const rendered = await articles.count();
  expect(rendered).toBeGreaterThan(3);
  expect(rendered).toBeLessThan(150);
  expect(await distanceFromBottom(timeline)).toBeLessThan(48);
  // Rendering all 5,000 took longer than ten seconds; a window takes about one (the loop's file included).
  expect(openMs).toBeLessThan(8000);
  console.log(`long loop: opened in ${openMs} ms with ${rendered} of ${turnCount} turns in the DOM`);

  // Scrolling up with the wheel moves what is in view by exactly the wheel's steps: turns coming
  // into the DOM above, taller or shorter than estimated, never make it jump.
  const box = (await timeline.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const steps: number[] = [];
  for (let step = 0; step < 15; step += 1) {
    const before = await topRow(timeline);
    await page.mouse.wheel(0, -150);
    await expect.poll(() => timeline.evaluate((element) => element.scrollTop)).not.toBe(before.scrollTop);
    await page.waitForTimeout(100);
    steps.push(Math.round((await rowTop(timeline, before.key)) - before.top));
  }
  // (Sub-pixel heights round to a pixel either way.)
  expect(
    steps.filter((moved) => Math.abs(moved - 150) > 2),
    `steps: ${steps.join(', ')}`,
  ).toEqual([]);

  // Home on the focused log goes to the first turn.
  await timeline.focus();
  await page.keyboard.press('Home');
  const first = articles.first();
  await expect(first).toContainText(opening(turns[0]!));
  await expect(first).toBeInViewport();
  await expect(timeline.getByText(opening(turns[1]!))).toBeVisible();
  expect(await timeline.evaluate((element) => element.scrollTop)).toBe(0);
  expect(await articles.count()).toBeLessThan(150);

  // And from the very top back to the very bottom with the scrollbar.
  await timeline.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(articles.last()).toContainText(opening(turns.at(-1)!));
  await expect(articles.last()).toBeInViewport();

  // Ask for a move: the answer streams in at the bottom, in view.
  fake.configure({ chunkDelayMs: 5 });
  const words = Array.from({ length: 150 }, (_, n) => `word${n}`);
  fake.queueReply({ text: words.join(' ') });
  const composer = page.getByRole('textbox', { name: 'Your message' });
  await composer.fill('Where does all this leave us?');
  await composer.press('Enter');
  const answer = timeline.getByRole('article', { name: 'AI · explore' }).last();
  await expect(answer).toContainText('word5');
  // From here on only the answer may render: count from now to its end.
  await page.evaluate(() => (globalThis as unknown as PageScope).__turnRenders?.reset());
  await expect(answer).toContainText('word149');
  await expect(answer).not.toContainText('Writing…');
  await expect(answer).toBeInViewport();
  expect(await distanceFromBottom(timeline)).toBeLessThan(48);

  const counts = await renders(page);
  const answerRenders = Object.entries(counts).filter(([id]) => !turns.some((turn) => turn.id === id));
  const otherRenders = Object.entries(counts).filter(([id]) => turns.some((turn) => turn.id === id));
  console.log(
    `long loop: while ~145 words streamed in, the answer rendered ${answerRenders[0]?.[1] ?? 0} times, other turns ${otherRenders.length === 0 ? 'never' : JSON.stringify(otherRenders)}`,
  );
  expect(answerRenders).toHaveLength(1);
  expect(answerRenders[0]![1]).toBeGreaterThan(1);
  // The person's question, new in this session, is not among the 5,000 either.
  expect(otherRenders).toEqual([]);
  expect(await articles.count()).toBeLessThan(150);
  expect(await pageErrors(page)).toEqual([]);
});

test('a memory links to a turn far up a long loop: it opens there, focused', async ({
  page,
  dataDir,
  launchHost,
}) => {
  const usedAt = 1001;
  const { turns, timeline } = await openLongLoop({ page, dataDir, launchHost }, { usedAt });
  await expect(timeline.getByRole('article').last()).toContainText(opening(turns.at(-1)!));

  await page.getByRole('button', { name: 'Memory', exact: true }).click();
  await page
    .getByRole('list', { name: 'Memories' })
    .getByRole('button', { name: /Quote the customer/ })
    .click();
  const details = page.getByRole('region', { name: 'Memory details' });
  await details.getByRole('list', { name: 'Where it was used' }).getByRole('button').click();

  const target = timeline.getByRole('article').filter({ hasText: opening(turns[usedAt]!) });
  await expect(target).toBeInViewport();
  await expect(target).toBeFocused();
  expect(await timeline.getByRole('article').count()).toBeLessThan(150);

  // Scrolling far away and back keeps it rendered and focused: focus is never dropped.
  await timeline.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(timeline.getByRole('article').last()).toContainText(opening(turns.at(-1)!));
  await expect(target).toBeFocused();
  expect(await pageErrors(page)).toEqual([]);
});
