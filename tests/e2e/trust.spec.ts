import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { exportedArchive, openEngine, removeDir, tempDataDir, value } from '../helpers/engineHarness';
import { checkAccessibility } from './accessibility';
import { createSpaceAndLoop } from './workspace';

/** Every file under `dir`, at any depth. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** The files under the data folder that contain `text` as it would be written (UTF-8). */
async function filesContaining(dataDir: string, text: string): Promise<string[]> {
  const needle = Buffer.from(text, 'utf8');
  const found: string[] = [];
  for (const file of await allFiles(dataDir)) {
    if ((await readFile(file)).includes(needle)) found.push(file);
  }
  return found;
}

async function openSettingsSection(page: Page, name: string) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const section = page.getByRole('region', { name, exact: true });
  await section.scrollIntoViewIfNeeded();
  return section;
}

test('the Privacy page lists every request of the session, and says nothing else left', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');

  fake.queueReply({ text: 'Three options to weigh.' });
  const composer = page.getByRole('textbox', { name: 'Your message' });
  await composer.fill('Should we raise prices?');
  await composer.press('Enter');
  const answer = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · explore' });
  await expect(answer).toContainText('Three options to weigh.');

  await page.getByRole('navigation', { name: 'Spaces' }).getByRole('button', { name: 'Privacy' }).click();
  const privacy = page.getByRole('region', { name: 'Privacy', exact: true });
  await expect(privacy.getByRole('heading', { name: 'Privacy' })).toBeFocused();
  await expect(privacy).toContainText('Everything you write stays on this computer.');
  await expect(privacy).toContainText(`Keel’s only network connection is to your model host ${fake.url}`);
  await expect(privacy).toContainText('Nothing else left this computer.');

  const requests = privacy.getByRole('table', { name: 'Requests sent by Keel' });
  for (const column of ['Time', 'Host', 'Request', 'Model', 'Sent', 'Received', 'Result']) {
    await expect(requests.getByRole('columnheader', { name: column })).toBeVisible();
  }
  const chat = requests.getByRole('row').filter({ hasText: 'POST /api/chat' });
  await expect(chat.first()).toContainText('llama3.2');
  await expect(chat.first()).toContainText('OK');
  await expect(
    requests
      .getByRole('row')
      .filter({ hasText: /\/api\/(tags|show)/ })
      .first(),
  ).toBeVisible();
  // Newest first: the chat is above the first model check.
  const rows = await requests.getByRole('row').allInnerTexts();
  const chatIndex = rows.findIndex((row) => row.includes('/api/chat'));
  const firstCheck = rows.findLastIndex((row) => /\/api\/(tags|show|version)/.test(row));
  expect(chatIndex).toBeGreaterThan(0);
  expect(chatIndex).toBeLessThan(firstCheck);
  // Every row went to the model host and nowhere else.
  const hosts = await requests.locator('tbody tr td:nth-child(2)').allInnerTexts();
  expect(new Set(hosts)).toEqual(new Set([fake.url]));

  // A later request shows up on Refresh.
  const before = await requests.getByRole('row').count();
  fake.queueReply({ text: 'A second answer.' });
  await page.getByRole('button', { name: 'Close settings' }).click();
  await composer.fill('And then?');
  await composer.press('Enter');
  await expect(page.getByRole('article', { name: 'AI · explore' }).nth(1)).toContainText('A second answer.');
  await page.getByRole('navigation', { name: 'Spaces' }).getByRole('button', { name: 'Privacy' }).click();
  await privacy.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(() => requests.getByRole('row').count()).toBeGreaterThan(before);
});

test('encryption: nothing readable on disk, the lock screen after a restart, and Lock Keel', async ({
  page,
  dataDir,
  launchHost,
}) => {
  const spaceName = 'Halvorsen Family Trust';
  const secret = 'The second daughter should not inherit the boathouse';
  const passphrase = 'amber kettle nineteen quarry';

  let host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, spaceName, 'Succession plan');

  const encryption = await openSettingsSection(page, 'Encryption');
  await expect(encryption).toContainText('A forgotten passphrase cannot be recovered.');
  await encryption.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await encryption.getByLabel('Repeat passphrase', { exact: true }).fill('not the same');
  await encryption.getByRole('button', { name: 'Turn on encryption' }).click();
  await expect(encryption.getByRole('alert')).toContainText('not the same');
  await encryption.getByLabel('Repeat passphrase', { exact: true }).fill(passphrase);
  await encryption.getByRole('button', { name: 'Turn on encryption' }).click();
  await expect(encryption).toContainText('Encryption is on', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Lock Keel' })).toBeVisible();

  // A turn written after encryption is on.
  await page.getByRole('button', { name: 'Close settings' }).click();
  const composer = page.getByRole('textbox', { name: 'Your message' });
  await composer.fill(secret);
  await composer.press('Control+Enter');
  await expect(
    page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'You' }),
  ).toContainText(secret);

  await host.stop();
  expect((await allFiles(dataDir)).length).toBeGreaterThan(0);
  expect(await filesContaining(dataDir, secret)).toEqual([]);
  expect(await filesContaining(dataDir, spaceName)).toEqual([]);
  expect(await filesContaining(dataDir, 'Succession plan')).toEqual([]);

  host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Keel is locked' })).toBeVisible();
  await expect(page.getByText('Your data is encrypted. Enter your passphrase to unlock.')).toBeVisible();
  await expect(page.getByText(spaceName)).toHaveCount(0);

  const input = page.getByLabel('Passphrase', { exact: true });
  await expect(input).toBeFocused();
  await input.fill('wrong passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('That passphrase is not right');
  await expect(input).toBeFocused();
  // The wrong passphrase is selected, so typing again replaces it.
  const selected = await input.evaluate((element) => {
    const field = element as unknown as { selectionStart: number | null; selectionEnd: number | null };
    return (field.selectionEnd ?? 0) - (field.selectionStart ?? 0);
  });
  expect(selected).toBe('wrong passphrase'.length);

  await input.fill(passphrase);
  await input.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Succession plan' })).toBeVisible();
  await expect(
    page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'You' }),
  ).toContainText(secret);

  await page.getByRole('button', { name: 'Lock Keel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Keel is locked' })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByText(spaceName)).toHaveCount(0);

  // Ctrl+L locks too, once unlocked again.
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Succession plan' })).toBeVisible();
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { level: 1, name: 'Keel is locked' })).toBeVisible();
});

test('a damaged catalog at start offers the latest backup, and restoring it brings the space back', async ({
  page,
  dataDir,
  launchHost,
}) => {
  let host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Northwind', 'Board memo');

  const backups = await openSettingsSection(page, 'Backups');
  await backups.getByRole('button', { name: 'Back up now' }).click();
  await expect(backups.getByRole('status')).toContainText('Backed up at');
  await expect(backups.getByRole('table', { name: 'Backups' }).getByRole('row')).toHaveCount(2);
  await expect(backups.getByRole('table', { name: 'Backups' })).toContainText('Made by you');

  await host.stop();
  await writeFile(join(dataDir, 'catalog.json'), '{ this is not json', 'utf8');

  host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Keel could not open your data' })).toBeVisible();
  await expect(page.getByText(/catalog\.json/).first()).toBeVisible();
  await expect(page.getByText(/^Restore the backup from /)).toBeVisible();
  await page.getByRole('button', { name: 'Restore latest backup' }).click();

  const sidebar = page.getByRole('navigation', { name: 'Spaces' });
  await expect(sidebar.getByRole('heading', { name: 'Northwind' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Board memo' })).toBeVisible();
});

test('an archive goes in as an upload, and its model host and backup count wait for the person', async ({
  page,
  fake,
  launchHost,
}) => {
  // An archive made by another Keel that keeps one backup and sends to a host elsewhere.
  const elsewhere = await tempDataDir();
  let archive: Buffer;
  try {
    const other = await openEngine(elsewhere, fake.url);
    const space = value(await other.call('createSpace', { name: 'Imported work' }));
    value(await other.call('createLoop', { spaceId: space.id, title: 'Carried over' }));
    value(
      await other.call('updateSettings', {
        backupKeep: 1,
        ollamaHost: 'http://203.0.113.9:11434',
        allowRemoteHost: true,
      }),
    );
    archive = await exportedArchive(other);
    await other.close();
  } finally {
    await removeDir(elsewhere);
  }

  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');
  const transfer = await openSettingsSection(page, 'Transfer to another computer');
  await transfer
    .getByLabel('Archive file')
    .setInputFiles({ name: 'keel-archive.zip', mimeType: 'application/zip', buffer: archive });
  const dialog = page.getByRole('dialog', { name: 'Import an archive' });
  await dialog.getByRole('button', { name: 'Import and replace' }).click();
  await expect(dialog).toHaveCount(0);

  const review = page.getByRole('dialog', { name: 'Settings from the imported archive' });
  await expect(review).toContainText('Model host: http://203.0.113.9:11434');
  await expect(review).toContainText('A model host on another computer: allowed');
  await expect(review).toContainText('Daily and manual backups kept: 1');
  await expect(review.getByRole('button', { name: 'Keep my settings' })).toBeFocused();
  await review.getByRole('button', { name: 'Keep my settings' }).click();
  await expect(review).toHaveCount(0);
  // The model host stayed the person's own.
  const privacy = await openSettingsSection(page, 'Privacy');
  await expect(privacy).toContainText(fake.url);
  await expect(privacy).not.toContainText('203.0.113.9');
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expect(page.getByRole('navigation', { name: 'Spaces' })).toContainText('Imported work');
});

test('a background job that fails (Ollama gone while a memory is embedded) is listed in Settings → Diagnostics', async ({
  page,
  fake,
  launchHost,
}) => {
  // The embedding takes a moment, so the model host can go away while Keel waits for it.
  fake.configure({ embedDelayMs: 1500 });
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');

  const diagnostics = await openSettingsSection(page, 'Diagnostics');
  await expect(diagnostics).toContainText('Nothing has failed in the background since Keel started.');

  await page.getByRole('button', { name: 'Memory', exact: true }).click();
  await page.getByRole('textbox', { name: 'Remember' }).fill('Board memos stay under one page.');
  await page.getByRole('button', { name: 'Remember', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Memories' })).toContainText(
    'Board memos stay under one page.',
  );
  // The memory is saved; its meaning vector is still being computed when Ollama stops.
  await expect.poll(() => fake.requests.some((request) => request.path === '/api/embed')).toBe(true);
  await fake.stop();

  await openSettingsSection(page, 'Diagnostics');
  await diagnostics.getByRole('button', { name: 'Refresh' }).click();
  const problems = diagnostics.getByRole('list', { name: 'Background problems' });
  await expect(problems.getByRole('listitem')).toHaveCount(1);
  await expect(problems.getByRole('listitem')).toContainText('the meaning vector of a memory failed:');
  await expect(diagnostics).not.toContainText('Nothing has failed in the background');
  await checkAccessibility(page, 'settings with a background problem listed');
});
