import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

const longAnswer = Array.from({ length: 80 }, (_, i) => `idea${i}`).join(' ');

test('a person frames a loop, watches the answer stream in, stops one, and finds it all after a restart', async ({
  page,
  fake,
  launchHost,
}) => {
  let host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');

  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');

  const timeline = page.getByRole('log', { name: 'Timeline' });
  const composer = page.getByRole('textbox', { name: 'Your message' });

  // First move: the reply streams in; its text grows before it is complete.
  fake.configure({ chunkDelayMs: 40 });
  fake.queueReply({ text: longAnswer });
  await composer.fill('Should we raise prices by 8% next quarter?');
  await composer.press('Enter');
  await expect(timeline.getByRole('article', { name: 'You' })).toContainText('raise prices by 8%');
  const firstAnswer = timeline.getByRole('article', { name: 'AI · explore' }).first();
  await expect(firstAnswer).toContainText('idea3');
  const early = (await firstAnswer.innerText()).length;
  await expect(firstAnswer).toContainText('idea20');
  expect((await firstAnswer.innerText()).length).toBeGreaterThan(early);
  await expect(firstAnswer).toContainText('idea79', { timeout: 15_000 });
  await expect(firstAnswer).not.toContainText('Writing…');

  // Second move: stopped mid-stream with the Stop button; the partial text stays, marked stopped.
  fake.queueReply({ text: longAnswer.replaceAll('idea', 'risk') });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('challenge');
  await page.getByRole('button', { name: 'Send' }).click();
  const challenge = timeline.getByRole('article', { name: 'AI · challenge' });
  await expect(challenge).toContainText('risk5');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(challenge).toContainText('Stopped');
  const stoppedText = await challenge.innerText();
  expect(stoppedText).not.toContain('risk79');

  // Third move: stopped with Esc.
  fake.queueReply({ text: longAnswer.replaceAll('idea', 'question') });
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('ask');
  await composer.focus();
  await composer.press('Enter');
  const asked = timeline.getByRole('article', { name: 'AI · ask' });
  await expect(asked).toContainText('question3');
  await page.keyboard.press('Escape');
  await expect(asked).toContainText('Stopped');

  // A reload shows the same timeline.
  await page.reload();
  await page.getByRole('button', { name: 'Pricing review' }).click();
  await expect(timeline.getByRole('article')).toHaveCount(4);
  await expect(timeline.getByRole('article', { name: 'AI · challenge' })).toContainText('Stopped');

  // So does a restart of the host (a new token, the same data folder).
  await host.stop();
  host = await launchHost();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Pricing review' }).click();
  await expect(timeline.getByRole('article')).toHaveCount(4);
  await expect(timeline.getByRole('article', { name: 'You' })).toContainText('raise prices by 8%');
  await expect(timeline.getByRole('article', { name: 'AI · explore' })).toContainText('idea79');
  await expect(timeline.getByRole('article', { name: 'AI · challenge' })).toContainText('risk5');
});

test('a failed move says what happened and keeps what arrived', async ({ page, fake, launchHost }) => {
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Journal', 'Monday');
  fake.queueReply({ text: 'first second third fourth fifth', disconnectAfter: 3 });
  await page.getByRole('textbox', { name: 'Your message' }).fill('What am I avoiding?');
  await page.getByRole('textbox', { name: 'Your message' }).press('Enter');
  const answer = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: /^AI · / });
  await expect(answer).toContainText('The answer was cut off');
  await expect(answer).toContainText('first second third');
});

test('onboarding: Ollama not running says how to start it for those who prefer it, and recovers when it comes up', async ({
  page,
  fake,
  launchHost,
}) => {
  await fake.stop();
  const host = await launchHost();
  await page.goto(host.url);
  const status = page.getByRole('status', { name: 'Model connection' });
  // Keel can run a model itself, so that comes first; starting Ollama is one click away.
  await expect(status).toContainText('No model yet');
  await status.getByText('Prefer Ollama?').click();
  await expect(status.getByText(/Ollama is not running/)).toBeVisible();
  await expect(status.getByText(/ollama serve/)).toBeVisible();
  await fake.start();
  await status.getByRole('button', { name: 'Retry' }).click();
  await expect(status).toContainText('Connected');
});

test('no chat model installed tells the person which pull command to run', async ({
  page,
  fake,
  launchHost,
}) => {
  // Only a model for search: nothing Keel could pick to write answers.
  fake.configure({ models: [{ name: 'nomic-embed-text:latest', capabilities: ['embedding'] }] });
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('ollama pull llama3.2');
});

test('a wrong or missing token opens nothing and says which address to open', async ({
  page,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(`${host.origin}/#token=not-the-token-at-all`);
  await expect(page.getByText('Your session with the Keel web host has expired')).toBeVisible();
  const fresh = await page.context().newPage();
  await fresh.goto(`${host.origin}/`);
  await expect(fresh.getByText('Open the address that `npm run web` printed')).toBeVisible();
  const api = await page.request.post(`${host.origin}/api/call/listSpaces`, { data: {} });
  expect(api.status()).toBe(401);
});
