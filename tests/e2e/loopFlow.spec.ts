/**
 * The loop from the first word to the final call, as one person works it: frame, explore, challenge,
 * steer (set one aside with a reason, edit another), refine the draft and take one change, decide,
 * and export the result as Markdown and Word.
 */
import { expect, test } from './fixtures';
import { createSpaceAndLoop, downloadedText, downloadedWordText, lastChatMessages } from './workspace';

test('frame, explore, challenge, steer, refine one hunk, decide and export', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Contoso', 'Nordic expansion');
  const timeline = page.getByRole('log', { name: 'Timeline' });
  const composer = page.getByRole('textbox', { name: 'Your message' });
  const moveChoice = page.getByRole('combobox', { name: 'AI move' });

  // Frame.
  const intent = page.getByRole('region', { name: 'Intent' });
  await intent.getByRole('button', { name: 'Edit intent' }).click();
  await intent.getByRole('textbox', { name: 'Goal' }).fill('Choose the first Nordic country to enter');
  await intent.getByRole('textbox', { name: 'Constraints' }).fill('One market in 2027, budget 2M');
  await intent.getByRole('button', { name: 'Save intent' }).click();
  await expect(intent).toContainText('One market in 2027, budget 2M');

  // Explore, then challenge; the intent reaches the model every time.
  fake.queueReply({ text: 'OPTIONS: Sweden for size, Norway for margins, Denmark for logistics.' });
  await composer.fill('Where do we start?');
  await moveChoice.selectOption('explore');
  await page.getByRole('button', { name: 'Send' }).click();
  const explore = timeline.getByRole('article', { name: 'AI · explore' });
  await expect(explore).toContainText('Denmark for logistics');
  await expect(explore).not.toContainText('Writing…');
  expect(lastChatMessages(fake)).toContain('Choose the first Nordic country to enter');

  fake.queueReply({ text: 'PUSHBACK: Sweden is crowded and the budget is thin.' });
  await moveChoice.selectOption('challenge');
  await page.getByRole('button', { name: 'Send' }).click();
  const challenge = timeline.getByRole('article', { name: 'AI · challenge' });
  await expect(challenge).toContainText('the budget is thin');
  await expect(challenge).not.toContainText('Writing…');

  // Steer: the explore set aside with a reason, the challenge edited.
  await explore.getByRole('button', { name: 'Set aside' }).click();
  await explore.getByRole('textbox', { name: 'Why set it aside? (optional)' }).fill('ignores our budget');
  await explore.getByRole('button', { name: 'Set aside' }).last().click();
  await expect(explore).toContainText('Set aside: ignores our budget');
  await challenge.getByRole('button', { name: 'Edit' }).click();
  await challenge
    .getByRole('textbox', { name: 'Edit AI turn' })
    .fill('PUSHBACK: Sweden is crowded; Denmark fits the budget.');
  await challenge.getByRole('button', { name: 'Save edit' }).click();
  await expect(challenge).toContainText('Edited by you');

  // Refine the draft and take one of its two changes.
  const draftPanel = page.getByRole('region', { name: 'Draft' });
  const draft = draftPanel.getByRole('textbox', { name: 'Draft' });
  await draft.fill('We enter Sweden first.\n\nWe hire a country manager.\n\nWe review after a year.');
  await expect(draftPanel.getByRole('status')).toHaveText('Saved');
  fake.queueReply({
    text: 'We enter Denmark first.\n\nWe hire a country manager.\n\nWe review after six months.',
  });
  await moveChoice.selectOption('refine');
  await composer.fill('Follow the edited challenge.');
  await page.getByRole('button', { name: 'Send' }).click();
  const refine = timeline.getByRole('article', { name: 'AI · refine' });
  const proposal = refine.getByRole('region', { name: 'Proposed changes' });
  await expect(proposal.getByRole('group', { name: /^Change \d+$/ })).toHaveCount(2);
  // What the model read: the edit, not the set-aside explore.
  const sent = lastChatMessages(fake);
  expect(sent).toContain('Denmark fits the budget');
  expect(sent).not.toContain('Norway for margins');
  await proposal.getByRole('checkbox', { name: 'Take change 2' }).uncheck();
  await proposal.getByRole('button', { name: 'Take selected changes' }).click();
  await expect(draft).toHaveValue(
    'We enter Denmark first.\n\nWe hire a country manager.\n\nWe review after a year.',
  );

  // Decide.
  await page.getByRole('button', { name: 'Decide' }).click();
  const form = page.getByRole('region', { name: 'Decision' });
  await form.getByRole('textbox', { name: 'Your choice' }).fill('Enter Denmark in 2027');
  await form.getByRole('textbox', { name: 'Rationale' }).fill('Fits the budget, short supply lines');
  await form.getByRole('spinbutton', { name: 'Confidence' }).fill('65');
  await form.getByRole('textbox', { name: 'Prediction' }).fill('Profitable within 18 months');
  await form.getByRole('button', { name: 'Record decision' }).click();
  const decision = page.getByRole('region', { name: 'Decision' });
  await expect(decision).toContainText('Enter Denmark in 2027');
  await expect(decision.getByRole('button', { name: 'Reopen loop' })).toBeVisible();

  // Export as Markdown (with the timeline) and as Word; the files hold the loop.
  await page.getByRole('button', { name: 'Export' }).click();
  const menu = page.getByRole('group', { name: 'Export the loop' });
  await menu.getByRole('checkbox', { name: 'Include the timeline' }).check();
  const markdownDownload = page.waitForEvent('download');
  await menu.getByRole('button', { name: 'Markdown (.md)' }).click();
  const markdown = await downloadedText(await markdownDownload);
  expect(markdown).toContain('# Nordic expansion');
  expect(markdown).toContain('**Goal:** Choose the first Nordic country to enter');
  expect(markdown).toContain('**Choice:** Enter Denmark in 2027');
  expect(markdown).toContain('**Confidence:** 65%');
  expect(markdown).toContain('We enter Denmark first.');
  expect(markdown).toMatch(/set aside: ignores our budget/);
  expect(markdown).toMatch(/edited by you/);

  const wordDownload = page.waitForEvent('download');
  await menu.getByRole('button', { name: 'Word (.docx)' }).click();
  const word = await wordDownload;
  expect(word.suggestedFilename()).toBe('Nordic-expansion.docx');
  const wordText = await downloadedWordText(word);
  expect(wordText).toContain('Nordic expansion');
  expect(wordText).toContain('Choose the first Nordic country to enter');
  expect(wordText).toContain('Enter Denmark in 2027');
  expect(wordText).toContain('We review after a year.');
});
