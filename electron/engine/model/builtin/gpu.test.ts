/**
 * Whether the built-in runtime uses the graphics processor: the decision with node-llama-cpp's detection
 * mocked (this machine has no GPU, so a model never really runs on one here), and the fallback for real:
 * a runtime process asked for a GPU build that cannot run here loads the tiny model on the processor,
 * answers, and the failure is in Diagnostics in words.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { writeTinyGguf, type TinyGgufInfo } from '../../../../tests/fixtures/tinyGguf';
import { Diagnostics } from '../../Diagnostics';
import { BuiltinRuntime } from './BuiltinRuntime';
import { childProcessLauncher, type RuntimeLauncher } from './launcher';
import { runtimeHostPath } from './runtimeHostPath';
import type { MachineInfo } from './catalog';
import { chooseRuntimeGpu, RuntimeGpuChoice } from './gpu';

const memoryBytes = 16 * 2 ** 30;

/** A GPU choice on `machine` that notes its problems in a fresh Diagnostics (kept off the console). */
function choiceOn(machine: () => Promise<MachineInfo>, platform: string, arch: string) {
  const diagnostics = new Diagnostics();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const choice = new RuntimeGpuChoice({ machine, noteProblem: diagnostics.note, platform, arch });
  return { diagnostics, choice };
}

describe('choosing the GPU for the built-in runtime', () => {
  it('takes the detected GPU where Keel ships its prebuilt build, else the processor', () => {
    expect(chooseRuntimeGpu({ kind: 'metal' }, 'darwin', 'arm64', false)).toBe('metal');
    expect(chooseRuntimeGpu({ kind: 'vulkan', vramBytes: 8e9 }, 'linux', 'x64', false)).toBe('vulkan');
    expect(chooseRuntimeGpu({ kind: 'vulkan' }, 'win32', 'x64', false)).toBe('vulkan');
    expect(chooseRuntimeGpu({ kind: 'cuda' }, 'linux', 'x64', false)).toBe('cuda');
    // No prebuilt GPU build for these: an Intel Mac, Linux on ARM.
    expect(chooseRuntimeGpu({ kind: 'metal' }, 'darwin', 'x64', false)).toBe(false);
    expect(chooseRuntimeGpu({ kind: 'vulkan' }, 'linux', 'arm64', false)).toBe(false);
    // No GPU found, or it failed before.
    expect(chooseRuntimeGpu(null, 'darwin', 'arm64', false)).toBe(false);
    expect(chooseRuntimeGpu({ kind: 'metal' }, 'darwin', 'arm64', true)).toBe(false);
  });

  it('detects lazily, once, and after a failure keeps to the processor with a note in Diagnostics', async () => {
    const machine = vi.fn(async (): Promise<MachineInfo> => ({ memoryBytes, gpu: { kind: 'metal' } }));
    const { diagnostics, choice } = choiceOn(machine, 'darwin', 'arm64');
    expect(machine).not.toHaveBeenCalled();
    expect(await choice.choose()).toBe('metal');
    choice.failedWith('metal', 'Its build did not load: out of memory.');
    choice.failedWith('metal', 'Noted once only.');
    expect(await choice.choose()).toBe(false);
    expect(diagnostics.recent()).toEqual([
      expect.objectContaining({
        what: 'running built-in models on the graphics processor (Apple Metal)',
        message:
          'Its build did not load: out of memory. Keel runs them on the processor instead, which is slower.',
      }),
    ]);
  });

  it('takes the processor when detection fails', async () => {
    const choice = new RuntimeGpuChoice({
      machine: () => Promise.reject(new Error('the detecting process crashed')),
      noteProblem: () => undefined,
      platform: 'darwin',
      arch: 'arm64',
    });
    expect(await choice.choose()).toBe(false);
  });
});

describe('a GPU build that does not run here', () => {
  let folder: string;
  let tiny: TinyGgufInfo;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'keel-gpu-fallback-'));
    tiny = await writeTinyGguf(join(folder, 'tiny.gguf'), { seed: 13 });
  });

  afterAll(() => (folder ? rm(folder, { recursive: true, force: true }) : undefined));

  /** A runtime of the tiny model that asks `choice` for its GPU, closed when the test ends. */
  function runtimeOn(choice: RuntimeGpuChoice, launcher?: RuntimeLauncher): BuiltinRuntime {
    const runtime = new BuiltinRuntime({
      modelPath: tiny.path,
      contextSize: 512,
      ...(launcher ? { launcher } : {}),
      gpu: () => choice.choose(),
      onGpuFailed: (gpu, reason) => choice.failedWith(gpu, reason),
    });
    onTestFinished(() => runtime.close());
    return runtime;
  }

  // Metal runs only on Apple silicon; elsewhere node-llama-cpp has no Metal build to load.
  const appleSilicon = process.platform === 'darwin' && process.arch === 'arm64';
  it.skipIf(appleSilicon)(
    'falls back to the processor, answers, and says why in Diagnostics',
    async () => {
      // Detection mocked to say Metal on an Apple-silicon Mac: the process then really asks for Metal.
      const { diagnostics, choice } = choiceOn(
        async () => ({ memoryBytes, gpu: { kind: 'metal' } }),
        'darwin',
        'arm64',
      );
      const runtime = runtimeOn(choice);
      const answer = await runtime.chat([{ role: 'user', content: 'Hello?' }], { maxTokens: 8, seed: 1 });
      expect(answer.text.length).toBeGreaterThan(0);
      expect(diagnostics.recent()).toEqual([
        expect.objectContaining({
          what: 'running built-in models on the graphics processor (Apple Metal)',
          message: expect.stringMatching(
            /^Its build did not load: no metal build of llama\.cpp runs on this computer\. Keel runs them on the processor instead/,
          ),
        }),
      ]);
      expect(await choice.choose()).toBe(false);
    },
    120_000,
  );

  it('starts again on the processor when the process dies loading on the GPU, as in a driver crash', async () => {
    const { diagnostics, choice } = choiceOn(
      async () => ({ memoryBytes, gpu: { kind: 'vulkan' } }),
      'linux',
      'x64',
    );
    // The real runtime process, killed as soon as it is asked to load on a GPU.
    const loads: unknown[] = [];
    const launcher: RuntimeLauncher = (options, events) => {
      const child = childProcessLauncher(runtimeHostPath)(options, events);
      return {
        get pid() {
          return child.pid;
        },
        send(request) {
          if (request.type === 'load') loads.push(request.gpu);
          if (request.type === 'load' && request.gpu) child.kill();
          else child.send(request);
        },
        kill: () => child.kill(),
      };
    };
    const runtime = runtimeOn(choice, launcher);
    const answer = await runtime.chat([{ role: 'user', content: 'Hello?' }], { maxTokens: 8, seed: 1 });
    expect(answer.text.length).toBeGreaterThan(0);
    expect(loads).toEqual(['vulkan', false]);
    expect(diagnostics.recent()).toEqual([
      expect.objectContaining({
        what: 'running built-in models on the graphics processor (Vulkan)',
        message: expect.stringMatching(
          /^The runtime's process stopped while loading the model on it \(.+\)\./,
        ),
      }),
    ]);
  }, 120_000);
});
