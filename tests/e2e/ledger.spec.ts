/**
 * The decision ledger as a person meets it: decide with two forecasts, update one with a reason,
 * let the clock run past their resolution dates, resolve both from the due list, and read the Brier
 * score and the calibration chart (and its table) computed from what was written.
 */
import { expect, test } from './fixtures';
import { createSpaceAndLoop, downloadedText } from './workspace';

const day = 24 * 60 * 60 * 1000;
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

test('decide with two forecasts, update one, resolve both when due, and read the scores', async ({
  page,
  launchHost,
}) => {
  const start = Date.now();
  await page.clock.install({ time: start });
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme', 'Pricing review');

  // Decide, with two forecasts that resolve in two weeks.
  await page.getByRole('button', { name: 'Decide' }).click();
  const form = page.getByRole('region', { name: 'Decision' });
  await form.getByRole('textbox', { name: 'Your choice' }).fill('Raise the price by 6%');
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('70');
  await form.getByRole('button', { name: 'Add a forecast' }).click();
  await form.getByRole('button', { name: 'Add a forecast' }).click();
  const first = form.getByRole('group', { name: 'Forecast 1' });
  await first.getByRole('textbox', { name: 'Forecast 1', exact: true }).fill('Churn stays under 3 % in Q3');
  await first.getByRole('spinbutton', { name: 'Probability of forecast 1 (%)' }).fill('70');
  await first.getByLabel('Forecast 1 resolves by').fill(isoDay(start + 14 * day));
  await first
    .getByRole('textbox', { name: 'How forecast 1 resolves' })
    .fill('Resolves yes if churn in Q3 is under 3 % in the board pack');
  const second = form.getByRole('group', { name: 'Forecast 2' });
  await second
    .getByRole('textbox', { name: 'Forecast 2', exact: true })
    .fill('A competitor follows the rise');
  await second.getByRole('spinbutton', { name: 'Probability of forecast 2 (%)' }).fill('40');
  await second.getByLabel('Forecast 2 resolves by').fill(isoDay(start + 14 * day));
  await form.getByRole('button', { name: 'Record decision' }).click();
  const decision = page.getByRole('region', { name: 'Decision' });
  await expect(decision).toContainText('Churn stays under 3 % in Q3');
  await expect(decision).toContainText('A competitor follows the rise');

  // The ledger lists it, open; one forecast is updated with a reason.
  await page.getByRole('button', { name: 'Decisions', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Decisions' })).toBeVisible();
  const table = page.getByRole('table').filter({ hasText: 'Raise the price by 6%' });
  const row = table.getByRole('row').filter({ hasText: 'Pricing review' });
  await expect(row).toContainText('Open');
  await row.getByRole('button', { name: '2 forecasts' }).click();
  const churn = table.getByRole('listitem').filter({ hasText: 'Churn stays under 3 % in Q3' });
  await churn.getByText('Update the probability').click();
  const update = churn.getByRole('form', { name: 'Update “Churn stays under 3 % in Q3”' });
  await update.getByRole('spinbutton', { name: 'New probability (%)' }).fill('80');
  await update.getByRole('textbox', { name: 'Why it changed' }).fill('Renewals came in early');
  await update.getByRole('button', { name: 'Update' }).click();
  // The history lists the update: when, from what to what, and the reason.
  const history = churn.getByRole('list', { name: 'Probability history of “Churn stays under 3 % in Q3”' });
  await expect(history.getByRole('listitem')).toHaveText([
    `${isoDay(start)}: first call 70%`,
    `${isoDay(start)}: 70% → 80%, because Renewals came in early`,
  ]);
  await expect(page.getByRole('region', { name: 'Due to resolve' })).toHaveCount(0);

  // Both resolution dates go to the calendar.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export resolution dates (.ics)' }).click();
  const calendar = await downloadedText(await downloading);
  expect(calendar).toContain('BEGIN:VCALENDAR');
  expect(calendar.match(/BEGIN:VEVENT/g)).toHaveLength(2);
  expect(calendar).toContain(`DTSTART;VALUE=DATE:${isoDay(start + 14 * day).replace(/-/g, '')}`);

  // Three weeks later both are due; one form resolves them and records the outcome review.
  await page.clock.setSystemTime(start + 21 * day);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Decisions', exact: true }).click();
  const due = page.getByRole('region', { name: /Due to resolve/ });
  await expect(due).toContainText('Due to resolve (1)');
  const resolve = due.getByRole('form', { name: 'Resolve “Raise the price by 6%”' });
  const churnGroup = resolve.getByRole('group', { name: 'Churn stays under 3 % in Q3 (80%)' });
  await churnGroup.getByRole('radio', { name: 'Yes, it happened' }).check();
  await churnGroup.getByRole('textbox', { name: 'What settled it' }).fill('Board pack: 2.1 %');
  // Nothing is sent while a due forecast is unanswered or the review is missing.
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(resolve.getByRole('alert')).toHaveText('Say how “A competitor follows the rise” resolved.');
  const rivalGroup = resolve.getByRole('group', { name: 'A competitor follows the rise (40%)' });
  await rivalGroup.getByRole('radio', { name: 'No, it did not' }).check();
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(resolve.getByRole('alert')).toContainText('Say what happened');
  const review = resolve.getByRole('group', { name: 'Outcome review' });
  await review.getByRole('textbox', { name: 'What happened' }).fill('Revenue up 5 %, churn flat');
  await review
    .getByRole('textbox', { name: 'What you learned' })
    .fill('Price rises hold when costs are public');
  await expect(review.getByRole('checkbox', { name: 'Keep the lesson as a memory' })).toBeChecked();
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByRole('region', { name: /Due to resolve/ })).toHaveCount(0);

  // The first calls were 70 % (came true) and 40 % (did not): ((0.7 − 1)² + (0.4 − 0)²) / 2 = 0.125.
  const scores = page.getByRole('region', { name: 'Scores' });
  await expect(scores.getByRole('definition').first()).toHaveText('0.125');
  await expect(scores).toContainText('Scored forecasts2');
  await expect(
    scores.getByRole('img', {
      name: 'Calibration: how often your forecasts came true at each stated probability',
    }),
  ).toBeVisible();
  await scores.getByText('The chart as a table').click();
  const calibration = scores.getByRole('table', { name: 'Calibration by stated probability' });
  await expect(calibration.getByRole('row', { name: /^70–80%/ }).getByRole('cell')).toHaveText([
    '1',
    '1',
    '100%',
    /^\d+%–100%$/,
  ]);
  await expect(calibration.getByRole('row', { name: /^40–50%/ }).getByRole('cell')).toHaveText([
    '1',
    '0',
    '0%',
    /^0%–\d+%$/,
  ]);
  await expect(row).toContainText('Resolved');
  await expect(row).toContainText('0.125');
  // The review is listed with the decision, and found by the ledger's words.
  await row.getByRole('button', { name: '2 forecasts' }).click();
  const details = table.getByRole('row').filter({ hasText: 'What happened' });
  await expect(details).toContainText('Revenue up 5 %, churn flat');
  // Each forecast's own Brier: 70 % that came true, (0.7 − 1)² = 0.090.
  await expect(details).toContainText('Brier 0.090 on the first call');
  await page.getByRole('searchbox', { name: 'Words' }).fill('costs are public');
  await expect(page.getByRole('region', { name: /All decisions/ })).toContainText('All decisions (1)');
  await page.getByRole('searchbox', { name: 'Words' }).fill('costs are private');
  await expect(page.getByRole('region', { name: /All decisions/ })).toContainText('All decisions (0)');
  // The lesson was kept as a memory; the memory page says so and lists it.
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Memory', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Decisions to review' })).toContainText(
    'Review recorded. What you learned is kept',
  );
  await expect(page.getByRole('list', { name: 'Memories' })).toContainText(
    'Price rises hold when costs are public',
  );
});

test('an earlier decision’s dossier opens from the ledger with the draft of its own time', async ({
  page,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme', 'Pricing review');
  const draftPanel = page.getByRole('region', { name: 'Draft' });
  const draft = draftPanel.getByRole('textbox', { name: 'Draft' });

  // The first decision, on the first draft.
  await draft.fill('FIRST DRAFT: hold the price for a year.');
  await expect(draftPanel.getByRole('status')).toHaveText('Saved');
  await page.getByRole('button', { name: 'Decide' }).click();
  let form = page.getByRole('region', { name: 'Decision' });
  await form.getByRole('textbox', { name: 'Your choice' }).fill('Hold the price');
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('60');
  await form.getByRole('button', { name: 'Record decision' }).click();
  await page.getByRole('region', { name: 'Decision' }).getByRole('button', { name: 'Reopen loop' }).click();

  // Reopened, the draft changes and a second decision is made on it.
  await draft.fill('SECOND DRAFT: raise the price by 6%.');
  await expect(draftPanel.getByRole('status')).toHaveText('Saved');
  await page.getByRole('button', { name: 'Decide' }).click();
  form = page.getByRole('region', { name: 'Decision' });
  await form.getByRole('textbox', { name: 'Your choice' }).fill('Raise the price by 6%');
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('70');
  await form.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('button', { name: 'Reopen loop' })).toBeVisible();

  // On the ledger, the earlier decision's dossier shows its own draft, not today's.
  await page.getByRole('button', { name: 'Decisions', exact: true }).click();
  const table = page.getByRole('table').filter({ hasText: 'Hold the price' });
  const earlier = table.getByRole('row').filter({ hasText: 'Hold the price' });
  await earlier.getByRole('button', { name: '0 forecasts' }).click();
  await table.getByRole('button', { name: 'What informed this earlier decision' }).click();
  const dossier = table.getByRole('region', { name: 'What informed it' });
  await dossier.getByText(/^Draft at the time: the version of \d{4}-\d{2}-\d{2}/).click();
  const thenDraft = dossier.getByRole('region', { name: 'The draft at the time' });
  await expect(thenDraft).toHaveText('FIRST DRAFT: hold the price for a year.');

  // The current decision's dossier (its row is above, the newer) has the second draft.
  const current = table.getByRole('row').filter({ hasText: 'Raise the price by 6%' }).first();
  await current.getByRole('button', { name: '0 forecasts' }).click();
  await table.getByRole('button', { name: 'What informed it', exact: true }).click();
  const currentDossier = table.getByRole('region', { name: 'What informed it' }).first();
  await currentDossier.getByText(/^Draft at the time/).click();
  await expect(currentDossier.getByRole('region', { name: 'The draft at the time' })).toHaveText(
    'SECOND DRAFT: raise the price by 6%.',
  );

  // In the loop, the earlier decision carries the same dossier.
  await earlier.getByRole('button', { name: 'Pricing review' }).click();
  await page.getByText('Earlier decisions (1)').click();
  const earlierInLoop = page.getByRole('group').filter({ hasText: 'Earlier decisions' });
  await earlierInLoop.getByText(/^Draft at the time/).click();
  await expect(earlierInLoop.getByRole('region', { name: 'The draft at the time' })).toHaveText(
    'FIRST DRAFT: hold the price for a year.',
  );
});
