/**
 * Attack, as the person sees it: the model host answers the move with a 307 to a second local server.
 * The prompt must not reach that server, the move must end with a clear error in the timeline, and the
 * Privacy page must list the refused redirect and where it pointed.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

test('a model host redirecting the prompt elsewhere gets nothing sent on, and the Privacy page says so', async ({
  page,
  fake,
  launchHost,
}) => {
  const received: string[] = [];
  const elsewhere = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    request.resume();
    response.end('{}');
  });
  const elsewhereUrl = await listen(elsewhere);
  // The fake Ollama behind a front that redirects every chat.
  const modelHost = createServer((request, response) => {
    if (request.url === '/api/chat') {
      response.writeHead(307, { location: `${elsewhereUrl}/api/chat` });
      response.end();
      return;
    }
    const upstream = httpRequest(
      `${fake.url}${request.url}`,
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  const modelHostUrl = await listen(modelHost);
  try {
    const host = await launchHost({ ollamaHost: modelHostUrl });
    await page.goto(host.url);
    await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
    await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');
    const composer = page.getByRole('textbox', { name: 'Your message' });
    await composer.fill('Our margin floor is 31 percent.');
    await composer.press('Enter');
    const answer = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · explore' });
    await expect(answer).toContainText('Keel does not follow redirects');
    expect(received).toEqual([]);

    await page.getByRole('navigation', { name: 'Spaces' }).getByRole('button', { name: 'Privacy' }).click();
    const requests = page.getByRole('table', { name: 'Requests sent by Keel' });
    await expect(requests.getByRole('row').filter({ hasText: 'POST /api/chat' })).toContainText(
      `Refused: redirect to ${elsewhereUrl}/api/chat not followed`,
    );
    expect(received).toEqual([]);
  } finally {
    await close(modelHost);
    await close(elsewhere);
  }
});
