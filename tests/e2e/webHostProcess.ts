/**
 * Starts the real web host (`node out/main/web.js`, as `npm run web` does after building) as a child
 * process with its own data folder and model host, and reads the one line it prints when ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

export interface RunningWebHost {
  /** The printed address, token included. */
  url: string;
  origin: string;
  stop(): Promise<void>;
}

export async function launchWebHost(env: {
  dataDir: string;
  ollamaHost: string;
  port?: number;
  /** More environment for the host (e.g. KEEL_MODEL_CATALOG). */
  env?: Record<string, string>;
}): Promise<RunningWebHost> {
  const child: ChildProcess = spawn(process.execPath, [resolve('out/main/web.js')], {
    env: {
      ...process.env,
      KEEL_DATA_DIR: env.dataDir,
      OLLAMA_HOST: env.ollamaHost,
      KEEL_PORT: String(env.port ?? 0),
      ...env.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`The web host did not start in time.\n${stderr}`)),
      15_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^Keel web: (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited (${code}) before it was ready.\n${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    stop: async () => {
      // Already exited (stopped before, or gone by itself): there is nothing to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
