/**
 * The built-in runtime out of process: a child process loads a tiny generated GGUF model and answers over
 * IPC; a crash of the child mid-answer gives a clear error, and the next request starts a new child.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../../shared/errors';
import { writeTinyGguf, type TinyGgufInfo } from '../../../../tests/fixtures/tinyGguf';
import { BuiltinRuntime } from './BuiltinRuntime';

const SYSTEM = { role: 'system', content: 'Be brief.' } as const;

let folder: string;
let tiny: TinyGgufInfo;
const runtimes: BuiltinRuntime[] = [];

function runtime(modelPath = tiny.path, loadTimeoutMs = 60_000): BuiltinRuntime {
  const created = new BuiltinRuntime({ modelPath, threads: 1, contextSize: 512, loadTimeoutMs });
  runtimes.push(created);
  return created;
}

/** The error of a runtime whose model cannot be loaded, asked to embed: a KeelError saying the model is unsuitable. */
async function unsuitable(broken: BuiltinRuntime): Promise<KeelError> {
  const error = await broken.embed(['x']).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe('model-unsuitable');
  return error as KeelError;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'keel-builtin-runtime-'));
  tiny = await writeTinyGguf(join(folder, 'tiny.gguf'), { seed: 11 });
});

afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the built-in runtime in a child process', () => {
  it('streams a chat answer, embeds text and keeps to a JSON schema', async () => {
    const r = runtime();
    const deltas: string[] = [];
    const answer = await r.chat([SYSTEM, { role: 'user', content: 'Hello?' }], {
      maxTokens: 20,
      seed: 1,
      onDelta: (text) => deltas.push(text),
    });
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(answer.text);
    expect(['stop', 'length']).toContain(answer.stopReason);

    const [a, b] = await r.embed(['one thing', 'another']);
    expect(a).toHaveLength(tiny.embedding);
    expect(b).toHaveLength(tiny.embedding);
    expect(a).not.toEqual(b);

    const json = await r.chat([SYSTEM, { role: 'user', content: 'Decide.' }], {
      maxTokens: 60,
      seed: 2,
      format: { type: 'object', properties: { keep: { type: 'boolean' } }, required: ['keep'] },
    });
    expect(JSON.parse(json.text)).toEqual({ keep: expect.any(Boolean) });
    expect(r.starts).toBe(1);
  }, 120_000);

  it('stops an answer when asked', async () => {
    const r = runtime();
    const controller = new AbortController();
    let deltas = 0;
    const answer = await r.chat([SYSTEM, { role: 'user', content: 'Talk.' }], {
      maxTokens: 400,
      seed: 3,
      // A long required string keeps the model talking until the abort.
      format: {
        type: 'object',
        properties: { note: { type: 'string', minLength: 300 } },
        required: ['note'],
      },
      signal: controller.signal,
      onDelta: () => {
        if (++deltas === 3) controller.abort();
      },
    });
    expect(answer.stopReason).toBe('abort');
    expect(answer.text.length).toBeLessThan(300);
  }, 120_000);

  it('reports a crash mid-answer in plain words and starts again on the next request', async () => {
    const r = runtime();
    const firstPid = await r
      .chat([SYSTEM, { role: 'user', content: 'Warm up.' }], { maxTokens: 2 })
      .then(() => r.pid);
    expect(firstPid).toBeDefined();

    let killed = false;
    const crashed = r.chat([SYSTEM, { role: 'user', content: 'Talk.' }], {
      maxTokens: 400,
      seed: 4,
      format: {
        type: 'object',
        properties: { note: { type: 'string', minLength: 300 } },
        required: ['note'],
      },
      onDelta: () => {
        if (!killed) {
          killed = true;
          process.kill(firstPid!, 'SIGKILL');
        }
      },
    });
    const error = await crashed.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('stream-interrupted');
    expect((error as KeelError).message).toMatch(/built-in model stopped unexpectedly \(signal SIGKILL\)/);
    expect((error as KeelError).message).toMatch(/starts it again with the next request/);

    const again = await r.chat([SYSTEM, { role: 'user', content: 'Still there?' }], {
      maxTokens: 5,
      seed: 5,
    });
    expect(again.text.length).toBeGreaterThan(0);
    expect(r.starts).toBe(2);
    expect(r.pid).not.toBe(firstPid);
  }, 120_000);

  it('says clearly when the model file cannot be loaded', async () => {
    const broken = join(folder, 'broken.gguf');
    await writeFile(broken, Buffer.from('not a model at all, just text'));
    const error = await unsuitable(runtime(broken));
    expect(error.message).toMatch(/^Keel could not load the built-in model: Invalid GGUF magic/);
  }, 60_000);

  it('gives up on a hostile file that makes the loader run on, instead of hanging', async () => {
    // node-llama-cpp (3.21.1 and 3.22.1) reads a "GGUF" header with a bogus version as version 3 and keeps going.
    const hostile = join(folder, 'hostile.gguf');
    await writeFile(hostile, Buffer.from('GGUF but not really a model'));
    const started = Date.now();
    const error = await unsuitable(runtime(hostile, 8_000));
    expect(error.message).toMatch(/took too long to load|stopped while loading/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
