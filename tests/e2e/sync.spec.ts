/**
 * Sync as a person sets it up: a space on one computer (a web host on one data folder) starts
 * syncing through a CouchDB-protocol server (PouchDB Server's HTTP layer, in memory, on loopback),
 * a second computer (another web host on another data folder) joins it, and a turn typed on one
 * appears on the other while both are open.
 */
import type { Page } from '@playwright/test';
import { startSyncServer, type SyncServer } from '../fixtures/syncServer';
import { removeDir, tempDataDir } from '../helpers/tempDir';
import { expect, test } from './fixtures';
import { checkAccessibility } from './accessibility';
import { createSpaceAndLoop } from './workspace';

let server: SyncServer;
test.beforeEach(async () => {
  server = await startSyncServer();
});
test.afterEach(async () => {
  await server.close();
});

async function fillServer(page: Page, form: string) {
  const fields = page.getByRole('form', { name: form });
  await fields.getByRole('textbox', { name: 'Server address' }).fill(server.url);
  await fields.getByRole('textbox', { name: 'Database name' }).fill('acme-keel');
  await fields.getByLabel('Sync passphrase').fill('tall ships at dawn');
  return fields;
}

async function startSyncing(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const setUp = await fillServer(page, 'Sync Acme Corp');
  await setUp.getByRole('button', { name: 'Start syncing Acme Corp' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Up to date' })).toBeVisible({ timeout: 15_000 });
}

/** The second computer (its own web host and data folder) joins the space and opens its loop. */
async function joinAndOpenLoop(other: Page, url: string) {
  await other.goto(url);
  await other.getByRole('button', { name: 'Settings', exact: true }).click();
  const join = await fillServer(other, 'Join a space');
  await join.getByRole('button', { name: 'Join space' }).click();
  await expect(other.getByRole('status').filter({ hasText: 'Up to date' })).toBeVisible({ timeout: 15_000 });
  await other.getByRole('button', { name: 'Close settings' }).click();
  await other.getByRole('button', { name: 'Pricing review' }).click();
}

async function addNote(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Your message' }).fill(text);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(
    page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'You' }).last(),
  ).toContainText(text);
}

test('a space set up to sync on one computer is joined from another, and a turn typed on one appears on the other', async ({
  page,
  context,
  launchHost,
}) => {
  const laptop = await launchHost();
  await page.goto(laptop.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');
  await addNote(page, 'Competitors raised prices by 6%');

  await startSyncing(page);
  await checkAccessibility(page, 'Settings with a space syncing');

  const otherFolder = await tempDataDir();
  try {
    const desktop = await launchHost({ dataDir: otherFolder });
    const other = await context.newPage();
    await joinAndOpenLoop(other, desktop.url);
    const otherTimeline = other.getByRole('log', { name: 'Timeline' });
    await expect(otherTimeline).toContainText('Competitors raised prices by 6%');

    // Both open: typed on the laptop, it appears on the desktop without a reload.
    await page.getByRole('button', { name: 'Close settings' }).click();
    await addNote(page, 'Our churn is the lowest in the market');
    await expect(otherTimeline).toContainText('Our churn is the lowest in the market', { timeout: 10_000 });
    // And back.
    await addNote(other, 'Board meets in March');
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('Board meets in March', {
      timeout: 10_000,
    });
    await desktop.stop();
  } finally {
    await removeDir(otherFolder);
  }
});

test('a draft changed on both computers while the server was down is shown as a conflict in its loop, and dismissed', async ({
  page,
  context,
  launchHost,
}) => {
  const laptop = await launchHost();
  await page.goto(laptop.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');
  const draftOf = (on: Page) =>
    on.getByRole('region', { name: 'Draft' }).getByRole('textbox', { name: 'Draft' });
  const saved = (on: Page) =>
    expect(on.getByRole('region', { name: 'Draft' }).getByRole('status')).toHaveText('Saved');
  await draftOf(page).fill('Plan\nRaise by 4%\n');
  await saved(page);
  await startSyncing(page);
  await page.getByRole('button', { name: 'Close settings' }).click();

  const otherFolder = await tempDataDir();
  try {
    const desktop = await launchHost({ dataDir: otherFolder });
    const other = await context.newPage();
    await joinAndOpenLoop(other, desktop.url);
    await expect(draftOf(other)).toHaveValue('Plan\nRaise by 4%\n');

    // The server goes down; each computer changes the same line of the draft.
    await server.kill();
    await draftOf(page).fill('Plan\nRaise by 5%\n');
    await saved(page);
    await draftOf(other).fill('Plan\nRaise by 3%\n');
    await saved(other);
    await server.restart();

    const notices = (on: Page) => on.getByRole('region', { name: 'Sync conflicts in this loop' });
    // One of the two merges the other's draft into its own and tells the person, in the loop.
    await expect
      .poll(async () => (await notices(page).isVisible()) || (await notices(other).isVisible()), {
        timeout: 20_000,
      })
      .toBe(true);
    const where = (await notices(page).isVisible()) ? page : other;
    await where.getByText('Both computers changed the draft').click();
    await expect(notices(where)).toContainText('both are kept as versions');
    await checkAccessibility(where, 'a loop with a sync conflict shown');
    await notices(where).getByRole('button', { name: 'Dismiss: Both computers changed the draft' }).click();
    await expect(notices(where)).toHaveCount(0);
    await desktop.stop();
  } finally {
    await removeDir(otherFolder);
  }
});
