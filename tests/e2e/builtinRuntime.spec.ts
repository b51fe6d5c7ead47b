/**
 * A person with no Ollama: the first screen offers the built-in model that fits, one click downloads
 * it from a local fake model host (redirected to a second local host, its "CDN"), with progress, and
 * it is then ready, and a question in a loop gets a streamed answer from Keel's built-in runtime. The
 * model is the tiny GGUF the fixtures write, its SHA-256 computed here and put in the catalog the web
 * host is given. Then, with a model already in the models folder, the same happens without a
 * download, and Settings switches the runtime.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { startFakeModelHost, type FakeModelHost } from '../fixtures/fakeModelHost';
import { buildTinyGguf, writeTinyGguf } from '../fixtures/tinyGguf';
import { checkAccessibility } from './accessibility';
import { expect, test } from './fixtures';
import { createSpaceAndLoop, newLoopIn } from './workspace';

// A context long enough for Keel's own instructions before the person's question.
const { bytes } = buildTinyGguf({ seed: 21, contextLength: 4096 });

let host: FakeModelHost;
let cdn: FakeModelHost;
/** Files a test wrote beside its data folder (the catalog, a model of one's own), removed after it. */
const besides: string[] = [];

test.beforeEach(async () => {
  host = await startFakeModelHost();
  cdn = await startFakeModelHost();
});

test.afterEach(async () => {
  await host.close();
  await cdn.close();
  await Promise.all(besides.splice(0).map((path) => rm(path, { force: true })));
});

/** A path beside the test's data folder (outside it, as a person's own files are). */
function beside(dataDir: string, name: string): string {
  const path = join(dataDir, '..', `${basename(dataDir)}-${name}`);
  besides.push(path);
  return path;
}

/** The catalog file the web host reads: one tiny chat model, served by the fake host and its CDN. */
async function writeCatalog(dataDir: string): Promise<string> {
  const path = beside(dataDir, 'catalog.json');
  await writeFile(
    path,
    JSON.stringify({
      origins: [host.origin, cdn.origin],
      entries: [
        {
          id: 'tiny-chat',
          name: 'Tiny Chat',
          kind: 'chat',
          fileName: 'tiny-chat.gguf',
          url: `${host.origin}/keel/tiny-chat/resolve/0123456789abcdef0123456789abcdef01234567/tiny-chat.gguf`,
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          license: 'MIT',
          contextLength: 512,
          memoryBytes: 50_000_000,
        },
      ],
    }),
  );
  return path;
}

test('with no Ollama, one click on the first screen downloads the model that fits, and a loop gets a streamed answer from it', async ({
  page,
  dataDir,
  launchHost,
}) => {
  // Three accessibility passes in two themes and a model loaded, on a machine shared with other runs.
  test.setTimeout(180_000);
  host.route('/keel/tiny-chat/resolve/0123456789abcdef0123456789abcdef01234567/tiny-chat.gguf', {
    redirect: `${cdn.origin}/blobs/tiny-chat?signature=x`,
  });
  // Slow enough for a person (and this test) to see the bar move.
  cdn.route('/blobs/tiny-chat', { file: { body: bytes, trickle: { bytes: 16_384, delayMs: 120 } } });
  const catalog = await writeCatalog(dataDir);
  // Nothing listens on port 9: no Ollama on this computer.
  const web = await launchHost({ ollamaHost: 'http://127.0.0.1:9', env: { KEEL_MODEL_CATALOG: catalog } });
  await page.goto(web.url);

  const offer = page.getByRole('region', { name: 'A model that runs inside Keel' });
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('Ollama is not running on this computer');
  await expect(offer).toContainText('Tiny Chat');
  await expect(offer).toContainText(/\d+ KB, a few seconds at 50 Mbit\/s/);
  await expect(offer).toContainText('Fits in your');
  // Above the offer, no advice to install Ollama: the banner says Keel can run a model itself, with the
  // same way out to Settings; how to start Ollama waits behind "Prefer Ollama?".
  const banner = page.getByRole('status', { name: 'Model connection' });
  await expect(banner).toContainText('No model yet');
  await expect(banner.getByRole('button', { name: 'Use a model Keel runs itself' })).toBeVisible();
  // (Ollama's host here comes from OLLAMA_HOST, so its advice is to check that address.)
  const ollamaAdvice = banner.getByText(/got no answer from Ollama/);
  await expect(ollamaAdvice).toBeHidden();
  await banner.getByText('Prefer Ollama?').click();
  await expect(ollamaAdvice).toBeVisible();
  // Nothing was downloaded before the click.
  expect(host.requests).toEqual([]);
  await checkAccessibility(page, 'first screen with the built-in model offer');

  await offer.getByRole('button', { name: 'Download Tiny Chat' }).click();
  const bar = offer.getByRole('progressbar', { name: 'Downloading Tiny Chat' });
  await expect(bar).toBeVisible();
  // Focus moved to the download, not lost with the button.
  await expect(offer.getByRole('group', { name: 'Download of Tiny Chat' })).toBeFocused();
  await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0)).toBeGreaterThan(0);
  await expect(offer).toContainText(/KB of \d+ KB/);
  await expect(offer.getByRole('button', { name: 'Cancel download' })).toBeVisible();

  await expect(offer.getByRole('status')).toHaveText(
    'Ready: Tiny Chat is on this computer. Create a space and ask away.',
    {
      timeout: 20_000,
    },
  );
  await checkAccessibility(page, 'first screen with the built-in model ready');
  // One request to the model host (redirected) and one to its CDN, the second picking up the file.
  expect(host.requests.map((request) => request.path)).toHaveLength(1);
  expect(cdn.requests.map((request) => request.path)).toEqual(['/blobs/tiny-chat']);

  // With no Ollama, Keel now answers with the model it just downloaded.
  const connection = page.getByRole('status', { name: 'Model connection' });
  await expect(connection).toContainText('Connected', { timeout: 20_000 });
  await expect(connection).toContainText('tiny-chat.gguf');
  await expect(connection).toContainText('built into Keel');
  await page.getByRole('button', { name: 'Create your first space' }).click();
  const dialog = page.getByRole('dialog', { name: 'New space' });
  await dialog.getByRole('textbox', { name: 'Space name' }).fill('Journal');
  await dialog.getByRole('button', { name: 'Create space' }).click();
  await newLoopIn(page, 'Journal', 'First question');
  await page.getByRole('textbox', { name: 'Your message' }).fill('What should I weigh first?');
  await page.getByRole('combobox', { name: 'AI move' }).selectOption('explore');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.getByRole('log', { name: 'Timeline' }).getByRole('article', { name: 'AI · explore' });
  // The tiny model's words are random; what matters is that they stream in and the turn completes.
  await expect(answer).toBeVisible();
  await expect(answer).not.toContainText('Writing…', { timeout: 30_000 });
  await expect(answer.getByRole('alert')).toHaveCount(0);
  expect((await answer.innerText()).trim().length).toBeGreaterThan(0);

  // Settings lists it as installed, and the Privacy page names the download hosts and the requests.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('region', { name: 'Settings' });
  const builtin = settings.getByRole('region', { name: 'Models Keel runs itself' });
  const item = builtin.getByRole('listitem', { name: 'Tiny Chat' });
  await expect(item).toContainText('Installed');
  await expect(item).toContainText('Recommended');
  const privacy = settings.getByRole('region', { name: 'Privacy' });
  await expect(privacy).toContainText(
    `downloaded only when you press Download, from ${new URL(host.origin).host}, ${new URL(cdn.origin).host}`,
  );
  const requests = privacy.getByRole('table');
  await expect(requests).toContainText(`${cdn.origin}`);
  await checkAccessibility(page, 'Settings with the model catalog');
});

test('Settings takes a GGUF file already on disk, and refuses one that is not a model, in words', async ({
  page,
  dataDir,
  launchHost,
}) => {
  const catalog = await writeCatalog(dataDir);
  const web = await launchHost({ ollamaHost: 'http://127.0.0.1:9', env: { KEEL_MODEL_CATALOG: catalog } });
  const model = beside(dataDir, 'mine.gguf');
  await writeFile(model, bytes);
  const notes = beside(dataDir, 'notes.gguf');
  await writeFile(notes, 'Meeting notes, not a model');
  await page.goto(web.url);
  // The banner about Ollama leads straight to the built-in models in Settings.
  await page
    .getByRole('status', { name: 'Model connection' })
    .getByRole('button', { name: 'Use a model Keel runs itself' })
    .click();
  const builtin = page.getByRole('region', { name: 'Models Keel runs itself' });
  await expect(builtin.getByRole('heading', { name: 'Models Keel runs itself' })).toBeFocused();
  const field = builtin.getByRole('textbox', { name: 'Use a model file you already have' });

  await field.fill(notes);
  await builtin.getByRole('button', { name: 'Use file' }).click();
  await expect(builtin.getByRole('alert')).toContainText(
    `Keel cannot use ${basename(notes)} as a model: This is not a GGUF model file.`,
  );

  await field.fill(model);
  await builtin.getByRole('button', { name: 'Use file' }).click();
  await expect(builtin.getByRole('status')).toContainText(
    `Keel now lists ${basename(model)} with its models. The file stays where it is.`,
  );
});

test('with Ollama running, the first screen is as before: no built-in model is offered', async ({
  page,
  dataDir,
  launchHost,
}) => {
  const catalog = await writeCatalog(dataDir);
  const web = await launchHost({ env: { KEEL_MODEL_CATALOG: catalog } });
  await page.goto(web.url);
  await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
  // The catalog is known (Settings lists it), and still the first screen does not offer it.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('listitem', { name: 'Tiny Chat' })).toBeVisible();
  await page.getByRole('button', { name: 'Close settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Keel' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'A model that runs inside Keel' })).toHaveCount(0);
  expect(host.requests).toEqual([]);
});

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
  // Its model picker lists the models of the runtime it uses: none from Ollama (not running) at first.
  const planeChat = page.getByRole('combobox', { name: 'Chat model for Plane' });
  await expect(planeChat.getByRole('option', { name: /tiny\.gguf/ })).toHaveCount(0);
  await spaceRuntime.selectOption('builtin');
  await expect(spaceRuntime).toHaveValue('builtin');
  await expect(planeChat.getByRole('option', { name: /tiny\.gguf/ })).toHaveCount(1);
  await planeChat.selectOption('tiny.gguf');
  await expect(planeChat).toHaveValue('tiny.gguf');
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('combobox', { name: 'Runtime for Plane' })).toHaveValue('builtin');
  await expect(page.getByRole('combobox', { name: 'Chat model for Plane' })).toHaveValue('tiny.gguf');
});
