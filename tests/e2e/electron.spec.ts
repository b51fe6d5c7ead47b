/**
 * Smoke test of the packaged shape: the built main process (`out/main/index.js`, from
 * `electron-vite build`) opens one window that shows the workspace, with `window.keel` and without
 * Node. Skipped where Electron's binary is not installed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
  "Electron's binary is not installed on this machine (it is downloaded from outside the npm registry); " +
  'run this where `npx electron --version` works.';
// The list reporter does not print skip reasons, so say it where the CI log shows it.
if (binary === null) console.log(`Skipping the Electron smoke test: ${skipReason}`);
test.skip(binary === null, skipReason);

test.describe('the desktop window', () => {
  let app: ElectronApplication | undefined;
  let dataDir = '';

  /** The workspace window of the app launched in `beforeAll`. */
  const workspace = () => {
    if (!app) throw new Error('Keel did not launch.');
    return app.firstWindow();
  };

  test.beforeAll(async () => {
    expect(existsSync(mainFile), 'out/main/index.js is missing: run `electron-vite build` first').toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
    // The built workspace, not a dev server; a throwaway data folder; no real Ollama reached.
    delete env.ELECTRON_RENDERER_URL;
    env.KEEL_DATA_DIR = dataDir;
    env.OLLAMA_HOST = 'http://127.0.0.1:9';
    app = await electron.launch({ executablePath: binary ?? undefined, args: [mainFile], env });
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
});
