/**
 * Attack: another server on 127.0.0.1 (any local program can open one) that the person's browser
 * visits while Keel is open. Cookies are not scoped to a port, so a session cookie for 127.0.0.1 would
 * reach it; Keel's token travels only in the address's fragment and an Authorization header to
 * Keel's own port, so the neighbour must see it nowhere.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { createSpace, createSpaceAndLoop } from './workspace';

interface Neighbour {
  url: string;
  seen: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function startNeighbour(): Promise<Neighbour> {
  const seen: Neighbour['seen'] = [];
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end('<!doctype html><title>Neighbour</title><p>Another local server</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('another server on 127.0.0.1 that the browser visits receives no Keel token', async ({
  page,
  fake,
  launchHost,
}) => {
  const neighbour = await startNeighbour();
  try {
    const host = await launchHost();
    const token = new URL(host.url).hash.replace('#token=', '');
    expect(token.length).toBeGreaterThan(20);

    await page.goto(host.url);
    await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
    // The token leaves the address bar once the page has it.
    expect(page.url()).toBe(`${host.origin}/`);
    await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');

    // A reload keeps the session (the tab kept the token), and events still stream in.
    await page.reload();
    await page.getByRole('button', { name: 'Pricing review' }).click();
    fake.queueReply({ text: 'Still connected after a reload.' });
    const composer = page.getByRole('textbox', { name: 'Your message' });
    await composer.fill('Are we still here?');
    await composer.press('Enter');
    await expect(
      page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · explore' }),
    ).toContainText('Still connected after a reload.');
    expect(await page.context().cookies()).toEqual([]);

    // The same browser context visits the neighbour, by 127.0.0.1 and by localhost, and from a new tab.
    await page.goto(`${neighbour.url}/from-the-same-tab`);
    await expect(page.getByText('Another local server')).toBeVisible();
    const other = await page.context().newPage();
    await other.goto(`${neighbour.url.replace('127.0.0.1', 'localhost')}/from-a-new-tab`);
    await expect(other.getByText('Another local server')).toBeVisible();
    // And Keel, reopened by its bare address, is not let in by anything the browser kept for 127.0.0.1.
    await other.goto(`${host.origin}/`);
    await expect(other.getByText('This page has no Keel session.')).toBeVisible();

    expect(neighbour.seen.map((request) => request.url)).toEqual(
      expect.arrayContaining(['/from-the-same-tab', '/from-a-new-tab']),
    );
    for (const request of neighbour.seen) {
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
      expect(request.url).not.toContain(token);
      expect(JSON.stringify(request.headers)).not.toContain(token);
    }
  } finally {
    await neighbour.close();
  }
});

test('after a restart on the same port, the new address opened in the same tab opens the workspace', async ({
  page,
  launchHost,
}) => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  let host = await launchHost({ port });
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');
  await host.stop();
  host = await launchHost({ port });
  // Only the fragment differs from the open page's address: the page must take the new token itself.
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'Pricing review' })).toBeVisible();
  // A change goes through with the new token (the old one would be refused by the new host).
  await createSpace(page, 'Beta Ltd');
  expect(page.url()).toBe(`${host.origin}/`);
  await page.reload();
  await expect(page.getByRole('button', { name: 'New loop in Beta Ltd' })).toBeVisible();
});
