/**
 * The built-in runtime's models behind the model interface: each model's process is kept for the
 * "Keep model loaded" time after its last request, then let go (its memory freed), never while a
 * request is under way.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../../tests/fixtures/tinyGguf';
import { removeDir, tempDataDir } from '../../../../tests/helpers/tempDir';
import { BuiltinModels, keepAliveMs } from './BuiltinModels';
import { childProcessLauncher } from './launcher';
import { runtimeHostPath } from './runtimeHostPath';

let dataDir: string;
const exits: string[] = [];
let starts = 0;

beforeAll(async () => {
  dataDir = await tempDataDir();
  await mkdir(join(dataDir, 'models'));
  await writeTinyGguf(join(dataDir, 'models', 'embed.gguf'), { seed: 3, embeddingModel: true });
});

afterAll(async () => {
  if (dataDir) await removeDir(dataDir);
});

function models(): BuiltinModels {
  return new BuiltinModels({
    folder: join(dataDir, 'models'),
    modelFiles: () => [],
    launcher: (options, events) => {
      starts += 1;
      return childProcessLauncher(runtimeHostPath)(options, {
        ...events,
        exit: (how) => {
          exits.push(how);
          events.exit(how);
        },
      });
    },
  });
}

describe('how long a built-in model stays loaded', () => {
  it('reads Ollama’s keep_alive words', () => {
    expect(keepAliveMs('10m')).toBe(600_000);
    expect(keepAliveMs('1h')).toBe(3_600_000);
    expect(keepAliveMs('30s')).toBe(30_000);
    expect(keepAliveMs('0')).toBe(0);
    expect(keepAliveMs('-1')).toBeUndefined();
  });

  it('lets the process go at once with "0", and starts it again for the next request', async () => {
    const runtime = models();
    try {
      await runtime.load('embed.gguf', '0', 512);
      await expect.poll(() => exits.length, { timeout: 10_000 }).toBe(1);
      const [vector] = await runtime.embed('embed.gguf', ['hello']);
      expect(vector).toHaveLength(64);
      expect(starts).toBe(2);
    } finally {
      await runtime.close();
    }
  }, 60_000);

  it('keeps the process while a request is under way', async () => {
    const runtime = models();
    const before = exits.length;
    try {
      await runtime.load('embed.gguf', '-1', 512);
      // Thousands of texts keep the process busy for seconds; "0" arrives while they are embedded.
      const embedding = runtime.embed(
        'embed.gguf',
        Array.from({ length: 3000 }, (_, i) => `text ${i}`),
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await runtime.load('embed.gguf', '0', 512);
      expect(await embedding).toHaveLength(3000);
      expect(exits.length).toBe(before);
    } finally {
      await runtime.close();
    }
    expect(exits.length).toBe(before + 1);
  }, 60_000);
});
