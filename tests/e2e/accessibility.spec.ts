/**
 * Every screen of the workspace against WCAG 2.2 AA with axe, in the light and the dark theme, with
 * no console error on the way; the lock and recovery screens too, the passphrase pasted in. Each
 * test walks one group of screens on one data folder, so the whole round stays short.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pdfFile } from '../fixtures/sourceFiles';
import {
  checkAccessibility,
  collectConsoleErrors,
  expectNoMotion,
  expectTargetsAtLeast24,
  pasteInto,
} from './accessibility';
import { expect, test } from './fixtures';
import { createSpace, newLoopIn } from './workspace';

const churn = 'Churn fell to 4 percent in Rotterdam after the loyalty scheme started.';
const pricing = 'Pricing: we raise list prices by 8% for new customers from April.';
const risk = 'Risk: a few small accounts may leave; we accept that.';
const riskRevised = 'Risk: about five small accounts may leave; account managers call each one first.';
const pricingRevised = 'Pricing: we raise list prices by 6% for new customers from April, 8% in July.';

test('every screen of the workspace meets WCAG 2.2 AA in both themes, with no console error', async ({
  page,
  fake,
  launchHost,
}) => {
  // Some twenty axe runs: each takes seconds on a busy machine.
  test.setTimeout(420_000);
  const consoleErrors = collectConsoleErrors(page);
  const host = await launchHost();
  const response = await page.goto(host.url);
  // frame-ancestors is obeyed only in the header (in the page's <meta> it would log an error).
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');

  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Keel' })).toBeVisible();
  await checkAccessibility(page, 'welcome');

  // A space with a source: its start page.
  await createSpace(page, 'Acme');
  const sources = page.getByRole('region', { name: 'Sources of Acme' });
  await sources.getByLabel('Add source files').setInputFiles({
    name: 'Q3 review.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(await pdfFile(['Quarterly review for the board.', churn])),
  });
  await expect(sources.getByRole('listitem', { name: 'Q3 review.pdf' })).toContainText('2 pages');
  await checkAccessibility(page, 'space home');
  await expectTargetsAtLeast24(page, 'space home');

  // A loop with a streamed, a set-aside, an edited, a pinned and a stopped turn.
  await newLoopIn(page, 'Acme', 'Rotterdam renewal');
  const timeline = page.getByRole('log', { name: 'Timeline' });
  const composer = page.getByRole('textbox', { name: 'Your message' });
  const intent = page.getByRole('region', { name: 'Intent' });
  await intent.getByRole('button', { name: 'Edit intent' }).click();
  await intent.getByRole('textbox', { name: 'Goal' }).fill('Keep the Rotterdam account');
  await intent.getByRole('button', { name: 'Save intent' }).click();

  fake.queueReply({ text: 'Churn is down to 4 percent [P1]. Options: a discount, a longer term.' });
  await composer.fill('What do we know about churn in Rotterdam?');
  await composer.press('Enter');
  const explore = timeline.getByRole('article', { name: 'AI · explore' });
  await expect(explore).toContainText('Churn is down to 4 percent');
  await expect(explore).not.toContainText('Writing…');

  // A table and a line of code wider than the timeline: each must scroll from the keyboard.
  const wideRow = Array.from({ length: 12 }, (_, index) => `RenewalScenarioNumber${index}`);
  fake.queueReply({
    text: [
      'The hidden risk is the renewal date.',
      '',
      `| ${wideRow.join(' | ')} |`,
      `| ${wideRow.map(() => '---').join(' | ')} |`,
      `| ${wideRow.map((_, index) => `${index * 7}%ChurnIfDiscounted`).join(' | ')} |`,
      '',
      '```',
      `renewal_date = "${'2027-03-31 '.repeat(24)}"`,
      '```',
    ].join('\n'),
  });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('challenge');
  await page.getByRole('button', { name: 'Send' }).click();
  const challenge = timeline.getByRole('article', { name: 'AI · challenge' });
  await expect(challenge).toContainText('The hidden risk');
  await expect(challenge).not.toContainText('Writing…');
  const answerTable = challenge.getByRole('region', { name: 'Table in the answer' });
  await answerTable.focus();
  await expect(answerTable).toBeFocused();
  await checkAccessibility(page, 'an answer with a wide table and code');

  await explore.getByRole('button', { name: 'Set aside' }).click();
  await explore.getByRole('textbox', { name: 'Why set it aside? (optional)' }).fill('too generic');
  await explore.getByRole('textbox', { name: 'Why set it aside? (optional)' }).press('Enter');
  await expect(explore).toContainText('Set aside: too generic');

  await challenge.getByRole('button', { name: 'Edit' }).click();
  await challenge.getByRole('textbox', { name: 'Edit AI turn' }).fill('The real risk is the renewal date.');
  await challenge.getByRole('button', { name: 'Save edit' }).click();
  await expect(challenge).toContainText('Edited by you');
  await challenge.getByRole('button', { name: 'Pin' }).click();
  await expect(challenge).toContainText("Pinned — always in the AI's context");

  // One answer still being written (the model stalls after a few words): nothing moves when reduced
  // motion is asked for. Then it is stopped (at once: the engine gives up on a stalled model).
  fake.queueReply({ chunks: ['One ', 'more ', 'angle: ', 'the ', 'contract'], stallAfter: 3 });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('explore');
  await composer.fill('Anything else?');
  await composer.press('Enter');
  const writing = timeline.getByRole('article', { name: 'AI · explore' }).last();
  await expect(writing).toContainText('One more angle');
  await expect(writing).toContainText('Writing…');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expectNoMotion(page, 'loop, an answer being written');
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(writing).toContainText('Stopped');

  // The loop with all of those, and the intent's and a turn's forms open.
  await intent.getByRole('button', { name: 'Edit intent' }).click();
  await writing.getByRole('button', { name: 'Set aside' }).click();
  await expect(writing.getByRole('textbox', { name: 'Why set it aside? (optional)' })).toBeVisible();
  await checkAccessibility(
    page,
    'loop with streamed, set-aside, edited, pinned and stopped turns, forms open',
  );
  await expectTargetsAtLeast24(page, 'loop');
  await writing.getByRole('textbox', { name: 'Why set it aside? (optional)' }).press('Escape');
  await intent.getByRole('button', { name: 'Save intent' }).click();

  // Refine: a draft, and the changes proposed to it.
  const draft = page.getByRole('region', { name: 'Draft' }).getByRole('textbox', { name: 'Draft' });
  await draft.fill(`${pricing}\n\n${risk}`);
  await expect(page.getByRole('region', { name: 'Draft' }).getByRole('status')).toHaveText('Saved');
  fake.queueReply({ text: `${pricingRevised}\n\n${riskRevised}` });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('refine');
  await page.getByRole('button', { name: 'Send' }).click();
  const proposal = timeline.getByRole('article', { name: 'AI · refine' }).getByRole('region', {
    name: 'Proposed changes',
  });
  await expect(proposal.getByRole('group', { name: /^Change \d+$/ })).toHaveCount(2);

  // And the decision form beside them.
  await page.getByRole('button', { name: 'Decide' }).click();
  const form = page.getByRole('region', { name: 'Decision' });
  await form.getByRole('textbox', { name: 'Your choice' }).fill('Offer a longer term');
  await checkAccessibility(page, 'loop, refine changes and the decision form');

  // Recorded with a forecast already due: the loop offers the one form that resolves it.
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('65');
  await form.getByRole('button', { name: 'Add a forecast' }).click();
  const forecast = form.getByRole('group', { name: 'Forecast 1' });
  await forecast.getByRole('textbox', { name: 'Forecast 1', exact: true }).fill('Renewals reach 90 %');
  await forecast.getByRole('spinbutton', { name: 'Probability of forecast 1 (%)' }).fill('60');
  const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  await forecast.getByLabel('Forecast 1 resolves by').fill(yesterday);
  await form.getByRole('button', { name: 'Record decision' }).click();
  await expect(page.getByRole('form', { name: 'Resolve “Offer a longer term”' })).toBeVisible();
  await checkAccessibility(page, 'loop with a decision due to resolve');

  // The loop's sources, and a cited passage in the viewer.
  await page.getByRole('button', { name: 'Sources', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Add files' }).last()).toBeVisible();
  const openPassage = explore
    .getByRole('region', { name: 'Passages given' })
    .getByRole('button', { name: 'Open P1' });
  await openPassage.click();
  const viewer = page.getByRole('dialog', { name: 'Q3 review.pdf' });
  // The dialog takes the focus (onto the cited passage), and gives it back to its opener on close.
  await expect(viewer.locator('[aria-current="true"]')).toContainText(churn);
  await expect(viewer.locator('[aria-current="true"]')).toBeFocused();
  await checkAccessibility(page, 'sources with the viewer');
  await viewer.getByRole('button', { name: 'Close' }).click();
  await expect(viewer).toHaveCount(0);
  await expect(openPassage).toBeFocused();

  await page.getByRole('button', { name: 'Memory', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toBeVisible();
  await checkAccessibility(page, 'memory');

  // The Decisions page: what is due in its resolving form, a forecast's history and a dossier.
  await page.getByRole('button', { name: 'Decisions', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Decisions' })).toBeVisible();
  const decisionRow = page.getByRole('row').filter({ hasText: 'Offer a longer term' }).first();
  await decisionRow.getByRole('button', { name: '1 forecast' }).click();
  await page.getByRole('button', { name: 'What informed it', exact: true }).click();
  const dossier = page.getByRole('region', { name: 'What informed it' });
  await dossier.getByText(/^Draft at the time/).click();
  await expect(dossier.getByRole('region', { name: 'The draft at the time' })).toBeVisible();
  await expect(
    page.getByRole('list', { name: 'Probability history of “Renewals reach 90 %”' }),
  ).toBeVisible();
  await checkAccessibility(page, 'decisions page with the resolving form, a history and a dossier');
  await expectTargetsAtLeast24(page, 'decisions page');

  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('searchbox').first().fill('renewal');
  await expect(
    page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first(),
  ).toBeVisible();
  await checkAccessibility(page, 'search');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await checkAccessibility(page, 'settings');
  await expectTargetsAtLeast24(page, 'settings');

  await page.getByRole('navigation', { name: 'Spaces' }).getByRole('button', { name: 'Privacy' }).click();
  await expect(page.getByRole('region', { name: 'Privacy', exact: true })).toBeVisible();
  await checkAccessibility(page, 'privacy');

  expect(consoleErrors).toEqual([]);
});

test('the lock screen meets WCAG 2.2 AA, and a pasted passphrase sets up encryption and unlocks', async ({
  page,
  launchHost,
}) => {
  test.setTimeout(240_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const consoleErrors = collectConsoleErrors(page);
  const passphrase = 'amber kettle nineteen quarry';

  let host = await launchHost();
  await page.goto(host.url);
  await createSpace(page, 'Halvorsen');
  await newLoopIn(page, 'Halvorsen', 'Succession plan');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const encryption = page.getByRole('region', { name: 'Encryption', exact: true });
  await encryption.scrollIntoViewIfNeeded();
  await pasteInto(page, encryption.getByLabel('Passphrase', { exact: true }), passphrase);
  await pasteInto(page, encryption.getByLabel('Repeat passphrase', { exact: true }), passphrase);
  await expect(encryption.getByLabel('Passphrase', { exact: true })).toHaveValue(passphrase);
  await checkAccessibility(page, 'encryption setup');
  await encryption.getByRole('button', { name: 'Turn on encryption' }).click();
  await expect(encryption).toContainText('Encryption is on', { timeout: 20_000 });

  // Away from the page first: a page left open would log its lost connection to the stopped host.
  await page.goto('about:blank');
  await host.stop();
  host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Keel is locked' })).toBeVisible();
  await checkAccessibility(page, 'lock screen');

  const input = page.getByLabel('Passphrase', { exact: true });
  await pasteInto(page, input, 'not it');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await checkAccessibility(page, 'lock screen, wrong passphrase');
  // The refused passphrase is selected, so the pasted one replaces it.
  await pasteInto(page, input, passphrase);
  await expect(input).toHaveValue(passphrase);
  await input.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Succession plan' })).toBeVisible();

  expect(consoleErrors).toEqual([]);
});

test('the recovery screen meets WCAG 2.2 AA in both themes', async ({ page, dataDir, launchHost }) => {
  let host = await launchHost();
  await page.goto(host.url);
  await createSpace(page, 'Northwind');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const backups = page.getByRole('region', { name: 'Backups', exact: true });
  await backups.scrollIntoViewIfNeeded();
  await backups.getByRole('button', { name: 'Back up now' }).click();
  await expect(backups.getByRole('status')).toContainText('Backed up at');
  await host.stop();
  await writeFile(join(dataDir, 'catalog.json'), '{ this is not json', 'utf8');

  host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Keel could not open your data' })).toBeVisible();
  await checkAccessibility(page, 'recovery screen');
});
