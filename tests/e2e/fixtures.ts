/**
 * The `test` the Chromium specs use: each test gets its own data folder, its own fake Ollama and
 * `launchHost`, which starts the loopback web host on both. Every host a test launched is stopped
 * when it ends, then the fake is closed, then the folder removed; a test may stop a host itself and
 * launch another on the same folder, as a restart.
 */
import { test as base } from '@playwright/test';
import { startFakeOllama, type FakeOllama } from '../fixtures/fakeOllama';
import { removeDir, tempDataDir } from '../helpers/tempDir';
import { launchWebHost, type RunningWebHost } from './webHostProcess';

export { expect } from '@playwright/test';

/** Starts the web host on the test's data folder and fake Ollama; `more` adds to (or overrides) them. */
export type LaunchHost = (more?: Partial<Parameters<typeof launchWebHost>[0]>) => Promise<RunningWebHost>;

interface KeelFixtures {
  /** A new, empty data folder, removed after the test. */
  dataDir: string;
  /** The fake Ollama the host talks to, started with its defaults (`configure` it before launching). */
  fake: FakeOllama;
  launchHost: LaunchHost;
}

export const test = base.extend<KeelFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from this pattern; it has none.
  dataDir: async ({}, use) => {
    const dataDir = await tempDataDir();
    await use(dataDir);
    await removeDir(dataDir);
  },
  // Named only so that the folder is set up first and removed last, whatever order a test names them in.
  fake: async ({ dataDir: _dataDir }, use) => {
    const fake = await startFakeOllama();
    await use(fake);
    await fake.close();
  },
  launchHost: async ({ dataDir, fake }, use) => {
    const launched: RunningWebHost[] = [];
    await use(async (more = {}) => {
      const host = await launchWebHost({ dataDir, ollamaHost: fake.url, ...more });
      launched.push(host);
      return host;
    });
    // A host the test stopped itself has exited, and stopping it again does nothing.
    for (const host of launched) await host.stop();
  },
});
