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
  await expect(churn).toContainText('70% → 80%');
  await expect(page.getByRole('region', { name: 'Due to resolve' })).toHaveCount(0);

  // Both resolution dates go to the calendar.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export resolution dates (.ics)' }).click();
  const calendar = await downloadedText(await downloading);
  expect(calendar).toContain('BEGIN:VCALENDAR');
  expect(calendar.match(/BEGIN:VEVENT/g)).toHaveLength(2);
  expect(calendar).toContain(`DTSTART;VALUE=DATE:${isoDay(start + 14 * day).replace(/-/g, '')}`);

  // Three weeks later both are due.
  await page.clock.setSystemTime(start + 21 * day);
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Decisions', exact: true }).click();
  const due = page.getByRole('region', { name: /Due to resolve/ });
  await expect(due).toContainText('Due to resolve (2)');
  const resolveChurn = due.getByRole('form', { name: 'Resolve “Churn stays under 3 % in Q3”' });
  await resolveChurn.getByRole('radio', { name: 'Yes, it happened' }).check();
  await resolveChurn.getByRole('textbox', { name: 'Note (what settled it)' }).fill('Board pack: 2.1 %');
  await resolveChurn.getByRole('button', { name: 'Resolve' }).click();
  await expect(due).toContainText('Due to resolve (1)');
  const resolveRival = due.getByRole('form', { name: 'Resolve “A competitor follows the rise”' });
  await resolveRival.getByRole('radio', { name: 'No, it did not' }).check();
  await resolveRival.getByRole('button', { name: 'Resolve' }).click();
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
});
