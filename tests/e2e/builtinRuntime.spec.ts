/**
 * With no Ollama running and a GGUF model in the data folder's models folder, the workspace answers
 * through Keel's built-in runtime (node-llama-cpp in its own process under the web host): the status
 * bar says so, a move streams its answer, and Settings can switch the runtime.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTinyGguf } from '../fixtures/tinyGguf';
import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

test('with no Ollama, a move is answered by the built-in runtime, and Settings can change the runtime', async ({
  page,
  dataDir,
  fake,
  launchHost,
}) => {
  test.setTimeout(180_000);
  await mkdir(join(dataDir, 'models'));
  await writeTinyGguf(join(dataDir, 'models', 'tiny.gguf'), { seed: 41, contextLength: 4096 });
  await fake.stop();
  const host = await launchHost();
  await page.goto(host.url);
  const status = page.getByRole('status', { name: 'Model connection' });
  await expect(status).toContainText('tiny.gguf');
  await expect(status).toContainText('built into Keel');

  await createSpaceAndLoop(page, 'Plane', 'Offline thoughts');
  await page.getByRole('textbox', { name: 'Your message' }).fill('What should I pack?');
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('explore');
  await page.getByRole('button', { name: 'Send' }).click();
  const turn = page
    .getByRole('log', { name: 'Timeline' })
    .getByRole('article', { name: 'AI · explore' })
    .last();
  await expect(turn).not.toContainText('Writing…', { timeout: 120_000 });
  await expect(turn).not.toBeEmpty();
  expect(((await turn.textContent()) ?? '').length).toBeGreaterThan(20);

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  const runtime = settings.getByRole('combobox', { name: 'Run models with' });
  await expect(runtime).toHaveValue('automatic');
  await runtime.selectOption('ollama');
  await expect(status).toContainText(/Ollama is not running|cannot be reached/);
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Run models with' })).toHaveValue('ollama');

  // One space can keep the built-in runtime while the rest use Ollama.
  const spaceRuntime = page.getByRole('combobox', { name: 'Runtime for Plane' });
  await expect(spaceRuntime).toHaveValue('');
  await spaceRuntime.selectOption('builtin');
  await expect(spaceRuntime).toHaveValue('builtin');
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Runtime for Plane' })).toHaveValue('builtin');
});
