/**
 * Whether the built-in runtime runs models on the graphics processor. node-llama-cpp's detection (in
 * `machine.ts`, a short-lived child process, asked once per engine and shared with the catalog's
 * recommendation) says which GPU this machine has and whether its build loads; Keel then uses it where
 * a prebuilt build of it comes with Keel's npm packages, and the processor otherwise. A GPU build that
 * fails in the runtime's process falls back to the processor, is noted in Settings → Diagnostics, and
 * is not tried again while Keel runs.
 */
import type { NoteProblem } from '../../Diagnostics';
import type { GpuInfo, MachineInfo } from './catalog';

/** What the runtime's process asks node-llama-cpp for: a GPU build, or `false` for the processor. */
export type RuntimeGpu = GpuInfo['kind'] | false;

/**
 * The platforms (`process.platform`-`process.arch`) whose prebuilt GPU build is in Keel's lock file
 * (`@node-llama-cpp/mac-arm64-metal`, `linux-x64-vulkan`, `win-x64-vulkan`, and the CUDA ones, which
 * the packaged app leaves out: there detection finds no CUDA build and answers Vulkan).
 */
const prebuiltGpuBuilds: Record<GpuInfo['kind'], readonly string[]> = {
  metal: ['darwin-arm64'],
  vulkan: ['linux-x64', 'win32-x64'],
  cuda: ['linux-x64', 'win32-x64'],
};

const gpuNames: Record<GpuInfo['kind'], string> = { metal: 'Apple Metal', cuda: 'CUDA', vulkan: 'Vulkan' };

/** The decision: the detected GPU when its prebuilt build is there and it has not failed, else the processor. */
export function chooseRuntimeGpu(
  detected: GpuInfo | null,
  platform: string,
  arch: string,
  failedBefore: boolean,
): RuntimeGpu {
  if (failedBefore || !detected) return false;
  return prebuiltGpuBuilds[detected.kind].includes(`${platform}-${arch}`) ? detected.kind : false;
}

export class RuntimeGpuChoice {
  private failed = false;

  constructor(
    private readonly options: {
      /** The machine, detected lazily and once (`machineProbe`). */
      machine: () => Promise<MachineInfo>;
      noteProblem: NoteProblem;
      platform?: string;
      arch?: string;
    },
  ) {}

  /** The GPU for the next runtime process to start; a failed detection means the processor. */
  async choose(): Promise<RuntimeGpu> {
    if (this.failed) return false;
    const machine = await this.options.machine().catch(() => undefined);
    return chooseRuntimeGpu(
      machine?.gpu ?? null,
      this.options.platform ?? process.platform,
      this.options.arch ?? process.arch,
      this.failed,
    );
  }

  /** A runtime process could not use `gpu`: the processor from now on, and the person can read why. */
  failedWith(gpu: Exclude<RuntimeGpu, false>, reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.options.noteProblem(
      `running built-in models on the graphics processor (${gpuNames[gpu]})`,
      new Error(`${reason} Keel runs them on the processor instead, which is slower.`),
    );
  }
}
