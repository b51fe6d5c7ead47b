/**
 * Smoke test of the packaged app as it ships: electron-builder's unpacked app (`npm run dist` leaves it in dist/),
 * its fuses applied, its code loaded from app.asar. Launch it, create a space, quit, and find the space
 * on disk and the data folder released.
 *
 * The shipped binary has the `enableNodeCliInspectArguments` fuse off, so Playwright's
 * `_electron.launch` (which starts Electron with `--inspect`) cannot drive it, and the fuse stays off:
 * this starts the binary itself with Chromium's `--remote-debugging-port` (a Chromium switch that the
 * fuse does not cover) and drives the window over the DevTools protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { createSpace } from './workspace';

/** The packaged app's executable: KEEL_PACKAGED_APP, or where electron-builder puts it for this OS. */
function packagedBinary(): string | null {
  const candidates = process.env.KEEL_PACKAGED_APP
    ? [process.env.KEEL_PACKAGED_APP]
    : [
        'dist/linux-unpacked/keel',
        'dist/linux-arm64-unpacked/keel',
        'dist/mac/Keel.app/Contents/MacOS/Keel',
        'dist/mac-arm64/Keel.app/Contents/MacOS/Keel',
        'dist/win-unpacked/Keel.exe',
      ];
  return candidates.map((candidate) => resolve(candidate)).find((candidate) => existsSync(candidate)) ?? null;
}

const binary = packagedBinary();
const skipReason =
  'The packaged app is not built here (no dist/*-unpacked; `npm run dist` builds it, which needs ' +
  "Electron's binary from outside the npm registry). Skipped: the packaged app, fuses as shipped, loads from " +
  'app.asar, shows the workspace, creates a space that is then on disk, and quits releasing the data folder.';
if (binary === null) console.log(`Skipping the packaged-app smoke test: ${skipReason}`);
test.skip(binary === null, skipReason);

/** As in electron.spec.ts: Chromium does not start sandboxed as root (CI containers). */
const sandbox = process.getuid?.() !== 0;

/** Every file under `folder`, as text. */
function allText(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

test('the packaged app starts, creates a space and quits, with its fuses as shipped', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-packaged-'));
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
    delete env.ELECTRON_RENDERER_URL;
    env.KEEL_DATA_DIR = dataDir;
    env.OLLAMA_HOST = 'http://127.0.0.1:9';
    const args = ['--remote-debugging-port=0', ...(sandbox ? [] : ['--no-sandbox'])];
    child = spawn(binary ?? '', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((done) => child?.on('close', done));

    // Chromium prints the DevTools address on stderr once it listens.
    const endpoint = await new Promise<string>((done, fail) => {
      let stderr = '';
      const timer = setTimeout(() => fail(new Error(`No DevTools address within 30 s:\n${stderr}`)), 30_000);
      child?.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (found?.[1]) {
          clearTimeout(timer);
          done(found[1]);
        }
      });
      void exited.then((code) =>
        fail(new Error(`The packaged app exited (${code}) before it listened:\n${stderr}`)),
      );
    });

    browser = await chromium.connectOverCDP(endpoint);
    const context = browser.contexts()[0];
    if (!context) throw new Error('The packaged app has no browser context.');
    const isWorkspace = (page: Page) => page.url().startsWith('keel://app/');
    const page =
      context.pages().find(isWorkspace) ??
      (await context.waitForEvent('page', { predicate: isWorkspace, timeout: 30_000 }));

    await expect(page.getByRole('button', { name: 'New space' }).first()).toBeVisible();
    expect(await page.evaluate(() => typeof (globalThis as Record<string, unknown>).require)).toBe(
      'undefined',
    );
    await createSpace(page, 'Packaged client');

    // Closing the last window quits (macOS keeps apps running without windows: it gets a SIGTERM,
    // which Chromium turns into an orderly quit).
    await page.close();
    if (process.platform === 'darwin') child.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'still running'>((done) => setTimeout(() => done('still running'), 20_000)),
    ]);
    expect(code, 'the packaged app did not quit after its window closed').not.toBe('still running');
    if (process.platform !== 'darwin') expect(code).toBe(0);
    expect(allText(dataDir)).toContain('Packaged client');
    expect(existsSync(join(dataDir, '.keel.lock'))).toBe(false);
  } finally {
    await browser?.close().catch(() => undefined);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
