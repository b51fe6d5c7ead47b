/**
 * The built-in runtime's foundation: node-llama-cpp's prebuilt CPU binary runs a GGUF model written by the
 * test (random weights, so the text is gibberish) and does what Keel needs from a model: a chat answer
 * streamed token by token that can be stopped mid-way, an embedding vector, and an answer held to a JSON
 * schema. Nothing is built or downloaded: `build: 'never'` and `skipDownload` make a missing binary an error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, LlamaChatSession, LlamaLogLevel, type Llama, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf, type TinyGgufInfo } from '../fixtures/tinyGguf';

// One thread: on a shared CI runner llama.cpp's spinning worker threads cost more than they give.
const THREADS = 1;
// The default system prompt is long, and this vocabulary spends a token per byte on it.
const SYSTEM = 'Be brief.';

let folder: string;
let tiny: TinyGgufInfo;
let llama: Llama;
let model: LlamaModel;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'keel-tiny-model-'));
  tiny = await writeTinyGguf(join(folder, 'tiny.gguf'), { seed: 7 });
  const started = performance.now();
  llama = await getLlama({
    gpu: false,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
  });
  model = await llama.loadModel({ modelPath: tiny.path });
  console.info(
    `tiny model: ${tiny.bytes} bytes; binary and model loaded in ${Math.round(performance.now() - started)} ms`,
  );
}, 120_000);

afterAll(async () => {
  await llama?.dispose();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('the built-in runtime on a tiny generated model', () => {
  it('uses the prebuilt CPU binary from npm', () => {
    expect(llama.gpu).toBe(false);
    expect(llama.buildType).toBe('prebuilt');
    expect(model.trainContextSize).toBe(tiny.contextLength);
    // The byte-level vocabulary with merges tokenizes and detokenizes losslessly.
    const text = 'hello there, Keel! ünïcode';
    expect(model.detokenize(model.tokenize(text))).toBe(text);
  });

  it('streams a chat answer token by token, and stops when asked mid-way', async () => {
    const context = await model.createContext({ contextSize: 256, threads: THREADS });
    try {
      const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: SYSTEM });
      expect(session.chatWrapper.wrapperName).toBe('ChatML');

      const started = performance.now();
      let firstTokenMs = 0;
      let tokens = 0;
      const full = await session.promptWithMeta('Say something.', {
        maxTokens: 24,
        seed: 3,
        temperature: 0.8,
        onToken: (chunk) => {
          if (tokens === 0) firstTokenMs = performance.now() - started;
          tokens += chunk.length;
        },
      });
      const totalMs = performance.now() - started;
      expect(tokens).toBeGreaterThan(0);
      expect(full.response.length).toBeGreaterThan(0);
      const perSecond = (tokens - 1) / ((totalMs - firstTokenMs) / 1000);
      console.info(
        `tiny model on ${THREADS} thread(s): first token after ${Math.round(firstTokenMs)} ms, ` +
          `${tokens} tokens, ${perSecond.toFixed(1)} tokens/s after the first (stop: ${full.stopReason})`,
      );

      session.resetChatHistory();
      const controller = new AbortController();
      let afterAbort = 0;
      let before = 0;
      const stopped = await session.promptWithMeta('Say more.', {
        maxTokens: 200,
        seed: 4,
        temperature: 0.8,
        signal: controller.signal,
        stopOnAbortSignal: true,
        onToken: (chunk) => {
          if (controller.signal.aborted) afterAbort += chunk.length;
          else before += chunk.length;
          if (before >= 3) controller.abort();
        },
      });
      expect(stopped.stopReason).toBe('abort');
      // A chunk may hold more than one token; none arrives once the abort is signalled.
      expect(before).toBeGreaterThanOrEqual(3);
      expect(before).toBeLessThan(10);
      expect(afterAbort).toBe(0);
    } finally {
      await context.dispose();
    }
  }, 120_000);

  it('gives an embedding vector as long as the model is wide', async () => {
    const context = await model.createEmbeddingContext({ contextSize: 128, threads: THREADS });
    try {
      const a = await context.getEmbeddingFor('the harbour at dawn');
      const b = await context.getEmbeddingFor('a tax return');
      expect(a.vector).toHaveLength(tiny.embedding);
      expect(a.vector.every(Number.isFinite)).toBe(true);
      expect(a.vector).not.toEqual(b.vector);
      expect(a.calculateCosineSimilarity(a)).toBeCloseTo(1, 5);
    } finally {
      await context.dispose();
    }
  }, 60_000);

  it('holds an answer to a JSON schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        verdict: { enum: ['keep', 'drop', 'wait'] },
        sure: { type: 'boolean' },
      },
      required: ['verdict', 'sure'],
    } as const;
    const grammar = await llama.createGrammarForJsonSchema(schema);
    const context = await model.createContext({ contextSize: 256, threads: THREADS });
    try {
      const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: SYSTEM });
      const answer = await session.prompt('Decide.', { grammar, maxTokens: 80, seed: 5, temperature: 0.8 });
      const parsed: unknown = JSON.parse(answer);
      expect(parsed).toEqual({
        verdict: expect.stringMatching(/^(keep|drop|wait)$/),
        sure: expect.any(Boolean),
      });
      expect(grammar.parse(answer)).toEqual(parsed);
    } finally {
      await context.dispose();
    }
  }, 120_000);
});
