import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { FakeOllama } from '../fixtures/fakeOllama';
import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

/** The text of the last chat request the fake Ollama received, as the model saw it. */
function lastPrompt(fake: FakeOllama): string {
  const chats = fake.requests.filter((request) => request.path === '/api/chat');
  return JSON.stringify(chats.at(-1)?.body ?? null);
}

const pricing = 'Pricing: we raise list prices by 8% for new customers from April.';
const timing = 'Timing: existing customers keep their price until renewal.';
const risk = 'Risk: a few small accounts may leave; we accept that.';
const original = `${pricing}\n\n${timing}\n\n${risk}`;
const pricingRevised = 'Pricing: we raise list prices by 6% for new customers from April, 8% in July.';
const riskRevised = 'Risk: about five small accounts may leave; account managers call each one first.';
const revised = `${pricingRevised}\n\n${timing}\n\n${riskRevised}`;

test('a person writes a draft, takes one of two refine changes, restores, exports and uses the palette', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing memo');

  const draftPanel = page.getByRole('region', { name: 'Draft' });
  const draft = draftPanel.getByRole('textbox', { name: 'Draft' });
  const timeline = page.getByRole('log', { name: 'Timeline' });

  // The draft, then a refine asked for with Alt+5 at once: it must revise the draft just typed.
  await draft.fill(original);
  fake.queueReply({ text: revised });
  await draft.press('Alt+Digit5');
  const refine = timeline.getByRole('article', { name: 'AI · refine' });
  await expect(refine).toContainText('8% in July', { timeout: 15_000 });
  expect(lastPrompt(fake)).toContain('a few small accounts may leave');
  await expect(draftPanel.getByRole('status')).toHaveText('Saved');

  // Two changes proposed; the person takes only the first.
  const proposal = refine.getByRole('region', { name: 'Proposed changes' });
  await expect(proposal.getByRole('group', { name: /^Change \d+$/ })).toHaveCount(2);
  const second = proposal.getByRole('group', { name: 'Change 2' });
  await expect(second.getByRole('deletion')).toContainText(risk);
  await expect(second.getByRole('insertion')).toContainText(riskRevised);
  await expect(proposal.getByRole('checkbox', { name: 'Take change 1' })).toBeChecked();
  await proposal.getByRole('checkbox', { name: 'Take change 2' }).uncheck();
  await proposal.getByRole('button', { name: 'Take selected changes' }).click();
  await expect(proposal).toContainText('Taken: 1 of 2 changes');
  await expect(draft).toHaveValue(`${pricingRevised}\n\n${timing}\n\n${risk}`);

  // The versions: the draft before the refine and after it; restore the one before.
  await draftPanel.getByRole('button', { name: 'Versions' }).click();
  const versions = draftPanel.getByRole('list', { name: 'Draft versions' });
  await expect(versions.getByRole('listitem')).toHaveCount(2);
  await expect(versions.getByRole('listitem').first()).toContainText('After a refine: 1 of 2 changes taken');
  const before = versions.getByRole('listitem').filter({ hasText: 'Before a refine' });
  await before.getByRole('button', { name: 'Show text' }).click();
  await expect(before).toContainText('a few small accounts may leave');
  await before.getByRole('button', { name: 'Restore' }).click();
  const confirm = page.getByRole('dialog', { name: 'Restore this version?' });
  await confirm.getByRole('button', { name: 'Restore' }).click();
  await expect(confirm).toBeHidden();
  await expect(draft).toHaveValue(original);
  // The draft it replaced is the newest version already ("After a refine"), so no copy is added.
  await expect(versions.getByRole('listitem')).toHaveCount(2);

  // Save version with Ctrl+S in the editor.
  await draft.press('End');
  await draft.pressSequentially(' Reviewed by finance.');
  await draft.press('Control+s');
  await expect(draftPanel.getByRole('status')).toHaveText('Saved as a version');
  await expect(versions.getByRole('listitem').first()).toContainText('Saved by you');

  // Export as Markdown and as Word; both hold the title and the draft.
  await page.getByRole('button', { name: 'Export' }).click();
  const exportMenu = page.getByRole('group', { name: 'Export the loop' });
  const markdownDownload = page.waitForEvent('download');
  await exportMenu.getByRole('button', { name: 'Markdown (.md)' }).click();
  const markdownFile = await markdownDownload;
  expect(markdownFile.suggestedFilename()).toMatch(/\.md$/);
  const markdown = await readFile(await markdownFile.path(), 'utf8');
  expect(markdown).toContain('Pricing memo');
  expect(markdown).toContain(timing);
  expect(markdown).toContain('a few small accounts may leave; we accept that. Reviewed by finance.');

  await exportMenu.getByRole('checkbox', { name: 'Include the timeline' }).check();
  const wordDownload = page.waitForEvent('download');
  await exportMenu.getByRole('button', { name: 'Word (.docx)' }).click();
  const wordFile = await wordDownload;
  expect(wordFile.suggestedFilename()).toMatch(/\.docx$/);
  const documentXml = strFromU8(
    unzipSync(new Uint8Array(await readFile(await wordFile.path())))['word/document.xml']!,
  );
  expect(documentXml).toContain('Pricing memo');
  expect(documentXml).toContain('existing customers keep their price until renewal');

  // Print: a clean document of the loop, and nothing else of the app, on paper.
  // The page's globals, typed loosely: this file is compiled for Node, without the DOM's types.
  await page.evaluate(() => {
    const scope = globalThis as unknown as {
      print: () => void;
      document: { documentElement: { dataset: Record<string, string> } };
    };
    scope.print = () => {
      scope.document.documentElement.dataset.printed = 'yes';
    };
  });
  await exportMenu.getByRole('button', { name: 'Print or save as PDF' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-printed', 'yes');
  await page.emulateMedia({ media: 'print' });
  const printable = page.getByRole('article', { name: 'Printable loop' });
  await expect(printable.getByRole('heading', { level: 1 })).toHaveText('Pricing memo');
  await expect(printable).toContainText('Reviewed by finance.');
  await expect(draftPanel).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(printable).toBeHidden();

  // The command palette asks for a move too.
  fake.queueReply({ text: 'What if the July step lands during the budget freeze?' });
  await page.keyboard.press('Control+K');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const command = palette.getByRole('combobox', { name: 'Type a command' });
  await expect(command).toBeFocused();
  await command.fill('chall');
  await expect(palette.getByRole('option', { name: 'Challenge' })).toHaveAttribute('aria-selected', 'true');
  await expect(palette.getByRole('option', { name: 'Challenge' })).toHaveAttribute(
    'aria-keyshortcuts',
    'Alt+2',
  );
  await command.press('Enter');
  await expect(palette).toBeHidden();
  await expect(timeline.getByRole('article', { name: 'AI · challenge' })).toContainText('budget freeze', {
    timeout: 15_000,
  });

  // Arrow keys move through the commands; Esc closes the palette.
  await page.keyboard.press('Control+K');
  await command.fill('focus the');
  await command.press('ArrowDown');
  await expect(palette.getByRole('option', { name: 'Focus the draft' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await command.press('Enter');
  await expect(draft).toBeFocused();
  await page.keyboard.press('Control+K');
  await command.press('Escape');
  await expect(palette).toBeHidden();
});

test('a draft that could not be saved keeps its text and says why', async ({ page, launchHost }) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Journal', 'Monday');
  const draftPanel = page.getByRole('region', { name: 'Draft' });
  const draft = draftPanel.getByRole('textbox', { name: 'Draft' });

  // The engine goes away: the text stays and the panel says it is not saved.
  await page.route('**/api/call/saveDraft', (route) => route.abort('connectionrefused'));
  await draft.fill('A thought worth keeping.');
  await expect(draftPanel.getByRole('status')).toContainText('Not saved:');
  await expect(draft).toHaveValue('A thought worth keeping.');

  // It comes back: Try again saves it, and a reload shows it.
  await page.unroute('**/api/call/saveDraft');
  await draftPanel.getByRole('button', { name: 'Try again' }).click();
  await expect(draftPanel.getByRole('status')).toHaveText('Saved');
  await page.reload();
  await page.getByRole('button', { name: 'Monday' }).click();
  await expect(page.getByRole('textbox', { name: 'Draft' })).toHaveValue('A thought worth keeping.');
});
