/**
 * Search as a person meets it: words from one client's loop are found from another client's loop,
 * marked in the result, and open the loop at that turn; the space and kind filters narrow the
 * results; a draft and a memory are found too.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

/** Saves the composer's text as the person's turn, without asking the AI. */
async function addNote(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Your message' }).fill(text);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(
    page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'You' }).last(),
  ).toContainText(text);
}

test('finds words across spaces, opens a loop at the turn, and filters by space and kind', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);

  // The first client: turns (one the AI's), a memory and a draft.
  await createSpaceAndLoop(page, 'Acme', 'Pricing review');
  await addNote(page, 'The zephyrine discount ends in March, so renewals come first.');
  fake.queueReply({ text: 'OPTIONS: keep the list price, or move renewals to annual terms.' });
  await page.getByRole('textbox', { name: 'Your message' }).fill('What are our options?');
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('explore');
  await page.getByRole('button', { name: 'Send' }).click();
  const explore = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · explore' });
  await expect(explore).toContainText('annual terms');
  await expect(explore).not.toContainText('Writing…');
  await page
    .getByRole('textbox', { name: 'Your message' })
    .fill('Remember that Acme pays invoices quarterly');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(
    page
      .getByRole('log', { name: 'Timeline' })
      .getByRole('article', { name: 'You' })
      .last()
      .getByRole('button', { name: 'Remembered' }),
  ).toBeVisible();
  const draftPanel = page.getByRole('region', { name: 'Draft' });
  await draftPanel
    .getByRole('textbox', { name: 'Draft' })
    .fill('Proposal: the marmalade tier for small teams.');
  await expect(draftPanel.getByRole('status')).toHaveText('Saved');

  // The second client, whose loop stays open.
  await createSpaceAndLoop(page, 'Globex', 'Hiring plan');
  await addNote(page, 'Two engineers before summer; the discount on recruiters helps.');

  // Ctrl+Shift+F opens search with the box ready to type in.
  await page.getByRole('log', { name: 'Timeline' }).click();
  await page.keyboard.press('Control+Shift+F');
  await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
  const box = page.getByRole('searchbox', { name: 'Search everything' });
  await expect(box).toBeFocused();
  await box.pressSequentially('zephyr');
  const results = page.getByRole('list', { name: 'Search results' });
  const found = results.getByRole('listitem').filter({ hasText: 'zephyrine discount' });
  await expect(found).toHaveCount(1);
  await expect(found.locator('mark')).toHaveText('zephyrine');
  await expect(found).toContainText('Pricing review');
  await expect(found).toContainText('Acme');
  await expect(found).toContainText('Turn');

  // The result opens the first loop at that turn.
  await found.getByRole('button').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing review' })).toBeVisible();
  const turn = page
    .getByRole('log', { name: 'Timeline' })
    .getByRole('article')
    .filter({ hasText: 'zephyrine discount' });
  await expect(turn).toBeInViewport();
  await expect(turn).toBeFocused();

  // Back to search (the sidebar's button): the words are kept; the other space has no such words.
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(box).toHaveValue('zephyr');
  await expect(found).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Space' }).selectOption({ label: 'Globex' });
  await expect(page.getByRole('status').filter({ hasText: 'No results for “zephyr”' })).toBeVisible();
  await expect(results).toHaveCount(0);

  // A word in both spaces, then in the Acme space only.
  await box.fill('discount');
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results).toContainText('recruiters');
  await page.getByRole('combobox', { name: 'Space' }).selectOption({ label: 'All spaces' });
  await expect(results.getByRole('listitem')).toHaveCount(2);

  // Only memories: the memory, not the turn that made it.
  await box.fill('quarterly');
  await expect(results.getByRole('listitem')).toHaveCount(2);
  await page.getByRole('checkbox', { name: 'Memories' }).check();
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.getByRole('listitem')).toContainText('Memory');
  await expect(results.locator('mark')).toHaveText('quarterly');
  await page.getByRole('checkbox', { name: 'Memories' }).uncheck();

  // A word in the draft finds the draft; Enter on it opens the loop with the draft focused.
  await box.fill('marmalade');
  const draftResult = results.getByRole('listitem').filter({ hasText: 'Draft' });
  await expect(draftResult).toHaveCount(1);
  await expect(draftResult.locator('mark')).toHaveText('marmalade');
  await box.press('ArrowDown');
  await expect(draftResult.getByRole('button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing review' })).toBeVisible();
  await expect(draftPanel.getByRole('textbox', { name: 'Draft' })).toBeFocused();

  // "/" outside a text box opens search too; a memory opens on the memory page.
  await page.getByRole('log', { name: 'Timeline' }).click();
  await page.keyboard.press('/');
  await expect(box).toBeFocused();
  await box.fill('quarterly');
  await page.getByRole('checkbox', { name: 'Memories' }).check();
  await results.getByRole('listitem').getByRole('button').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Memory' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Memory details' })).toContainText('pays invoices quarterly');
});
