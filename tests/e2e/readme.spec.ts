/**
 * The README is a test: every command it gives a person is run here (or by CI itself) exactly as
 * written, and a command that no test runs fails the first test below. Last round the README's
 * `npm run web` was broken while every test passed, because the tests started the built file
 * themselves; these start what the README says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
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
  'npm start': 'this spec: “npm start and npm run dev …”',
  'npm run dev': 'this spec: “npm start and npm run dev …”',
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

/** Stops a command and everything it started (npm, sh and node alike). */
async function stopCommand(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
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
