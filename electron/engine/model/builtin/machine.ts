/**
 * What this machine can run: its memory, and the graphics processor node-llama-cpp finds. The GPU is
 * asked for in a short-lived child process, so loading llama.cpp's native code (and any crash in a
 * graphics driver) never happens in the engine's own process; asked once per engine.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GpuInfo, MachineInfo } from './catalog';

const detectTimeoutMs = 30_000;

/** The script the child runs: node-llama-cpp's own detection, printed as one JSON line. */
const detectScript = (moduleUrl: string) => `
const { getLlama, LlamaLogLevel } = await import(${JSON.stringify(moduleUrl)});
const llama = await getLlama({ gpu: 'auto', build: 'never', skipDownload: true, progressLogs: false, logLevel: LlamaLogLevel.disabled });
const gpu = llama.gpu;
const vram = gpu ? (await llama.getVramState()).total : undefined;
process.stdout.write(JSON.stringify({ gpu, vram }) + '\\n');
await llama.dispose();
process.exit(0);
`;

/**
 * Runs a script file in a separate Node process and answers what it printed. Under the web host (and
 * in tests) that is `node`; the desktop shell passes one that uses Electron's utilityProcess, since
 * the packaged app cannot run as Node (its runAsNode fuse is off).
 */
export type ScriptRunner = (scriptPath: string, timeoutMs: number) => Promise<string>;

const nodeRunner: ScriptRunner = (scriptPath, timeoutMs) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [scriptPath], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output = (output + chunk).slice(-4096);
    });
    child.on('error', () => resolve(''));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(output);
    });
  });

/** The graphics processor node-llama-cpp detects, or null when there is none (or it cannot tell). */
export async function detectGpu(run?: ScriptRunner): Promise<GpuInfo | null> {
  // Inside Electron, process.execPath is the app itself: without the shell's runner, do not guess.
  if (!run && process.versions.electron !== undefined) return null;
  let moduleUrl: string;
  try {
    moduleUrl = pathToFileURL(createRequire(import.meta.url).resolve('node-llama-cpp')).href;
  } catch {
    return null;
  }
  // Run from a file, not `-e`: node-llama-cpp tests its binary in a child that inherits the arguments.
  const folder = await mkdtemp(join(tmpdir(), 'keel-gpu-'));
  try {
    const script = join(folder, 'detect.mjs');
    await writeFile(script, detectScript(moduleUrl));
    return parseDetected(await (run ?? nodeRunner)(script, detectTimeoutMs).catch(() => ''));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The child's answer, checked: anything unexpected counts as no graphics processor. */
export function parseDetected(output: string): GpuInfo | null {
  try {
    const line = output.trim().split('\n').at(-1) ?? '';
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { gpu, vram } = parsed as { gpu?: unknown; vram?: unknown };
    if (gpu !== 'metal' && gpu !== 'cuda' && gpu !== 'vulkan') return null;
    return typeof vram === 'number' && Number.isFinite(vram) && vram > 0
      ? { kind: gpu, vramBytes: vram }
      : { kind: gpu };
  } catch {
    return null;
  }
}

/** The machine, asked once: memory at once, the graphics processor from the child process. */
export function machineProbe(options: {
  memoryBytes?: number;
  detect?: () => Promise<GpuInfo | null>;
}): () => Promise<MachineInfo> {
  let asked: Promise<MachineInfo> | undefined;
  return () => {
    asked ??= (options.detect ?? detectGpu)()
      .catch(() => null)
      .then((gpu) => ({ memoryBytes: options.memoryBytes ?? totalmem(), gpu }));
    return asked;
  };
}
