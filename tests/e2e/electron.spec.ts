/**
 * Smoke test of what `npm start` runs: the built main process (`out/main/index.js`, from
 * `electron-vite build`) in Electron with Chromium's sandbox on (Playwright would otherwise add
 * `--no-sandbox` on Linux, which users never run). Skipped where Electron's binary is not installed;
 * `npm start` fetches it (scripts/ensureElectron.ts). The packaged app has its own smoke test,
 * packagedApp.spec.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';

/**
 * The Electron executable, found the way the `electron` package's index.js finds it (path.txt names
 * it under dist/, or under ELECTRON_OVERRIDE_DIST_PATH), or `null` when it is not there. Resolved by
 * hand because requiring `electron` from Node tries to download a missing binary.
 */
function electronBinary(): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary: string;
  if (override) binary = join(override, executable ?? 'electron');
  else if (executable) binary = join(packageDir, 'dist', executable);
  else return null;
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const mainFile = resolve('out/main/index.js');

const skipReason =
  "Electron's binary is not installed here (node_modules/electron/path.txt is missing; it comes from " +
  "Electron's releases, not the npm registry: `node scripts/ensureElectron.ts` fetches it). Skipped: " +
  'the sandboxed desktop window shows the workspace from keel://app with window.keel and no Node, reaches ' +
  'the engine on KEEL_DATA_DIR, makes no network request, keeps Chromium files outside the data folder, ' +
  'runs a second Keel on another data folder and refuses one on the same folder, and opens no other window.';
// The list reporter does not print skip reasons, so say it where the CI log shows it.
if (binary === null) console.log(`Skipping the Electron smoke test: ${skipReason}`);
test.skip(binary === null, skipReason);

/** Environment for a Keel on `dataDir`, from this process's, without a dev server. */
function keelEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  delete env.ELECTRON_RENDERER_URL;
  env.KEEL_DATA_DIR = dataDir;
  env.OLLAMA_HOST = 'http://127.0.0.1:9';
  return env;
}

/**
 * Chromium's sandbox, as the people who use Keel run it. Chromium refuses to start sandboxed as root
 * (CI containers), so there alone the test runs without it, and says so.
 */
const sandbox = process.getuid?.() !== 0;
if (binary !== null && !sandbox) {
  console.log(
    "Running the Electron smoke test without Chromium's sandbox: Chromium does not start sandboxed as root.",
  );
}

/** Launches the built Keel as `npm start` does. */
function launchKeel(env: Record<string, string>): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: binary ?? undefined,
    args: [mainFile],
    env,
    chromiumSandbox: sandbox,
  });
}

test.describe('the desktop window', () => {
  let app: ElectronApplication | undefined;
  let dataDir = '';
  /** Every request the window's page made, from the first one on. */
  const requests: string[] = [];

  /** The workspace window of the app launched in `beforeAll`. */
  const workspace = () => {
    if (!app) throw new Error('Keel did not launch.');
    return app.firstWindow();
  };

  test.beforeAll(async () => {
    expect(existsSync(mainFile), 'out/main/index.js is missing: run `electron-vite build` first').toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
    // The built workspace, not a dev server; a throwaway data folder; no real Ollama reached.
    app = await launchKeel(keelEnv(dataDir));
    // On the context, so the window's first requests (its page, scripts and styles) are seen too.
    app.context().on('request', (request) => requests.push(request.url()));
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('shows the workspace from keel://app', async () => {
    const page = await workspace();
    await expect(page).toHaveTitle(/Keel/);
    await expect(page.getByText('Keel').first()).toBeVisible();
    expect(page.url()).toMatch(/^keel:\/\/app\//);
  });

  test('gives the page window.keel and no Node', async () => {
    const page = await workspace();
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return {
        keel: typeof scope.keel,
        keelKeys: scope.keel && typeof scope.keel === 'object' ? Object.keys(scope.keel) : [],
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        ipcRenderer: typeof scope.ipcRenderer,
      };
    });
    expect(globals.keel).toBe('object');
    expect(globals.keelKeys).toContain('getAppInfo');
    expect(globals.keelKeys).toContain('onEvent');
    expect(globals.require).toBe('undefined');
    expect(globals.process).toBe('undefined');
    expect(globals.module).toBe('undefined');
    expect(globals.ipcRenderer).toBe('undefined');
  });

  test('reaches the engine through window.keel, on the given data folder', async () => {
    const page = await workspace();
    const info = await page.evaluate(async () => {
      const keel = (globalThis as Record<string, unknown>).keel as {
        getAppInfo(input: Record<string, never>): Promise<unknown>;
      };
      return keel.getAppInfo({});
    });
    expect(info).toMatchObject({ ok: true, value: { shell: 'desktop', dataDir } });
  });

  test('stays on keel://app and opens no other window', async () => {
    const page = await workspace();
    const opened = await page.evaluate(() => {
      const open = (globalThis as { open?: (url: string) => unknown }).open;
      return open ? open('https://example.com/') : null;
    });
    expect(opened).toBeNull();
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    // A navigation would have started by now; `will-navigate` cancels it.
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^keel:\/\/app\//);
    expect(app?.windows()).toHaveLength(1);
  });

  test('runs sandboxed, with Chromium files outside the data folder and no request leaving the window', async () => {
    const page = await workspace();
    await expect(page.getByRole('button', { name: 'New space' }).first()).toBeVisible();
    const facts = await app?.evaluate(({ app: electronApp, session }) => ({
      userData: electronApp.getPath('userData'),
      sessionData: electronApp.getPath('sessionData'),
      spellcheck: session.defaultSession.isSpellCheckerEnabled(),
      sandboxed: process.argv.includes('--no-sandbox') === false,
    }));
    expect(facts?.sandboxed).toBe(sandbox);
    expect(facts?.spellcheck).toBe(process.platform === 'darwin');
    for (const folder of [facts?.userData ?? '', facts?.sessionData ?? '']) {
      expect(relative(dataDir, folder).startsWith('..')).toBe(true);
    }
    expect(
      readdirSync(dataDir).filter((name) => /^(Cache|GPUCache|Local Storage|Cookies|Preferences)/.test(name)),
    ).toEqual([]);
    const outside = requests.filter((url) => !/^(keel:\/\/app\/|data:|blob:|devtools:)/.test(url));
    expect(outside).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
  });

  test('lets a second Keel run on another data folder and refuses one on the same folder', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'keel-e2e-other-'));
    try {
      const other = await launchKeel(keelEnv(otherDir));
      const page = await other.firstWindow();
      await expect(page.getByRole('button', { name: 'New space' }).first()).toBeVisible();
      expect(app?.windows()).toHaveLength(1);
      await other.close();

      // The same folder: the second Keel hands over to the first and quits.
      const args = sandbox ? [mainFile] : [mainFile, '--no-sandbox'];
      const again = spawn(binary ?? '', args, { env: keelEnv(dataDir), stdio: 'ignore' });
      const code = await new Promise<number | null>((done) => again.on('close', done));
      expect(code).toBe(0);
      expect(app?.windows()).toHaveLength(1);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
