/**
 * Runs before `npm start` and `npm run dev`: makes sure Electron's app binary is there, and fetches
 * it once when it is not. Since Electron 45 the `electron` package downloads nothing at install (it
 * has no install script), while electron-vite reads `node_modules/electron/path.txt` and throws
 * "Electron uninstall" when that file is missing. So a fresh `npm install && npm start` failed.
 *
 * The download goes through Electron's own `@electron/get` (same mirror variables, same cache, same
 * checksums as the package's installer), with a progress line; then the package's own installer
 * (`install.js`, the `install-electron` bin) finds the file in the cache, unpacks it and writes
 * `path.txt`. When the binary cannot be had, the script says why and exits with code 1, so
 * electron-vite never starts. Nothing here runs at `npm install`, so `npm ci` works offline.
 *
 * Plain TypeScript that Node runs as it is (type stripping): no build step before the first start.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Env = Readonly<Record<string, string | undefined>>;

/** What the script needs to know about the installed `electron` package. */
export interface ElectronPackage {
  dir: string;
  version: string;
  /** The package's own installer script (`install.js`, published as the `install-electron` bin). */
  installer: string | null;
}

/** Where the Electron executable is, by the same rules as the package's index.js, or `null`. */
export function installedElectron(pkg: Pick<ElectronPackage, 'dir'>, env: Env): string | null {
  // electron-vite starts whatever ELECTRON_EXEC_PATH names, before it ever reads path.txt.
  if (env.ELECTRON_EXEC_PATH) return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null;
  const pathFile = join(pkg.dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const executable = readFileSync(pathFile, 'utf8');
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable)
    : join(pkg.dir, 'dist', executable);
  return existsSync(binary) ? binary : null;
}

/** The `electron` package as this project resolves it. */
export function findElectronPackage(from: string = import.meta.url): ElectronPackage {
  const manifestPath = createRequire(from).resolve('electron/package.json');
  const dir = dirname(manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    version: string;
    bin?: Record<string, string>;
  };
  const candidates = ['install.js', manifest.bin?.['install-electron']].filter(
    (name): name is string => typeof name === 'string',
  );
  const installer = candidates.map((name) => join(dir, name)).find((file) => existsSync(file)) ?? null;
  return { dir, version: manifest.version, installer };
}

/** How the script reports: `line` for messages, `progress` for the one line that is rewritten. */
export interface Reporter {
  line(text: string): void;
  progress(text: string): void;
  done(): void;
}

/** Writes to stderr; on a terminal the progress line is rewritten in place, elsewhere every 10%. */
export function consoleReporter(stream: NodeJS.WriteStream = process.stderr): Reporter {
  let lastDecile = -1;
  let open = false;
  return {
    line(text) {
      if (open) stream.write('\n');
      open = false;
      stream.write(`${text}\n`);
    },
    progress(text) {
      if (stream.isTTY) {
        stream.write(`\r${text}\u001b[K`);
        open = true;
        return;
      }
      const decile = Number(/(\d+)%/.exec(text)?.[1] ?? 0) / 10;
      if (Math.floor(decile) === lastDecile) return;
      lastDecile = Math.floor(decile);
      stream.write(`${text}\n`);
    },
    done() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

export interface EnsureOptions {
  pkg: ElectronPackage;
  env: Env;
  report: Reporter;
  /** How long a download may go without receiving a byte before it is given up, in ms. */
  stallTimeoutMs?: number;
}

/** Why the binary could not be had, in words for the person who typed `npm start`. */
export class ElectronUnavailable extends Error {
  override readonly name = 'ElectronUnavailable';
}

/**
 * Returns the Electron executable, downloading and installing it first when it is missing. Throws
 * `ElectronUnavailable` with the whole explanation when it cannot.
 */
export async function ensureElectron(
  options: EnsureOptions,
): Promise<{ binary: string; installed: boolean }> {
  const { pkg, env, report } = options;
  const present = installedElectron(pkg, env);
  if (present) return { binary: present, installed: false };
  if (env.ELECTRON_EXEC_PATH) {
    throw new ElectronUnavailable(
      `Keel cannot start: ELECTRON_EXEC_PATH names ${env.ELECTRON_EXEC_PATH}, and there is no file there.`,
    );
  }

  const platform = env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform;
  const arch = env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch;
  const what = `Electron ${pkg.version} for ${platform}-${arch}`;
  let url = '';
  report.line(
    `Keel needs the app binary of ${what}, which npm does not download. Fetching it once (about 100 MB)…`,
  );

  try {
    if (!pkg.installer) throw new Error(`the electron package in ${pkg.dir} has no installer script`);
    const get = await loadElectronGet(pkg.dir);
    await get.downloadArtifact({
      version: pkg.version,
      artifactName: 'electron',
      platform,
      arch,
      force: env.force_no_cache === 'true',
      cacheRoot: env.electron_config_cache,
      // The same checksums the package's installer checks: a file that does not match them is
      // refused here already, with a message, rather than unpacked.
      checksums:
        env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums
          ? undefined
          : (JSON.parse(readFileSync(join(pkg.dir, 'checksums.json'), 'utf8')) as Record<string, string>),
      mirrorOptions: mirrorOptions(env),
      downloader: {
        download: async (from: string, target: string) => {
          if (!from.endsWith('SHASUMS256.txt')) url = from;
          await download(from, target, report, options.stallTimeoutMs ?? 60_000);
        },
      },
    });
    report.done();
    report.line('Unpacking Electron…');
    await runInstaller(pkg.installer, env);
  } catch (error) {
    report.done();
    throw new ElectronUnavailable(unavailableMessage(what, url, error));
  }

  const binary = installedElectron(pkg, env);
  if (!binary) {
    throw new ElectronUnavailable(
      unavailableMessage(
        what,
        url,
        new Error(`the installer finished, but ${join(pkg.dir, 'path.txt')} names no binary`),
      ),
    );
  }
  report.line(`${what} is installed.`);
  return { binary, installed: true };
}

/** The message `npm start` ends with when the binary cannot be had. */
export function unavailableMessage(what: string, url: string, error: unknown): string {
  return [
    `Keel cannot start: the app binary of ${what} is not installed, and downloading it failed.`,
    `  From:  ${url || '(no address was reached)'}`,
    `  Cause: ${describeCause(error)}`,
    'npm does not download this binary: it comes from Electron\u2019s releases on GitHub, not from the npm',
    'registry. Connect to the internet and run the command again; or set ELECTRON_MIRROR to a mirror you',
    `can reach; or set ELECTRON_EXEC_PATH to an Electron ${what.split(' ')[1] ?? ''} executable you already have.`,
  ].join('\n');
}

/** The innermost reason, as a person would say it. */
export function describeCause(error: unknown): string {
  const codes: string[] = [];
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current.message && current !== error) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  const code = codes.at(-1);
  if (code === 'ECONNREFUSED') return `the server refused the connection (${message}).`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `the server's name could not be looked up (${message}).`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return `the connection timed out (${message}).`;
  if (/checksum|sha256|match/i.test(message)) {
    return `the file did not match Electron's published SHA-256 checksum, so it was not installed (${message}).`;
  }
  return message.endsWith('.') ? message : `${message}.`;
}

/**
 * The mirror settings from `env`, under the names `@electron/get` reads from `process.env` (which it
 * still prefers): passed on so the download and the installer, which gets `env`, agree on the address.
 */
function mirrorOptions(env: Env): Record<string, string> {
  const options: Record<string, string> = {};
  const names = { mirror: 'MIRROR', customDir: 'CUSTOM_DIR', customFilename: 'CUSTOM_FILENAME' };
  for (const [option, name] of Object.entries(names)) {
    const value = env[`npm_config_electron_${name.toLowerCase()}`] || env[`ELECTRON_${name}`];
    if (value) options[option] = value;
  }
  return options;
}

/** `@electron/get`, resolved from the electron package that depends on it. */
async function loadElectronGet(packageDir: string): Promise<{
  downloadArtifact(details: Record<string, unknown>): Promise<string>;
}> {
  const entry = createRequire(join(packageDir, 'package.json')).resolve('@electron/get');
  return (await import(pathToFileURL(entry).href)) as {
    downloadArtifact(details: Record<string, unknown>): Promise<string>;
  };
}

/** Downloads `url` to `target` with a progress line; gives up when no byte arrives for `stallMs`. */
async function download(url: string, target: string, report: Reporter, stallMs: number): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(stalled(stallMs)), stallMs);
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(stalled(stallMs)), stallMs);
  };
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || !response.body) {
      throw new Error(`the server answered ${response.status} ${response.statusText} for ${url}`);
    }
    const total = Number(response.headers.get('content-length')) || 0;
    const name = url.split('/').pop() ?? url;
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        rearm();
        report.progress(
          total > 0
            ? `Downloading ${name}: ${Math.floor((received / total) * 100)}% (${megabytes(received)} of ${megabytes(total)} MB)`
            : `Downloading ${name}: ${megabytes(received)} MB`,
        );
        callback(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body), counter, createWriteStream(target), {
      signal: controller.signal,
    });
  } catch (error) {
    throw controller.signal.aborted && controller.signal.reason instanceof Error
      ? controller.signal.reason
      : error;
  } finally {
    clearTimeout(timer);
  }
}

function stalled(ms: number): Error {
  return new Error(`the download stalled: nothing arrived for ${Math.round(ms / 1000)} seconds`);
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0);
}

/** Runs the package's installer, which finds the download in the cache, unpacks it and writes path.txt. */
function runInstaller(installer: string, env: Env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [installer], {
      env: { ...env },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let errorText = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      errorText = (errorText + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const firstLine = errorText.trim().split('\n')[0] ?? '';
        reject(
          new Error(
            `Electron's installer failed (exit code ${code ?? 'none'})${firstLine ? `: ${firstLine}` : ''}`,
          ),
        );
      }
    });
  });
}

async function main(): Promise<void> {
  const report = consoleReporter();
  try {
    await ensureElectron({ pkg: findElectronPackage(), env: process.env, report });
  } catch (error) {
    report.line(
      error instanceof ElectronUnavailable ? error.message : `Keel cannot start: ${describeCause(error)}`,
    );
    process.exitCode = 1;
  }
}

// Run as a script (not imported by its test). Compared as real paths: argv[1] keeps a symlinked
// folder (macOS's /tmp, say) that import.meta.url has resolved.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  await main();
}
