/**
 * The whole loop with the keyboard alone, as someone who cannot use a mouse works: a space, a loop,
 * its intent, a move, every way of steering a turn, a refine with one change taken, the decision and
 * the export. After every key the focus is on screen and visibly marked. On the way: dialogs take
 * the focus and give it back, and a streamed answer is announced once at its start and once at its end.
 */
import type { Page } from '@playwright/test';
import { expectVisibleFocus, tabTo } from './accessibility';
import { expect, test } from './fixtures';

/** Presses `key` and checks that the focus is still visible afterwards. */
async function press(page: Page, key: string) {
  await page.keyboard.press(key);
  await expectVisibleFocus(page, key);
}

/** Types `text` into whatever has the focus, key by key. */
async function type(page: Page, text: string) {
  await page.keyboard.type(text);
  await expectVisibleFocus(page, `typing “${text}”`);
}

/** Whether the focus is inside the element `selector` names. */
function focusInside(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((inside) => {
    const scope = globalThis as unknown as {
      document: { activeElement: { closest(selector: string): unknown } | null };
    };
    return scope.document.activeElement?.closest(inside) != null;
  }, selector);
}

/**
 * Counts what changes in the AI answer's live region from now on, and the texts it takes: a screen
 * reader speaks each change of a polite region, so a streamed answer must change it only twice.
 */
async function watchAnnouncements(page: Page) {
  await page.getByRole('status', { name: 'AI answer' }).evaluate((region) => {
    const scope = globalThis as unknown as {
      keelAnnouncements: { changes: number; texts: string[] };
      MutationObserver: new (callback: (records: unknown[]) => void) => {
        observe(target: unknown, options: object): void;
      };
    };
    const log = { changes: 0, texts: [] as string[] };
    scope.keelAnnouncements = log;
    new scope.MutationObserver((records) => {
      log.changes += records.length;
      log.texts.push((region as { textContent: string | null }).textContent ?? '');
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
  return () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { keelAnnouncements: { changes: number; texts: string[] } })
          .keelAnnouncements,
    );
}

test('the whole loop with the keyboard alone, the focus always visible', async ({
  page,
  fake,
  launchHost,
}) => {
  test.setTimeout(300_000);
  // Slow enough that an answer arrives as many pieces, as a real model's does.
  fake.configure({ chunkDelayMs: 40 });
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');

  // A space. The dialog takes the focus; Esc closes it and gives the focus back to its opener.
  const newSpace = page.getByRole('button', { name: 'New space' }).first();
  await tabTo(page, newSpace);
  await press(page, 'Enter');
  const spaceDialog = page.getByRole('dialog', { name: 'New space' });
  await expect(spaceDialog.getByRole('textbox', { name: 'Space name' })).toBeFocused();
  // Tab stays in the dialog: the page behind it is inert.
  for (let presses = 0; presses < 8; presses++) {
    await page.keyboard.press('Tab');
    expect(await focusInside(page, 'dialog'), 'the focus stays in the open dialog').toBe(true);
  }
  await press(page, 'Escape');
  await expect(spaceDialog).toHaveCount(0);
  await expect(newSpace).toBeFocused();
  await press(page, 'Enter');
  await type(page, 'Northwind');
  await press(page, 'Enter');
  await expect(page.getByRole('button', { name: 'New loop in Northwind' })).toBeVisible();

  // A loop, with Ctrl+N.
  await press(page, 'Control+n');
  const loopDialog = page.getByRole('dialog', { name: 'New loop' });
  await expect(loopDialog.getByRole('textbox', { name: 'Loop title' })).toBeFocused();
  await type(page, 'Market entry');
  await press(page, 'Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Market entry' })).toBeVisible();
  await expectVisibleFocus(page, 'the loop opened');

  // The intent.
  const intent = page.getByRole('region', { name: 'Intent' });
  await tabTo(page, intent.getByRole('button', { name: 'Edit intent' }), 80);
  await press(page, 'Enter');
  await expect(intent.getByRole('textbox', { name: 'Goal' })).toBeFocused();
  await type(page, 'Choose the first Nordic country to enter');
  await tabTo(page, intent.getByRole('button', { name: 'Save intent' }));
  await press(page, 'Enter');
  await expect(intent).toContainText('Choose the first Nordic country to enter');
  await expectVisibleFocus(page, 'the intent saved');

  // A move: explore, asked with Alt+1 from the composer. The live region speaks twice, not per word.
  const composer = page.getByRole('textbox', { name: 'Your message' });
  await tabTo(page, composer, 80);
  await type(page, 'Denmark, Sweden or Norway first?');
  const announcements = await watchAnnouncements(page);
  fake.queueReply({
    text: 'Three angles to weigh: market size, distance from our warehouse, and the partners we already know there.',
  });
  await press(page, 'Alt+1');
  const timeline = page.getByRole('log', { name: 'Timeline' });
  const explore = timeline.getByRole('article', { name: 'AI · explore' });
  await expect(explore).toContainText('partners we already know there.');
  await expect(explore).not.toContainText('Writing…');
  await expect(page.getByRole('status', { name: 'AI answer' })).toHaveText('Answer finished');
  const heard = await announcements();
  expect(heard.texts).toEqual(['Keel is answering: explore…', 'Answer finished']);
  expect(heard.changes).toBeLessThanOrEqual(2);
  await expectVisibleFocus(page, 'the answer arrived');

  // Steer it every way: keep, pin, edit, regenerate with a steer, set aside.
  const keep = explore.getByRole('button', { name: 'Keep' });
  await tabTo(page, keep);
  await press(page, 'Enter');
  await expect(keep).toHaveAttribute('aria-pressed', 'true');

  await tabTo(page, explore.getByRole('button', { name: 'Pin' }));
  await press(page, 'Enter');
  await expect(explore).toContainText("Pinned — always in the AI's context");
  await expect(explore.getByRole('button', { name: 'Unpin' })).toBeFocused();

  await tabTo(page, explore.getByRole('button', { name: 'Edit' }));
  await press(page, 'Enter');
  const edit = explore.getByRole('textbox', { name: 'Edit AI turn' });
  await expect(edit).toBeFocused();
  await press(page, 'Control+End');
  await type(page, ' Start with Denmark.');
  await tabTo(page, explore.getByRole('button', { name: 'Save edit' }));
  await press(page, 'Enter');
  await expect(explore).toContainText('Edited by you');

  await tabTo(page, explore.getByRole('button', { name: 'Regenerate' }));
  await press(page, 'Enter');
  const steer = explore.getByRole('textbox', { name: 'Steer (optional)' });
  await expect(steer).toBeFocused();
  await type(page, 'Shorter');
  fake.queueReply({ text: 'Market size first: Sweden.' });
  await press(page, 'Enter');
  await expect(explore).toContainText('Version 2 of 2');
  await expect(explore).toContainText('Market size first: Sweden.');
  await expect(explore).not.toContainText('Writing…');
  await expectVisibleFocus(page, 'the regenerated answer arrived');

  await tabTo(page, explore.getByRole('button', { name: 'Set aside' }));
  await press(page, 'Enter');
  await expect(explore.getByRole('textbox', { name: 'Why set it aside? (optional)' })).toBeFocused();
  await type(page, 'too early');
  await press(page, 'Enter');
  await expect(explore).toContainText('Set aside: too early');
  await expectVisibleFocus(page, 'the turn set aside');

  // Refine: a draft, Alt+5, and one of the two changes taken.
  const draft = page.getByRole('region', { name: 'Draft' }).getByRole('textbox', { name: 'Draft' });
  await tabTo(page, draft, 80);
  await type(page, 'We enter Denmark in 2027.');
  await press(page, 'Enter');
  await press(page, 'Enter');
  await type(page, 'Budget: 2M.');
  await expect(page.getByRole('region', { name: 'Draft' }).getByRole('status')).toHaveText('Saved');
  fake.queueReply({ text: 'We enter Denmark in spring 2027.\n\nBudget: 2M, with 10% held back.' });
  await press(page, 'Alt+5');
  const proposal = timeline
    .getByRole('article', { name: 'AI · refine' })
    .getByRole('region', { name: 'Proposed changes' });
  await expect(proposal.getByRole('group', { name: /^Change \d+$/ })).toHaveCount(2);
  await tabTo(page, proposal.getByRole('checkbox', { name: 'Take change 2' }), 80);
  await press(page, 'Space');
  await expect(proposal.getByRole('checkbox', { name: 'Take change 2' })).not.toBeChecked();
  await tabTo(page, proposal.getByRole('button', { name: 'Take selected changes' }));
  await press(page, 'Enter');
  await expect(proposal).toContainText('Taken: 1 of 2 changes');
  await expect(draft).toHaveValue('We enter Denmark in spring 2027.\n\nBudget: 2M.');
  await expectVisibleFocus(page, 'the change taken');

  // Decide.
  await tabTo(page, page.getByRole('button', { name: 'Decide' }), 120);
  await press(page, 'Enter');
  const form = page.getByRole('region', { name: 'Decision' });
  await expect(form.getByRole('textbox', { name: 'Your choice' })).toBeFocused();
  await type(page, 'Enter Denmark in spring 2027');
  await tabTo(page, form.getByRole('textbox', { name: 'Rationale' }));
  await type(page, 'Closest market, partners we know');
  await tabTo(page, form.getByRole('spinbutton', { name: 'Confidence' }));
  await type(page, '65');
  await tabTo(page, form.getByRole('button', { name: 'Record decision' }));
  await press(page, 'Enter');
  await expect(
    page.getByRole('region', { name: 'Decision' }).getByRole('button', { name: 'Reopen loop' }),
  ).toBeVisible();
  await expectVisibleFocus(page, 'the decision recorded');

  // Export as Markdown.
  await tabTo(page, page.getByRole('button', { name: 'Export' }), 120);
  await press(page, 'Enter');
  const menu = page.getByRole('group', { name: 'Export the loop' });
  await tabTo(page, menu.getByRole('button', { name: 'Markdown (.md)' }));
  const download = page.waitForEvent('download');
  await press(page, 'Enter');
  expect((await download).suggestedFilename()).toMatch(/\.md$/);
  await expect(menu.getByRole('status')).toBeVisible();
  await expectVisibleFocus(page, 'the export done');
});
