/**
 * `npm run bench`: measures the figures the issues set targets for, on this machine, from one run,
 * and prints each beside its target. Never part of `npm test`.
 *
 * Today: the engine's overhead to the first token over the raw `ollama` client (both against the
 * fake Ollama with no delay), and the time to save a turn in a loop.
 */
import { performance } from 'node:perf_hooks';
import { cpus, totalmem } from 'node:os';
import { Ollama } from 'ollama';
import { startFakeOllama } from '../fixtures/fakeOllama';
import { openEngine, recordEvents, removeDir, tempDataDir, value } from '../helpers/engineHarness';
import { measureRecall, type RecallFigures } from './memoryRecall';
import { benchScale, benchStreaming } from './scale';
import { benchLedger } from './ledger';
import { benchRuntime } from './runtime';
import { benchSources } from './sources';
import { benchSync } from './sync';

const rounds = Number(process.env.KEEL_BENCH_ROUNDS ?? 200);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function line(name: string, figure: string, target: string, met: boolean | undefined): void {
  const verdict = met === undefined ? '' : met ? '  ok' : '  MISSED';
  console.log(`${name.padEnd(44)} ${figure.padStart(14)}   target ${target}${verdict}`);
}

async function main(): Promise<void> {
  console.log(
    `Keel bench on ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const fake = await startFakeOllama({ defaultReply: () => ({ text: 'one two three' }) });
  const dataDir = await tempDataDir();
  const engine = await openEngine(dataDir, fake.url);
  try {
    const space = value(await engine.call('createSpace', { name: 'Bench' }));
    const loop = value(await engine.call('createLoop', { spaceId: space.id, title: 'Bench loop' }));
    value(await engine.call('addTurn', { loopId: loop.id, text: 'A question to think about.' }));

    // Raw client: request to first streamed chunk.
    const raw: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const client = new Ollama({ host: fake.url });
      const started = performance.now();
      const stream = await client.chat({
        model: 'llama3.2',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const part of stream) {
        if (part.message.content) {
          raw.push(performance.now() - started);
          stream.abort();
          break;
        }
      }
    }

    // Engine: contract call to the first turn.delta event, context assembly included.
    const viaEngine: number[] = [];
    const recorder = recordEvents(engine);
    for (let i = 0; i < rounds; i += 1) {
      const started = performance.now();
      const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
      await recorder.next('turn.delta', (event) => event.turnId === turn.id);
      viaEngine.push(performance.now() - started);
      await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    }
    recorder.stop();
    const overhead = median(viaEngine) - median(raw);
    line('engine overhead to first token (median)', `${overhead.toFixed(2)} ms`, '< 5 ms', overhead < 5);
    line('  raw client to first token (median)', `${median(raw).toFixed(2)} ms`, '-', undefined);
    line('  engine to first token (median)', `${median(viaEngine).toFixed(2)} ms`, '-', undefined);

    const saves: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const started = performance.now();
      value(
        await engine.call('addTurn', { loopId: loop.id, text: `Turn ${i}: a thought of moderate length.` }),
      );
      saves.push(performance.now() - started);
    }
    line(
      `saving a turn (median, loop of ${rounds * 3} turns)`,
      `${median(saves).toFixed(2)} ms`,
      '< 5 ms',
      median(saves) < 5,
    );
  } finally {
    await engine.close();
    await fake.close();
    await removeDir(dataDir);
  }
}

function printRecall(label: string, figures: RecallFigures): void {
  line(
    `memory recall@5, ${label}`,
    `${(figures.recallAt5 * 100).toFixed(1)} %`,
    'as high as it goes (no fixed target)',
    undefined,
  );
  for (const [type, { hits, total }] of Object.entries(figures.byType)) {
    if (total > 0) line(`  ${type} queries`, `${hits}/${total}`, '-', undefined);
  }
  line(
    '  stale facts returned after an update',
    String(figures.staleReturned),
    '0',
    figures.staleReturned === 0,
  );
  line('  memories leaked across scope', String(figures.scopeLeaks), '0', figures.scopeLeaks === 0);
  line(
    `  set: ${figures.memories} memories, ${figures.queries} queries`,
    `${figures.mergesOrSupersessions}`,
    'merged or superseded on capture',
    undefined,
  );
}

/**
 * Recall quality, full-text path: a model host with no embedding model installed, whose chat model
 * declines structured requests, so consolidation is the lexical check alone (a fake model's answer
 * to a close call would be measured as if it meant something).
 */
async function benchRecall(): Promise<void> {
  const fake = await startFakeOllama({
    models: [{ name: 'llama3.2:latest' }],
    defaultReply: (request) =>
      request.format ? { status: { code: 500, error: 'no structured answers here' } } : { text: 'ok' },
  });
  const dataDir = await tempDataDir();
  const engine = await openEngine(dataDir, fake.url);
  try {
    printRecall('full text, lexical consolidation', await measureRecall(engine));
  } finally {
    await engine.close();
    await fake.close();
    await removeDir(dataDir);
  }
  const realHost = process.env.KEEL_BENCH_OLLAMA;
  if (!realHost) {
    line(
      'memory recall@5, full text + embeddings',
      'not measured',
      'needs a real Ollama: set KEEL_BENCH_OLLAMA',
      undefined,
    );
    return;
  }
  const withEmbeddings = await tempDataDir();
  const real = await openEngine(withEmbeddings, realHost, {
    defaultChatModel: process.env.KEEL_BENCH_CHAT_MODEL,
  });
  try {
    printRecall('full text + embeddings', await measureRecall(real));
  } finally {
    await real.close();
    await removeDir(withEmbeddings);
  }
}

/**
 * Which parts to run: all of them unless KEEL_BENCH_PARTS names some (engine, recall, streaming,
 * sources, ledger, runtime, sync, scale), for a quick look at one figure or a test of the command itself.
 */
const parts = (process.env.KEEL_BENCH_PARTS ?? '').split(',').filter((part) => part.trim() !== '');
const wanted = (part: string) => parts.length === 0 || parts.includes(part);
const skip = () => Promise.resolve();

(wanted('engine') ? main() : skip())
  .then(() => (wanted('recall') ? benchRecall() : skip()))
  .then(() => (wanted('streaming') ? benchStreaming(line) : skip()))
  .then(() => (wanted('sources') ? benchSources(line) : skip()))
  .then(() => (wanted('ledger') ? benchLedger(line) : skip()))
  .then(() => (wanted('runtime') ? benchRuntime(line) : skip()))
  .then(() => (wanted('sync') ? benchSync(line) : skip()))
  .then(() =>
    wanted('scale')
      ? benchScale(line, (engine) => ({
          recall: async (loopId, spaceId) => {
            const memory = engine.dataFolder()!.memory;
            return memory.recallFor(loopId, spaceId, await memory.queryFor(loopId), 1500, false);
          },
        }))
      : skip(),
  )
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
