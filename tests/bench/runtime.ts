/**
 * The built-in runtime (node-llama-cpp in a process of its own) on a tiny generated GGUF model:
 * - start-up of the runtime's process, to the model loaded;
 * - overhead to the first token through the model interface (`BuiltinModels.chat`, what moves use)
 *   over calling node-llama-cpp in this process on the same model, prompt and seed;
 * - streaming throughput through the process boundary: the tiny model's own speed both ways, and the
 *   boundary's capacity (delta messages of the runtime's protocol, child to engine, as fast as they go).
 */
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getLlama, LlamaChatSession, LlamaLogLevel } from 'node-llama-cpp';
import { BuiltinModels } from '../../electron/engine/model/builtin/BuiltinModels';
import { BuiltinRuntime } from '../../electron/engine/model/builtin/BuiltinRuntime';
import { writeTinyGguf } from '../fixtures/tinyGguf';
import { removeDir, tempDataDir } from '../helpers/engineHarness';

type Line = (name: string, figure: string, target: string, met: boolean | undefined) => void;

const rounds = Number(process.env.KEEL_BENCH_RUNTIME_ROUNDS ?? 10);
const SYSTEM = 'Be brief.';
const QUESTION = 'Hello?';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export async function benchRuntime(line: Line): Promise<void> {
  const dataDir = await tempDataDir();
  const folder = join(dataDir, 'models');
  await mkdir(folder);
  const tiny = await writeTinyGguf(join(folder, 'tiny.gguf'), { seed: 31, contextLength: 2048 });
  try {
    // Start-up: a fresh process each round, to the model loaded.
    const startups: number[] = [];
    for (let round = 0; round < Math.min(rounds, 5); round += 1) {
      const runtime = new BuiltinRuntime({ modelPath: tiny.path, threads: 1, contextSize: 512 });
      const started = performance.now();
      await runtime.start();
      startups.push(performance.now() - started);
      await runtime.close();
    }
    line(
      'built-in runtime start-up, model loaded',
      `${median(startups).toFixed(0)} ms`,
      'none set',
      undefined,
    );

    // Direct: node-llama-cpp in this process.
    const llama = await getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
    });
    const model = await llama.loadModel({ modelPath: tiny.path });
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    const direct: number[] = [];
    let directTokens = 0;
    let directMs = 0;
    for (let round = 0; round < rounds; round += 1) {
      session.setChatHistory([{ type: 'system', text: SYSTEM }]);
      const controller = new AbortController();
      const started = performance.now();
      let first = 0;
      let count = 0;
      await session.prompt(QUESTION, {
        maxTokens: 200,
        seed: round,
        signal: controller.signal,
        stopOnAbortSignal: true,
        onTextChunk: () => {
          count += 1;
          if (count === 1) first = performance.now();
        },
      });
      direct.push(first - started);
      if (count > 1) {
        directTokens += count - 1;
        directMs += performance.now() - first;
      }
    }
    await llama.dispose();

    // Through the model interface: the runtime's own process, over IPC.
    const models = new BuiltinModels({ folder, modelFiles: () => [], threads: 1 });
    await models.load('tiny.gguf', '', 512);
    const through: number[] = [];
    let throughTokens = 0;
    let throughMs = 0;
    for (let round = 0; round < rounds; round += 1) {
      const started = performance.now();
      let first = 0;
      let count = 0;
      const answer = models.chat({
        model: 'tiny.gguf',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: QUESTION },
        ],
        numCtx: 200,
        signal: new AbortController().signal,
        firstTokenTimeoutMs: 60_000,
        stallTimeoutMs: 60_000,
      });
      for await (const _part of answer) {
        count += 1;
        if (count === 1) first = performance.now();
      }
      through.push(first - started);
      if (count > 1) {
        throughTokens += count - 1;
        throughMs += performance.now() - first;
      }
    }
    await models.close();
    const overhead = median(through) - median(direct);
    line(
      'first token, node-llama-cpp in process (median)',
      `${median(direct).toFixed(1)} ms`,
      'none set',
      undefined,
    );
    line('first token, built-in runtime (median)', `${median(through).toFixed(1)} ms`, 'none set', undefined);
    line('built-in runtime overhead to first token', `${overhead.toFixed(1)} ms`, '< 10 ms', overhead < 10);
    line(
      'tiny model speed, in process',
      `${Math.round((directTokens / directMs) * 1000)} tok/s`,
      'none set',
      undefined,
    );
    line(
      'tiny model speed, through the runtime process',
      `${Math.round((throughTokens / throughMs) * 1000)} tok/s`,
      'none set',
      undefined,
    );
    const capacity = await boundaryCapacity(dataDir, 20_000);
    line(
      'process boundary capacity (delta messages)',
      `${Math.round(capacity)} tok/s`,
      '≥ 2,000 tok/s',
      capacity >= 2000,
    );
  } finally {
    await removeDir(dataDir);
  }
}

/** How many one-token delta messages a child sends the engine per second over the same IPC channel. */
async function boundaryCapacity(folder: string, count: number): Promise<number> {
  const script = join(folder, 'deltas.mjs');
  await writeFile(
    script,
    `process.once('message', () => {
      for (let i = 0; i < ${count}; i++) process.send({ type: 'delta', id: 1, text: ' word' });
      process.send({ type: 'done', id: 1, text: '', stopReason: 'stop' });
    });`,
  );
  const child = fork(script, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => child.once('spawn', resolve));
  let received = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    child.on('message', (message: { type: string }) => {
      if (message.type === 'delta') received += 1;
      else resolve();
    });
    child.send({ type: 'go' });
  });
  const seconds = (performance.now() - started) / 1000;
  child.kill();
  return received / seconds;
}
