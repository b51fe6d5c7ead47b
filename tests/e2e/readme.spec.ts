/**
 * The README is a test: every command it gives a person is run here (or by CI itself) exactly as
 * written, and a command that no test runs fails the first test below. Last round the README's
 * `npm run web` was broken while every test passed, because the tests started the built file
 * themselves; these start what the README says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { startFakeOllama } from '../fixtures/fakeOllama';
import { expect, test } from './fixtures';
import { createSpaceAndLoop } from './workspace';

/**
 * Every command the README gives: each line of its ```sh blocks (comments dropped) and every inline
 * `code` that starts with a program a person would run (`npm run bench`, `apt-get install chromium`).
 */
async function readmeCommands(): Promise<string[]> {
  const readme = await readFile(resolve('README.md'), 'utf8');
  const commands = new Set<string>();
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      commands.add(line.replace(/\s+#.*$/, '').trim());
    }
  }
  const withoutBlocks = readme.replace(/```[\s\S]*?```/g, '');
  for (const inline of withoutBlocks.matchAll(
    /`((?:[A-Z_]+=\S+ )*(?:npm|npx|node|ollama|apt-get|apt|docker|sudo|git|electron) [^`]+)`/g,
  )) {
    commands.add(inline[1]!.trim());
  }
  return [...commands];
}

/**
 * Where each README command is run. A new command in the README must be added here with the test
 * that runs it, or this spec fails.
 */
const whereRun: Record<string, string> = {
  'npm install': 'this spec: “npm install” succeeds and changes nothing in the lock',
  'npm start': 'this spec: “npm start says why …” and “npm start loads the built desktop entry …”',
  'npm run dev': 'this spec: “npm run dev says why …” and “npm run dev loads the built desktop entry …”',
  'npm run web': 'this spec: “npm run web prints an address …”',
  'npm test': '.ci/run runs it on every submission (tests/readmeCommands.test.ts checks that)',
  'npm run bench': '.ci/run runs it after npm test (tests/readmeCommands.test.ts checks that)',
  'KEEL_BENCH_OLLAMA=http://127.0.0.1:11434 npm run bench':
    'this spec: “the bench against an Ollama at 127.0.0.1:11434 …”',
  'npm run dist':
    'tests/e2e/packagedApp.spec.ts smoke-tests the app it leaves in dist/, where Electron’s binary can be had',
  'ollama pull llama3.2': 'Ollama’s own command, not Keel’s: the fake Ollama serves /api/pull as Ollama does',
  'ollama pull nomic-embed-text': 'Ollama’s own command, not Keel’s',
  'apt-get install chromium': '.ci/run installs Chromium with it when it is missing',
  'docker run -d --name keel-couchdb -p 5984:5984 -e COUCHDB_USER=admin -e COUCHDB_PASSWORD=change-this -v keel-couchdb:/opt/couchdb/data couchdb:3':
    'Docker’s own command, not Keel’s, and no Docker here: the sync tests (electron/engine/sync/sync.test.ts, tests/e2e/sync.spec.ts) run PouchDB Server, which speaks the same CouchDB replication protocol, on loopback',
};

test('every command in the README is run by a test', async () => {
  const commands = await readmeCommands();
  expect(commands.length).toBeGreaterThan(5);
  const unrun = commands.filter((command) => !(command in whereRun));
  expect(unrun, 'README commands that no test runs').toEqual([]);
  const gone = Object.keys(whereRun).filter((command) => !commands.includes(command));
  expect(gone, 'commands listed here that the README no longer gives').toEqual([]);
});

/** Runs a README command in a shell, as a person would in a terminal, in its own process group. */
function runCommand(command: string, env: Record<string, string> = {}): ChildProcess {
  return spawn('sh', ['-c', command], {
    cwd: resolve('.'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Everything the command printed, once it exits, with its exit code. */
async function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

/**
 * Stops a command and everything it started (npm, sh and node alike), and waits until the last of
 * them has gone: the web host finishes its writes after the shell that started it has exited.
 */
async function stopCommand(child: ChildProcess): Promise<void> {
  const group = -child.pid!;
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return; // Nothing of it is left.
  }
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      process.kill(group, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      process.kill(group, 'SIGKILL');
      return;
    }
    await new Promise((resolveLater) => setTimeout(resolveLater, 100));
  }
}

test('npm install succeeds and changes nothing in the lock', async () => {
  test.setTimeout(240_000);
  const before = await readFile(resolve('package-lock.json'), 'utf8');
  const { code, output } = await finished(runCommand('npm install'));
  expect(code, output).toBe(0);
  expect(output).not.toContain('EBADENGINE');
  expect(await readFile(resolve('package-lock.json'), 'utf8')).toBe(before);
});

test('npm run web prints an address that opens the workspace, where a first loop gets a streamed answer', async ({
  page,
  dataDir,
  fake,
}) => {
  test.setTimeout(240_000);
  fake.configure({ chunkDelayMs: 20 });
  const web = runCommand('npm run web', { KEEL_DATA_DIR: dataDir, OLLAMA_HOST: fake.url, KEEL_PORT: '0' });
  try {
    let printed = '';
    web.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const address = await new Promise<string>((resolveAddress, reject) => {
      web.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
        const match = /^Keel web: (http:\/\/127\.0\.0\.1:\d+\/\S+)$/m.exec(printed);
        if (match) resolveAddress(match[1]!);
      });
      web.once('exit', (code) => reject(new Error(`npm run web exited (${code}):\n${printed}`)));
    });

    await page.goto(address);
    await expect(page.getByRole('status', { name: 'Model connection' })).toContainText('Connected');
    await createSpaceAndLoop(page, 'Northwind', 'Should we open a Lisbon office?');
    fake.queueReply({ chunks: ['Three ', 'options ', 'to ', 'weigh.'] });
    await page.getByRole('textbox', { name: 'Your message' }).fill('What are my options?');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page
      .getByRole('log', { name: 'Timeline' })
      .getByRole('article', { name: 'AI · explore' })
      .last();
    await expect(answer).toContainText('Three options to weigh.');
    // Written where the README says the data lives.
    const catalog = await readFile(resolve(dataDir, 'catalog.json'), 'utf8');
    expect(catalog).toContain('Northwind');
  } finally {
    await stopCommand(web);
  }
});

/** Whether nothing listens on a loopback port, so a fake Ollama can take it. */
async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolveFree) => {
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

test('the bench against an Ollama at 127.0.0.1:11434 measures recall with the model, as the README says', async () => {
  test.setTimeout(600_000);
  test.skip(!(await portIsFree(11434)), 'Something already listens on 127.0.0.1:11434 (a real Ollama?)');
  // The fake stands where a real Ollama would; the README's command runs unchanged. Few rounds, so
  // it stays a test of the command rather than a measurement.
  const ollama = await startFakeOllama({ port: 11434 });
  try {
    const { code, output } = await finished(
      runCommand('KEEL_BENCH_OLLAMA=http://127.0.0.1:11434 npm run bench', {
        KEEL_BENCH_PARTS: 'engine,recall',
        KEEL_BENCH_ROUNDS: '5',
      }),
    );
    expect(code, output).toBe(0);
    expect(output).toContain('engine overhead to first token');
    expect(output).toMatch(/recall/i);
    expect(ollama.requests.some((request) => request.path === '/api/embed')).toBe(true);
  } finally {
    await ollama.close();
  }
});

/** A loopback port nothing listens on, so a download from it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListening) => server.listen(0, '127.0.0.1', resolveListening));
  const { port } = server.address() as { port: number };
  await new Promise((resolveClosed) => server.close(resolveClosed));
  return port;
}

const electronInstalled = existsSync(resolve('node_modules/electron/path.txt'));
const shim = resolve('tests/fixtures/electronShim/electron');

/** What the Electron stand-in saw while `npm start` or `npm run dev` ran Keel's built main entry. */
interface ShimReport {
  paths: Record<string, string>;
  windows: { webPreferences: Record<string, unknown>; preloadExists: boolean }[];
  loadedUrl?: string;
  page?: { status: number; contentType: string | null; csp: string | null; hasRoot: boolean };
  calls: Record<string, { ok: boolean; value?: Record<string, unknown>; error?: { code: string } }>;
  errors: string[];
}

function shimReport(output: string): ShimReport {
  const line = /^KEEL-ELECTRON-SHIM (.*)$/m.exec(output);
  if (!line) throw new Error(`The desktop entry never reached its window:\n${output}`);
  return JSON.parse(line[1]!) as ShimReport;
}

for (const command of ['npm start', 'npm run dev']) {
  test(`${command} says why it cannot start when Electron's binary cannot be fetched`, async () => {
    test.skip(electronInstalled, 'Electron’s binary is installed here, so there is nothing to fetch');
    test.setTimeout(120_000);
    const mirror = `http://127.0.0.1:${await closedPort()}/`;
    const { code, output } = await finished(runCommand(command, { ELECTRON_MIRROR: mirror }));
    expect(code, output).not.toBe(0);
    expect(output).toContain('Keel cannot start: the app binary of Electron');
    expect(output).toContain('Cause: the server refused the connection');
    expect(output).toContain('set ELECTRON_EXEC_PATH');
  });

  test(`${command} loads the built desktop entry: one sandboxed window on Keel's page, the engine on the data folder`, async ({
    dataDir,
    fake,
  }) => {
    test.setTimeout(240_000);
    // Electron's binary cannot be downloaded here: a stand-in runs the built entry under Node with
    // the electron module mocked, as Electron would run it (`<electron> .`).
    const { code, output } = await finished(
      runCommand(command, { ELECTRON_EXEC_PATH: shim, KEEL_DATA_DIR: dataDir, OLLAMA_HOST: fake.url }),
    );
    expect(code, output).toBe(0);
    const report = shimReport(output);
    expect(report.errors).toEqual([]);
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]!.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      spellcheck: false,
    });
    expect(report.windows[0]!.webPreferences.preload).toMatch(/out\/preload\/index\.cjs$/);
    expect(report.windows[0]!.preloadExists).toBe(true);
    if (command === 'npm start') {
      expect(report.loadedUrl).toBe('keel://app/index.html');
      expect(report.page?.csp).toContain("frame-ancestors 'none'");
    } else {
      expect(report.loadedUrl).toMatch(/^http:\/\/localhost:\d+\/$/);
    }
    expect(report.page).toMatchObject({ status: 200, hasRoot: true });
    expect(report.calls.getAppInfo).toMatchObject({ ok: true, value: { shell: 'desktop', dataDir } });
    expect(report.calls.createSpace).toMatchObject({ ok: true, value: { name: 'Northwind' } });
    expect(report.calls.fromAnotherPage).toMatchObject({ ok: false });
    // Chromium's own files are kept apart from the person's data folder.
    expect(report.paths.userData).toBeDefined();
    expect(report.paths.userData!.startsWith(dataDir)).toBe(false);
    expect(await readFile(resolve(dataDir, 'catalog.json'), 'utf8')).toContain('Northwind');
  });
}
