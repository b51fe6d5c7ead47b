/** Steps and reads shared by the workspace's Chromium tests. */
import { readFile } from 'node:fs/promises';
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import type { FakeOllama, FakeReplyRequest } from '../fixtures/fakeOllama';

/** Creates a space of the given kind, as a person would, and waits for it in the sidebar. */
export async function createSpace(page: Page, space: string, kind = 'client') {
  await page.getByRole('button', { name: 'New space' }).first().click();
  const spaceDialog = page.getByRole('dialog', { name: 'New space' });
  await spaceDialog.getByRole('textbox', { name: 'Space name' }).fill(space);
  await spaceDialog.getByRole('combobox', { name: 'Kind' }).selectOption(kind);
  await spaceDialog.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByRole('button', { name: `New loop in ${space}` })).toBeVisible();
}

/** Creates a space of the given kind and a loop in it, as a person would, and waits for the loop to open. */
export async function createSpaceAndLoop(page: Page, space: string, loop: string, kind = 'client') {
  await createSpace(page, space, kind);
  await newLoopIn(page, space, loop);
}

/** Starts a loop in an existing space from the sidebar and waits for it to open. */
export async function newLoopIn(page: Page, space: string, loop: string) {
  await page.getByRole('button', { name: `New loop in ${space}` }).click();
  const loopDialog = page.getByRole('dialog', { name: 'New loop' });
  await loopDialog.getByRole('textbox', { name: 'Loop title' }).fill(loop);
  await loopDialog.getByRole('button', { name: 'Create loop' }).click();
  await expect(page.getByRole('heading', { level: 1, name: loop })).toBeVisible();
}

/**
 * Writes in the composer, asks for an explore move with the fake's next answer, and waits for it to
 * finish. Citation markers ([P1]) show as buttons, so only the words before the first one are awaited.
 */
export async function askExplore(
  page: Page,
  fake: FakeOllama,
  text: string,
  answer: string,
): Promise<Locator> {
  fake.queueReply({ text: answer });
  await page.getByRole('textbox', { name: 'Your message' }).fill(text);
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('explore');
  await page.getByRole('button', { name: 'Send' }).click();
  const turn = page
    .getByRole('log', { name: 'Timeline' })
    .getByRole('article', { name: 'AI · explore' })
    .last();
  await expect(turn).toContainText(answer.split('[')[0]!.trim());
  await expect(turn).not.toContainText('Writing…');
  return turn;
}

/** Everything the engine sent the model in its latest chat request, as one string. */
export function lastChatMessages(fake: FakeOllama): string {
  const chats = fake.requests.filter((request) => request.path === '/api/chat');
  const body = chats.at(-1)?.body as FakeReplyRequest | undefined;
  return (body?.messages ?? []).map((message) => message.content).join('\n');
}

/** The text of a downloaded file. */
export async function downloadedText(download: Download): Promise<string> {
  return readFile(await download.path(), 'utf8');
}

/** The text of a downloaded Word document's body, without its XML tags. */
export async function downloadedWordText(download: Download): Promise<string> {
  const files = unzipSync(new Uint8Array(await readFile(await download.path())));
  return strFromU8(files['word/document.xml']!).replace(/<[^>]+>/g, '');
}
