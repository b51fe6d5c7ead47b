/**
 * The loop's layout on real screens: the timeline keeps most of the window, the intent folds to one
 * line, the draft column resizes and folds (kept per loop, through a reload), and in a narrow window
 * the timeline and the draft are tabs in which an answer, a refine and a decision still work.
 */
import type { Locator, Page } from '@playwright/test';
import type { FakeOllama } from '../fixtures/fakeOllama';
import { expect, test } from './fixtures';
import { askExplore, createSpaceAndLoop, newLoopIn } from './workspace';

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

/** The one DOM call the screenshots need, typed here because the spec is compiled without the DOM. */
interface PageWithAnimations {
  document: { getAnimations(): unknown[] };
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
      // Colours ease from one theme to the other: the picture is taken once they have settled.
      await page.waitForFunction(
        // Runs in the page (the spec is typed for Node, without the DOM's types).
        () => (globalThis as unknown as PageWithAnimations).document.getAnimations().length === 0,
      );
      await page.screenshot({
        path: testInfo.outputPath(`loop-${size.width}x${size.height}-${colorScheme}.png`),
      });
    }
    const height = await visibleHeight(page, timeline);
    testInfo.annotations.push({
      type: 'timeline height',
      description: `${size.width}×${size.height}: ${Math.round(height)} px (${Math.round((100 * height) / size.height)} %)`,
    });
    // The brief's bar is 1280×720; the other sizes must not fall far below it.
    expect.soft(height).toBeGreaterThanOrEqual((size.width === 1280 ? 0.6 : 0.55) * size.height);
  }
});

test('the intent folds to one line with its goal once it has content, opens on a click, Alt+I or the palette, and stays so', async ({
  page,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Nordic entry');
  const intent = page.getByRole('region', { name: 'Intent' });

  // Empty, it asks its questions: there is nothing to fold yet.
  await expect(intent).toContainText('What are you trying to achieve?');
  await expect(intent.getByRole('button', { name: 'Intent', exact: true })).toHaveCount(0);

  // Framed, it is one line: the goal, cut to fit, and a control that says it is folded.
  await frameIntent(page);
  const toggle = intent.getByRole('button', { name: 'Intent', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(intent).toContainText('Choose the first Nordic country');
  await expect(toggle).toHaveAccessibleDescription(goal);
  await expect(intent.getByText('One market in 2027, budget 2M')).toBeHidden();
  expect((await intent.boundingBox())!.height).toBeLessThan(48);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(intent.getByText('One market in 2027, budget 2M')).toBeVisible();
  await page.keyboard.press('Alt+KeyI');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.getByRole('combobox').fill('intent');
  await palette.getByRole('option', { name: /Fold or show the intent/ }).click();
  await expect(palette).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  // The loop opens again as the person left it.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Nordic entry' })).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(intent.getByText('One market in 2027, budget 2M')).toBeVisible();
});

test('the draft column resizes by its edge and hides, and each loop keeps its own choice through a reload', async ({
  page,
  launchHost,
}, testInfo) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing memo');
  const draftPanel = page.getByRole('region', { name: 'Draft' });
  const column = page.getByRole('complementary', { name: 'Draft, decision and sources' });
  const edge = page.getByRole('separator', { name: 'Draft width' });
  const timeline = page.getByRole('log', { name: 'Timeline' });
  await expect(edge).toHaveAttribute('aria-orientation', 'vertical');
  const start = Number(await edge.getAttribute('aria-valuenow'));
  expect(start).toBeGreaterThanOrEqual(280);
  const columnWidth = async () => (await column.boundingBox())!.width;
  expect(Math.abs((await columnWidth()) - start)).toBeLessThanOrEqual(1);

  // The arrow keys widen it (the edge moves left), Enter puts the default back.
  await edge.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect(edge).toHaveAttribute('aria-valuenow', String(start + 48));
  expect(Math.abs((await columnWidth()) - (start + 48))).toBeLessThanOrEqual(1);
  await page.keyboard.press('Enter');
  await expect(edge).toHaveAttribute('aria-valuenow', String(start));

  // Dragged 100 px to the left, the draft is 100 px wider.
  const box = (await edge.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 100, y, { steps: 5 });
  await page.mouse.up();
  await expect(edge).toHaveAttribute('aria-valuenow', String(start + 100));
  expect(Math.abs((await columnWidth()) - (start + 100))).toBeLessThanOrEqual(1);

  // Hidden, the draft leaves the timeline the width; the button that brings it back takes focus.
  const narrowTimeline = (await timeline.boundingBox())!.width;
  await draftPanel.getByRole('button', { name: 'Hide draft' }).click();
  await expect(draftPanel).toBeHidden();
  await expect(edge).toHaveCount(0);
  const show = page.getByRole('button', { name: 'Show draft' });
  await expect(show).toBeFocused();
  await expect(show).toHaveAttribute('aria-expanded', 'false');
  expect((await timeline.boundingBox())!.width).toBeGreaterThan(narrowTimeline + 300);
  await page.screenshot({ path: testInfo.outputPath('draft-hidden.png') });

  // Another loop has its own layout: its draft is beside its timeline.
  await newLoopIn(page, 'Acme Corp', 'Hiring plan');
  await expect(draftPanel).toBeVisible();

  // After a reload each loop opens as it was left; Alt+D brings the first one's draft back, as wide as it was.
  await page.reload();
  await page.getByRole('button', { name: 'Pricing memo' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing memo' })).toBeVisible();
  await expect(draftPanel).toBeHidden();
  await expect(show).toBeVisible();
  await page.keyboard.press('Alt+KeyD');
  await expect(draftPanel).toBeVisible();
  await expect(edge).toHaveAttribute('aria-valuenow', String(start + 100));
  await page.getByRole('button', { name: 'Hiring plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hiring plan' })).toBeVisible();
  await expect(edge).toHaveAttribute('aria-valuenow', String(start));

  // A width changed just before leaving the loop is kept all the same (it had no time to rest).
  await edge.focus();
  await page.keyboard.press('ArrowLeft');
  await page.getByRole('button', { name: 'Pricing memo' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing memo' })).toBeVisible();
  await page.reload();
  await page.getByRole('button', { name: 'Hiring plan' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hiring plan' })).toBeVisible();
  await expect(edge).toHaveAttribute('aria-valuenow', String(start + 16));
});

const pricing = 'Pricing: we raise list prices by 8% for new customers from April.';
const timing = 'Timing: existing customers keep their price until renewal.';
const pricingRevised = 'Pricing: we raise list prices by 6% for new customers from April, 8% in July.';

test('in a narrow window the timeline and the draft are tabs, and an answer, a refine and a decision still work', async ({
  page,
  fake,
  launchHost,
}, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing memo');
  const tabs = page.getByRole('tablist', { name: 'Loop views' });
  const timelineTab = tabs.getByRole('tab', { name: 'Timeline' });
  const draftTab = tabs.getByRole('tab', { name: 'Draft' });
  const timeline = page.getByRole('log', { name: 'Timeline' });
  const draftPanel = page.getByRole('region', { name: 'Draft' });
  const draft = draftPanel.getByRole('textbox', { name: 'Draft' });
  await expect(timelineTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Timeline' })).toContainText(
    'Start with your own thinking',
  );
  await expect(draftPanel).toBeHidden();
  await expect(page.getByRole('separator', { name: 'Draft width' })).toHaveCount(0);

  // An answer streams into the timeline tab.
  await askExplore(page, fake, 'Should we raise prices?', answer);

  // The arrow keys move between the tabs and show the one they reach.
  await timelineTab.focus();
  await page.keyboard.press('ArrowRight');
  await expect(draftTab).toBeFocused();
  await expect(draftTab).toHaveAttribute('aria-selected', 'true');
  await expect(timeline).toBeHidden();
  await expect(page.getByRole('tabpanel', { name: 'Draft' })).toBeVisible();
  await draft.fill(`${pricing}\n\n${timing}`);

  // A refine asked for from the draft: the timeline comes back to show it streaming in.
  fake.configure({ chunkDelayMs: 20 });
  fake.queueReply({ text: `${pricingRevised}\n\n${timing}` });
  await draft.press('Alt+Digit5');
  await expect(timelineTab).toHaveAttribute('aria-selected', 'true');
  const refine = timeline.getByRole('article', { name: 'AI · refine' });
  await expect(refine).toContainText('8% in July', { timeout: 15_000 });
  const proposal = refine.getByRole('region', { name: 'Proposed changes' });
  await proposal.getByRole('button', { name: 'Take selected changes' }).click();
  await expect(proposal).toContainText('Taken: 1 of 1');
  await draftTab.click();
  await expect(draft).toHaveValue(`${pricingRevised}\n\n${timing}`);

  // Decide opens its form in the draft's tab; once recorded, the decision shows above the timeline.
  await timelineTab.click();
  await page.getByRole('button', { name: 'Decide' }).click();
  await expect(draftTab).toHaveAttribute('aria-selected', 'true');
  const form = page.getByRole('region', { name: 'Decision' });
  await form.getByRole('textbox', { name: 'Your choice' }).fill('Raise by 6% then 8%');
  await form.getByRole('textbox', { name: 'Rationale' }).fill('Softer for new customers');
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('70');
  await page.screenshot({ path: testInfo.outputPath('narrow-deciding.png') });
  await form.getByRole('button', { name: 'Record decision' }).click();
  await expect(timelineTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText('Raise by 6% then 8%');
});
