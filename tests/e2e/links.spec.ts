/**
 * Links in answers, in the browser workspace: they open in a new tab that gets neither this page
 * nor its address, and only after the person has seen the full address and confirmed it. (In the
 * desktop window the same confirmation ends in the main process's checked `openExternal`; see
 * electron/main/index.test.ts and externalLinks.test.ts.)
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { askExplore, createSpaceAndLoop } from './workspace';

const report = 'https://example.com/annual-report?year=2026#costs';

test('a link in an answer opens in a new tab only after the person confirms its full address', async ({
  page,
  fake,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Annual report');
  const turn = await askExplore(
    page,
    fake,
    'Where are the numbers?',
    `See [the annual report](${report}), [a trap](javascript:alert(1)), [a file](file:///etc/passwd) or [Ada](mailto:ada@example.com).`,
  );

  // Only http(s) and mailto are links; the rest is shown as text.
  await expect(turn.getByRole('link')).toHaveCount(2);
  await expect(turn).toContainText('a trap');
  await expect(turn).toContainText('a file');

  const opened: Page[] = [];
  page.context().on('page', (other) => opened.push(other));
  await page
    .context()
    .route('https://example.com/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Annual report</title><p>Costs</p>' }),
    );

  // Cancel (focused first) opens nothing.
  await turn.getByRole('link', { name: 'the annual report' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open this link?' });
  await expect(dialog).toContainText(report);
  await expect(dialog).toContainText('in your web browser');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(turn.getByRole('link', { name: 'the annual report' })).toBeFocused();

  // A middle-click asks too.
  await turn.getByRole('link', { name: 'the annual report' }).click({ button: 'middle' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForTimeout(300);
  expect(opened).toHaveLength(0);

  // Confirmed, it opens in a new tab with no way back to Keel's page and no referrer.
  await turn.getByRole('link', { name: 'the annual report' }).click();
  const tab = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: 'Open in browser' }).click();
  const newTab = await tab;
  await newTab.waitForLoadState();
  expect(newTab.url()).toBe(report);
  expect(
    await newTab.evaluate(() => {
      const scope = globalThis as unknown as { opener: unknown; document: { referrer: string } };
      return [scope.opener === null, scope.document.referrer];
    }),
  ).toEqual([true, '']);
  await expect(dialog).toBeHidden();
  expect(new URL(page.url()).origin).toBe(host.origin);

  // A mail link says where it goes.
  await turn.getByRole('link', { name: 'Ada' }).click();
  await expect(dialog).toContainText('mailto:ada@example.com');
  await expect(dialog).toContainText('in your mail program');
  await expect(dialog.getByRole('button', { name: 'Write email' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test.describe('in the desktop window without its bridge', () => {
  // What the desktop window's page sees in `npm run dev` (its preload is what is missing here).
  test.use({
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Electron/45.5.0 Safari/537.36',
  });

  test('says the bridge did not load, instead of calling a server that is not there', async ({
    page,
    launchHost,
  }) => {
    const host = await launchHost();
    const calls: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') calls.push(request.url());
    });
    await page.goto(host.url);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Keel’s desktop bridge did not load' }),
    ).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('nothing can be opened or saved');
    await expect(page.getByRole('main')).toContainText('its preload script did not run');
    await expect(page.getByRole('button', { name: 'New space' })).toHaveCount(0);
    expect(calls).toEqual([]);
  });

  test('says the bridge is broken when it lacks calls', async ({ page, launchHost }) => {
    const host = await launchHost();
    await page.addInitScript(() => {
      Object.defineProperty(globalThis, 'keel', { value: Object.freeze({ getAppInfo: async () => null }) });
    });
    await page.goto(host.url);
    await expect(
      page.getByRole('heading', { level: 1, name: 'Keel’s desktop bridge did not load' }),
    ).toBeVisible();
    await expect(page.getByRole('main')).toContainText('The bridge is there but lacks getOutboundLog');
  });
});
