import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  await expect(settings.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  return settings;
}

async function valueNow(page: Page, name: string): Promise<number> {
  const value = await page.getByRole('progressbar', { name }).first().getAttribute('aria-valuenow');
  return Number(value ?? -1);
}

test('downloading a model from Settings shows its progress, then lists it', async ({
  page,
  fake,
  launchHost,
}) => {
  fake.configure({ chunkDelayMs: 120, pullChunkBytes: 100_000_000 });
  const host = await launchHost();
  await page.goto(host.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');

  const settings = await openSettings(page);
  const models = settings.getByRole('table', { name: 'Installed models' });
  await expect(models).toContainText('llama3.2');
  await expect(models).not.toContainText('qwen3:4b');

  await settings.getByRole('textbox', { name: 'Model name' }).fill('qwen3:4b');
  await settings.getByRole('button', { name: 'Download', exact: true }).click();

  const bar = settings.getByRole('progressbar', { name: 'Downloading qwen3:4b' });
  await expect(bar).toBeVisible();
  await expect.poll(() => valueNow(page, 'Downloading qwen3:4b')).toBeGreaterThan(0);
  const first = await valueNow(page, 'Downloading qwen3:4b');
  await expect.poll(() => valueNow(page, 'Downloading qwen3:4b')).toBeGreaterThan(first);
  await expect(settings).toContainText(/GB of 2\.5 GB/);
  await expect(settings.getByRole('button', { name: 'Cancel download' })).toBeVisible();

  await expect(settings.getByText('Downloaded')).toBeVisible({ timeout: 15_000 });
  await expect(models.getByRole('rowheader', { name: /qwen3:4b/ })).toBeVisible();
  await expect(models.getByRole('row', { name: /qwen3:4b/ })).toContainText('Thinking');
});

test('first run with only qwen3:8b installed reaches a streamed answer with no warning, and says which model', async ({
  page,
  fake,
  launchHost,
}) => {
  fake.configure({
    models: [
      {
        name: 'qwen3:8b',
        family: 'qwen3',
        parameterSize: '8.2B',
        size: 5_225_388_164,
        contextLength: 40960,
        capabilities: ['completion', 'thinking'],
      },
    ],
    chunkDelayMs: 20,
  });
  const host = await launchHost();
  await page.goto(host.url);
  const status = page.getByRole('status', { name: 'Model connection' });
  await expect(status).toContainText('Connected · qwen3:8b (picked by Keel)');
  await expect(status.getByRole('button', { name: 'Choose models' })).toBeVisible();
  await expect(page.getByText('The chosen model is not installed')).toHaveCount(0);
  await expect(status.getByRole('button', { name: /Pull/ })).toHaveCount(0);

  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');
  fake.queueReply({ chunks: ['Three ', 'ways ', 'to ', 'price ', 'it.'] });
  await page.getByRole('textbox', { name: 'Your message' }).fill('How should we price the new tier?');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · explore' });
  await expect(answer).toContainText('Three ways to price it.');
  const chat = fake.requests.filter((request) => request.path === '/api/chat').at(-1);
  expect(chat?.body).toMatchObject({ model: 'qwen3:8b', stream: true });

  // The Settings page says the same, and choosing "Automatic" is a choice of its own.
  const settings = await openSettings(page);
  await expect(settings.getByRole('combobox', { name: 'Chat model', exact: true })).toContainText(
    'Automatic: qwen3:8b (the largest chat model that fits in this computer’s',
  );
});

test('a move that fails for a chosen model that is not installed offers the download, then asks again', async ({
  page,
  fake,
  dataDir,
  launchHost,
}) => {
  fake.configure({ models: [{ name: 'mistral:latest' }], chunkDelayMs: 250, pullChunkBytes: 200_000_000 });
  // The person chose llama3.2 earlier (and has since removed it from Ollama).
  await writeFile(
    join(dataDir, 'settings.json'),
    JSON.stringify({
      version: 2,
      chatModel: 'llama3.2',
      embeddingModel: '',
      theme: 'system',
      keepAlive: '10m',
      ollamaHost: '',
      allowRemoteHost: false,
      backupKeep: 7,
      lockAfterMinutes: 15,
    }),
  );
  const host = await launchHost();
  await page.goto(host.url);
  await createSpaceAndLoop(page, 'Acme Corp', 'Pricing review');

  await page.getByRole('textbox', { name: 'Your message' }).fill('Should we raise prices?');
  await page.getByRole('button', { name: 'Send' }).click();
  const timeline = page.getByRole('log', { name: 'Timeline' });
  const failed = timeline.getByRole('article', { name: 'AI · explore' }).first();
  await expect(failed).toContainText('not installed');

  await failed.getByRole('button', { name: 'Pull llama3.2' }).click();
  await expect(failed.getByRole('progressbar', { name: 'Downloading llama3.2' })).toBeVisible();
  await expect(failed).toContainText('Downloaded', { timeout: 15_000 });
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');

  fake.queueReply({ text: 'Raise prices for new customers first, then review churn.' });
  await failed.getByRole('button', { name: 'Retry', exact: true }).click();
  const answers = timeline.getByRole('article', { name: 'AI · explore' });
  await expect(answers).toHaveCount(2);
  await expect(answers.last()).toContainText('review churn');
});

test('an embedding model cannot be chosen to write answers', async ({ page, launchHost }) => {
  const host = await launchHost();
  await page.goto(host.url);
  const settings = await openSettings(page);
  await expect(settings.getByRole('table', { name: 'Installed models' })).toContainText('nomic-embed-text');

  const chatModel = settings.getByRole('combobox', { name: 'Chat model', exact: true });
  // Besides "Automatic: …", which names the model Keel picked.
  await expect(chatModel.locator('option', { hasText: /^llama3\.2/ })).toHaveCount(1);
  await expect(chatModel.locator('option', { hasText: 'nomic-embed-text' })).toHaveCount(0);
  const embeddingModel = settings.getByRole('combobox', { name: 'Embedding model', exact: true });
  await expect(embeddingModel.locator('option', { hasText: /^nomic-embed-text/ })).toHaveCount(1);
  await expect(embeddingModel.locator('option', { hasText: 'llama3.2' })).toHaveCount(0);
});

test('a model host on another computer is refused until allowed, and nothing is sent there', async ({
  page,
  launchHost,
}) => {
  const host = await launchHost();
  await page.goto(host.url);
  const status = page.getByRole('status', { name: 'Model connection' });
  await expect(status).toContainText('Connected');

  // Never tick "Allow" here: with a non-loopback address that would let traffic leave the machine.
  const settings = await openSettings(page);
  await settings.getByRole('textbox', { name: 'Model host' }).fill('http://10.20.30.40:11434');
  await expect(
    settings.getByRole('checkbox', { name: 'Allow a model host on another computer' }),
  ).not.toBeChecked();
  await settings.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(status).toContainText('prompts would leave it');
  await expect(status).not.toContainText('Remote model host: prompts leave this machine');
  await expect(settings).toContainText('Not allowed');
  await expect(settings).toContainText('Keel sends nothing there until you allow it');
});
