/**
 * The loop's layout on real screens: the timeline keeps most of the window, the intent folds to one
 * line, the draft column resizes and folds (kept per loop, through a reload), and in a narrow window
 * the timeline and the draft are tabs in which an answer, a refine and a decision still work.
 */
import type { Locator, Page } from '@playwright/test';
import type { FakeOllama } from '../fixtures/fakeOllama';
import { expect, test } from './fixtures';
import { askExplore, createSpaceAndLoop } from './workspace';

const goal = 'Choose the first Nordic country to enter in 2027, within a budget of two million euros';
const answer = Array.from(
  { length: 12 },
  (_, i) =>
    `Option ${i + 1}: a market worth weighing, with its own costs, partners and risks to set against the budget.`,
).join('\n\n');

/** Frames the intent (goal and constraints) as a person would, and saves it. */
async function frameIntent(page: Page) {
  const intent = page.getByRole('region', { name: 'Intent' });
  await intent.getByRole('button', { name: 'Edit intent' }).click();
  await intent.getByRole('textbox', { name: 'Goal' }).fill(goal);
  await intent.getByRole('textbox', { name: 'Constraints' }).fill('One market in 2027, budget 2M');
  await intent.getByRole('button', { name: 'Save intent' }).click();
  await expect(intent.getByRole('textbox', { name: 'Goal' })).toHaveCount(0);
  return intent;
}

/** A loop with an intent, a few turns and a draft: what a person has after a while. */
async function workedLoop(page: Page, fake: FakeOllama) {
  await createSpaceAndLoop(page, 'Acme Corp', 'Nordic entry');
  await frameIntent(page);
  await askExplore(page, fake, 'Where should we start in the Nordics?', answer);
  await askExplore(page, fake, 'And what would each cost?', answer.replaceAll('Option', 'Cost'));
  await page
    .getByRole('region', { name: 'Draft' })
    .getByRole('textbox', { name: 'Draft' })
    .fill('Recommendation: Norway first.');
}

/** How much of the timeline is inside the window, in pixels. */
async function visibleHeight(page: Page, locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return 0;
  return Math.max(0, Math.min(box.y + box.height, viewport.height) - Math.max(box.y, 0));
}

const sizes = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];

test('the timeline keeps most of the window at every size, light and dark', async ({
  page,
  fake,
  launchHost,
}, testInfo) => {
  const host = await launchHost();
  await page.goto(host.url);
  await workedLoop(page, fake);
  const timeline = page.getByRole('log', { name: 'Timeline' });

  for (const size of sizes) {
    await page.setViewportSize(size);
    const narrow = size.width < 1100;
    // Below 1100 px the draft is a tab; above, a column beside the timeline.
    await expect(page.getByRole('tablist', { name: 'Loop views' })).toHaveCount(narrow ? 1 : 0);
    await expect(page.getByRole('region', { name: 'Draft' })).toBeVisible({ visible: !narrow });
    await expect(timeline).toBeVisible();
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({
        path: testInfo.outputPath(`loop-${size.width}x${size.height}-${colorScheme}.png`),
      });
    }
    const height = await visibleHeight(page, timeline);
    testInfo.annotations.push({
      type: 'timeline height',
      description: `${size.width}×${size.height}: ${Math.round(height)} px (${Math.round((100 * height) / size.height)} %)`,
    });
    expect.soft(height).toBeGreaterThanOrEqual(0.6 * size.height);
  }
});
