/**
 * Kills a real engine process with SIGKILL at random moments while it writes as fast as it can,
 * 50 times over one data folder, and checks after every kill that each file still parses and that
 * every turn the engine had acknowledged as saved is there.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEngine, removeDir, tempDataDir, value } from '../../../tests/helpers/engineHarness';

const kills = 50;
let dataDir: string;

beforeAll(async () => {
  dataDir = await tempDataDir();
});

afterAll(async () => {
  await removeDir(dataDir);
});

/** Runs the writer until it has acknowledged some writes, then kills it at a random moment. */
async function writeThenKill(run: number): Promise<{ acked: { loopId: string; text: string }[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('tests/fixtures/crashWriter.ts'), dataDir, String(run)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acked: { loopId: string; text: string }[] = [];
  let stderr = '';
  let buffer = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolveRun, reject) => {
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready' && !killTimer) {
          killTimer = setTimeout(
            () => {
              child.kill('SIGKILL');
              resolveRun();
            },
            20 + Math.random() * 250,
          );
        }
        const match = /^ack (\S+) (.*)$/.exec(line);
        if (match) acked.push({ loopId: match[1]!, text: match[2]! });
      }
    });
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`The writer exited by itself (${code}): ${stderr}`));
    });
  });
  await exited;
  return { acked };
}

async function everyFileParses(): Promise<void> {
  const files = [
    'catalog.json',
    ...(await readdir(join(dataDir, 'loops'))).map((name) => join('loops', name)),
  ];
  for (const file of files) {
    if (!file.endsWith('.json')) continue;
    const text = await readFile(join(dataDir, file), 'utf8');
    expect(() => JSON.parse(text), `${file} must parse`).not.toThrow();
  }
}

it(
  `keeps every acknowledged turn and every file readable across ${kills} kills`,
  { timeout: 240_000 },
  async () => {
    const allAcked: { loopId: string; text: string }[] = [];
    for (let run = 0; run < kills; run += 1) {
      const { acked } = await writeThenKill(run);
      allAcked.push(...acked);
      await everyFileParses();
    }
    expect(allAcked.length).toBeGreaterThan(kills);

    const engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    try {
      const loops = value(await engine.call('listLoops', {}));
      const turnsByLoop = new Map<string, Set<string>>();
      for (const loop of loops) {
        const opened = value(await engine.call('getLoop', { loopId: loop.id }));
        turnsByLoop.set(loop.id, new Set(opened.turns.map((turn) => turn.text)));
      }
      const missing = allAcked.filter(({ loopId, text }) => !turnsByLoop.get(loopId)?.has(text));
      expect(missing).toEqual([]);
      // Abandoned temp files of killed writes are cleared at start, so they never pile up.
      const leftovers = (await readdir(join(dataDir, 'loops'))).filter((name) => name.endsWith('.tmp'));
      expect(leftovers).toEqual([]);
    } finally {
      await engine.close();
    }
  },
);
