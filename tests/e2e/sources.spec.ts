/**
 * Sources as a person meets them: documents added to a space (picked and dropped) are read on this
 * computer, a damaged one says why while the others go in, and the AI's next move is given the
 * passages that fit, says which, and opens each at its place; in a loop a source can be left out,
 * and once removed the turns that cited it say only "a removed source"; pasted text is a source too.
 */
import type { Locator, Page } from '@playwright/test';
import { docxFile, pdfFile } from '../fixtures/sourceFiles';
import { expect, test } from './fixtures';
import { askExplore as ask, createSpace, createSpaceAndLoop, lastChatMessages, newLoopIn } from './workspace';

const churn = 'Churn fell to 4 percent in Rotterdam after the loyalty scheme started.';
const pricing = 'The zephyrine tier costs 40 euros per seat for customers in the Benelux.';
const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A two-page PDF: the review's opening, then the churn figure on page 2. */
function reviewPdf(): Promise<Uint8Array> {
  return pdfFile(['Quarterly review for the board.\nRevenue grew in the north.', churn]);
}

interface DroppedFile {
  name: string;
  mimeType: string;
  base64: string;
}

/**
 * The page's globals used to build a drop, typed loosely: this file is compiled for Node, without
 * the DOM's types (the function runs in the page).
 */
interface DropScope {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  atob(data: string): string;
}

/** Drops files on `target` as the desktop would: dragenter, dragover and drop with a DataTransfer. */
async function dropFiles(page: Page, target: Locator, files: DroppedFile[]) {
  const dataTransfer = await page.evaluateHandle((dropped) => {
    const scope = globalThis as unknown as DropScope;
    const transfer = new scope.DataTransfer();
    for (const file of dropped) {
      const bytes = Uint8Array.from(scope.atob(file.base64), (char) => char.charCodeAt(0));
      transfer.items.add(new scope.File([bytes], file.name, { type: file.mimeType }));
    }
    return transfer;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
}

/** The label ("P2") a turn gave the passage listed with `text`. */
async function labelOf(given: Locator, text: string): Promise<string> {
  const line = await given.getByRole('listitem').filter({ hasText: text }).textContent();
  const label = /\[(P\d+)\]/.exec(line ?? '')?.[1];
  if (!label) throw new Error(`No passage “${text}” among: ${await given.textContent()}`);
  return label;
}

test('files added to a space are given to the AI, which cites them, and each opens at its passage', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpace(page, 'Acme');
  const sources = page.getByRole('region', { name: 'Sources of Acme' });
  await expect(sources).toContainText('No sources in Acme yet.');

  // Two files picked (one of them damaged) and a Word document dropped on the drop zone.
  const reviewBytes = Buffer.from(await reviewPdf());
  await sources.getByLabel('Add source files').setInputFiles([
    { name: 'Q3 review.pdf', mimeType: 'application/pdf', buffer: reviewBytes },
    { name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 garbage') },
  ]);
  const brief = await docxFile([{ heading: 'Pricing', paragraphs: [pricing] }]);
  await dropFiles(page, sources.getByTestId('source-drop-zone'), [
    { name: 'Pricing brief.docx', mimeType: docxType, base64: Buffer.from(brief).toString('base64') },
  ]);

  const list = sources.getByRole('list', { name: 'Sources', exact: true });
  const review = list.getByRole('listitem', { name: 'Q3 review.pdf' });
  await expect(review).toContainText('PDF');
  await expect(review).toContainText('2 pages');
  await expect(review).toContainText('Not used yet');
  await expect(list.getByRole('listitem', { name: 'Pricing brief.docx' })).toContainText('Word');
  await expect(sources.getByRole('alert')).toContainText('broken.pdf');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(sources.getByRole('progressbar')).toHaveCount(0);
  // Dismissed, the message goes and the keyboard stays in the panel.
  await sources.getByRole('button', { name: 'Dismiss the message about broken.pdf' }).click();
  await expect(sources.getByRole('alert')).toHaveCount(0);
  await expect(sources.getByRole('button', { name: 'Add files' })).toBeFocused();

  // The same file again is not copied twice.
  await sources.getByLabel('Add source files').setInputFiles({
    name: 'Q3 review.pdf',
    mimeType: 'application/pdf',
    buffer: reviewBytes,
  });
  await expect(sources.getByRole('status').filter({ hasText: 'already in this space' })).toContainText(
    'Q3 review.pdf is already in this space',
  );
  await expect(list.getByRole('listitem')).toHaveCount(2);

  // A loop of the space asks a move: it is given the passages that fit, and cites them.
  await newLoopIn(page, 'Acme', 'Rotterdam renewal');
  const turn = await ask(
    page,
    fake,
    'What do we know about churn in Rotterdam, and what does the zephyrine tier cost?',
    'Churn is down to 4 percent [P1]. The tier costs 40 euros a seat [P1, P2].',
  );
  const given = turn.getByRole('region', { name: 'Passages given' });
  await expect(given).toContainText('Q3 review.pdf · page 2');
  await expect(given).toContainText('Pricing brief.docx · Pricing');
  const sent = lastChatMessages(fake);
  expect(sent).toContain(churn);
  expect(sent).toContain(pricing);
  expect(sent).toContain('[P1]');

  // "Open P…" shows the PDF at page 2, its passage marked and in focus.
  const churnLabel = await labelOf(given, 'Q3 review.pdf · page 2');
  await given.getByRole('button', { name: `Open ${churnLabel}`, exact: true }).click();
  const viewer = page.getByRole('dialog', { name: 'Q3 review.pdf' });
  const current = viewer.locator('[aria-current="true"]');
  await expect(current).toContainText(churn);
  await expect(current).toContainText('Page 2');
  await expect(current).toBeFocused();
  await expect(viewer.getByRole('listitem')).toHaveCount(2);

  // Open original hands back the file as it was added.
  const downloading = page.waitForEvent('download');
  await viewer.getByRole('button', { name: 'Open original' }).click();
  expect((await downloading).suggestedFilename()).toBe('Q3 review.pdf');
  await viewer.getByRole('button', { name: 'Close' }).click();
  await expect(viewer).toHaveCount(0);

  // A citation in the answer opens its passage too.
  const pricingLabel = await labelOf(given, 'Pricing brief.docx · Pricing');
  const markdown = turn.locator('.markdown');
  await markdown.getByRole('button', { name: pricingLabel, exact: true }).first().click();
  const briefViewer = page.getByRole('dialog', { name: 'Pricing brief.docx' });
  await expect(briefViewer.locator('[aria-current="true"]')).toContainText(pricing);
  await expect(briefViewer.locator('[aria-current="true"]')).toContainText('Pricing');
  await page.keyboard.press('Escape');
  await expect(briefViewer).toHaveCount(0);

  // The loop's panel lists the space's sources, now used once.
  await page.getByRole('button', { name: 'Sources', exact: true }).click();
  const loopSources = page.getByRole('region', { name: 'Sources for this loop' });
  await expect(loopSources.getByRole('listitem', { name: 'Q3 review.pdf' })).toContainText('Used in 1 turn');
  await expect(loopSources.getByRole('listitem', { name: 'Q3 review.pdf' })).toContainText('From the space');

  // Search finds the words in a source and opens it there.
  await page.keyboard.press('Control+Shift+F');
  await page.getByRole('searchbox', { name: 'Search everything' }).fill('loyalty');
  const results = page.getByRole('list', { name: 'Search results' });
  await results.getByRole('button', { name: /Source.*Q3 review\.pdf/ }).click();
  await expect(
    page.getByRole('dialog', { name: 'Q3 review.pdf' }).locator('[aria-current="true"]'),
  ).toContainText(churn);
});

test('a source left out of a loop is not given to it, and once removed its citations say so', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Globex', 'Churn study');

  // The command palette opens the loop's sources, ready to add files.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox', { name: 'Type a command' }).fill('Add sources');
  await page.keyboard.press('Enter');
  const panel = page.getByRole('region', { name: 'Sources for this loop' });
  await expect(panel.getByRole('button', { name: 'Add files' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Sources', exact: true })).toHaveAttribute(
    'aria-expanded',
    'true',
  );

  // Added to this loop only, from the loop's own panel.
  await expect(panel.getByRole('radio', { name: 'This loop only' })).toBeChecked();
  await panel.getByLabel('Add source files').setInputFiles({
    name: 'Q3 review.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from(await reviewPdf()),
  });
  const item = panel.getByRole('listitem', { name: 'Q3 review.pdf' });
  await expect(item).toContainText('This loop only');

  await ask(page, fake, 'Where did churn fall after the loyalty scheme?', 'In Rotterdam [P1].');
  const first = page
    .getByRole('log', { name: 'Timeline' })
    .getByRole('article', { name: 'AI · explore' })
    .first();
  await expect(first.getByRole('region', { name: 'Passages given' })).toContainText('Q3 review.pdf · page 2');

  // Left out: the next move is given nothing from it, and says so.
  const inLoop = item.getByRole('combobox', { name: /In this loop/ });
  await inLoop.selectOption('left-out');
  await expect(inLoop).toHaveValue('left-out');
  await expect(item.getByText('Left out', { exact: true }).first()).toBeVisible();
  const second = await ask(
    page,
    fake,
    'And churn in Rotterdam after the loyalty scheme?',
    'Nothing to cite.',
  );
  await expect(second.getByRole('region', { name: 'Passages given' })).toHaveCount(0);
  await expect(second).toContainText('No passages from your sources were given.');
  expect(lastChatMessages(fake)).not.toContain(churn);

  // Removed for good: after saying what that means, it leaves the list and the citing turn.
  await item.getByRole('button', { name: 'Remove Q3 review.pdf' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove this source?' });
  await expect(confirm).toContainText('deleted from this computer');
  await expect(confirm).toContainText('backups');
  await expect(confirm).toContainText('a removed source');
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(panel).toContainText('No sources for this loop yet.');
  const cited = first.getByRole('region', { name: 'Passages given' });
  await expect(cited).toContainText('[P1] a removed source');
  await expect(cited.getByRole('button', { name: 'Open P1' })).toHaveCount(0);

  // Pasted text is a source too, under the title given.
  await panel.getByRole('button', { name: 'Add pasted text' }).click();
  const paste = page.getByRole('dialog', { name: 'Add pasted text' });
  await paste.getByRole('textbox', { name: 'Title' }).fill('Call notes with Dana');
  await paste
    .getByRole('textbox', { name: 'Text' })
    .fill('Dana said the renewal budget is frozen until June.');
  await paste.getByRole('button', { name: 'Add text' }).click();
  await expect(paste).toHaveCount(0);
  await expect(panel.getByRole('listitem', { name: 'Call notes with Dana' })).toContainText('Text');

  // The engine kept it so: after a reload the turn still says so.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Churn study' })).toBeVisible();
  const reloaded = page
    .getByRole('log', { name: 'Timeline' })
    .getByRole('article', { name: 'AI · explore' })
    .first();
  await expect(reloaded.getByRole('region', { name: 'Passages given' })).toContainText(
    '[P1] a removed source',
  );
});

test('a large file shows how its reading goes, file by file, until it is in', async ({
  page,
  fake,
  launchHost,
}) => {
  // Each batch of passages takes the embedding model a while, as it does on a laptop.
  fake.configure({ embedDelayMs: 1000 });
  const host = await launchHost();
  await page.goto(host.url);
  await createSpace(page, 'Initech');
  const sources = page.getByRole('region', { name: 'Sources of Initech' });
  const pages = Array.from(
    { length: 24 },
    (_, n) =>
      `Chapter ${n + 1} of the annual report.\n${'Revenue and churn by region, explained at length. '.repeat(12)}`,
  );
  await sources.getByLabel('Add source files').setInputFiles([
    { name: 'Annual report.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await pdfFile(pages)) },
    { name: 'Notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n\nA short note.') },
  ]);

  const reading = sources.getByRole('progressbar', { name: 'Adding Annual report.pdf' });
  await expect(reading).toBeVisible();
  await expect(sources).toContainText('Embedding passages for search by meaning');
  // The second file waits its turn, then goes in too.
  await expect(sources).toContainText('Waiting for the files before it');
  const list = sources.getByRole('list', { name: 'Sources', exact: true });
  await expect(list.getByRole('listitem', { name: 'Annual report.pdf' })).toContainText('24 pages');
  await expect(list.getByRole('listitem', { name: 'Notes.md' })).toBeVisible();
  await expect(sources.getByRole('progressbar')).toHaveCount(0);
});
