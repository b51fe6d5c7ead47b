/**
 * The start-up script against a stub mirror: a local HTTP server stands in for Electron's releases
 * (through ELECTRON_MIRROR, which @electron/get honours) and serves a small fake Electron zip. The
 * installer that unpacks it is the real one from the electron package, copied into a temp folder
 * so this project's node_modules is never written.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDir, tempDataDir } from '../tests/helpers/tempDir';
import {
  consoleReporter,
  ElectronUnavailable,
  ensureElectron,
  findElectronPackage,
  installedElectron,
  type ElectronPackage,
  type Reporter,
} from './ensureElectron';

const real = findElectronPackage();
const zipName = `electron-v${real.version}-linux-x64.zip`;
const fakeZip = Buffer.from(
  zipSync({
    electron: [strToU8('#!/bin/sh\necho fake electron\n'), { os: 3, attrs: 0o755 << 16 }],
    version: strToU8(real.version),
    LICENSE: strToU8('stub'),
  }),
);

type Mode = 'serve' | 'missing' | 'stall';

interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

async function startMirror(mode: Mode): Promise<Mirror> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (mode === 'missing' || !request.url?.endsWith('.zip')) {
      response.writeHead(404, 'Not Found').end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': fakeZip.length });
    if (mode === 'stall') response.write(fakeZip.subarray(0, 10));
    else response.end(fakeZip);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mirror/`,
    requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A copy of the electron package (its real installer) whose checksums list the fake zip. */
function fakeElectronPackage(root: string, checksum: string): ElectronPackage {
  const dir = join(root, 'node_modules', 'electron');
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'install.js']) copyFileSync(join(real.dir, file), join(dir, file));
  writeFileSync(join(dir, 'checksums.json'), JSON.stringify({ [zipName]: checksum }));
  // The installer's own dependencies, linked from this project's node_modules.
  for (const name of ['@electron/get', '@electron-internal/extract-zip']) {
    const target = join(root, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    const source = [join(real.dir, 'node_modules', name), join(dirname(real.dir), name)].find(existsSync);
    if (!source) throw new Error(`${name} is not installed beside electron`);
    symlinkSync(source, target, 'dir');
  }
  return { dir, version: real.version, installer: join(dir, 'install.js') };
}

function recorder(): Reporter & { lines: string[]; progressLines: string[] } {
  const lines: string[] = [];
  const progressLines: string[] = [];
  return {
    lines,
    progressLines,
    line: (text) => void lines.push(text),
    progress: (text) => void progressLines.push(text),
    done: () => {},
  };
}

let temp: { path: string };
let mirror: Mirror | undefined;
const sha256 = createHash('sha256').update(fakeZip).digest('hex');

function envFor(mirrorUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: temp.path,
    ELECTRON_MIRROR: mirrorUrl,
    ELECTRON_INSTALL_PLATFORM: 'linux',
    ELECTRON_INSTALL_ARCH: 'x64',
    electron_config_cache: join(temp.path, 'cache'),
    ELECTRON_GET_NO_PROGRESS: '1',
  };
}

beforeEach(async () => {
  temp = { path: await tempDataDir() };
});

afterEach(async () => {
  await mirror?.close();
  mirror = undefined;
  await removeDir(temp.path);
});

describe('ensureElectron', () => {
  it('downloads the binary from the mirror with progress, unpacks it and writes path.txt, once', async () => {
    mirror = await startMirror('serve');
    const pkg = fakeElectronPackage(temp.path, sha256);
    const report = recorder();
    const env = envFor(mirror.url);
    expect(installedElectron(pkg, env)).toBeNull();

    const result = await ensureElectron({ pkg, env, report });

    expect(result).toEqual({ binary: join(pkg.dir, 'dist', 'electron'), installed: true });
    expect(readFileSync(join(pkg.dir, 'path.txt'), 'utf8')).toBe('electron');
    expect(readFileSync(join(pkg.dir, 'dist', 'electron'), 'utf8')).toContain('fake electron');
    expect(mirror.requests).toEqual([`/mirror/v${real.version}/${zipName}`]);
    expect(report.lines[0]).toMatch(/needs the app binary of Electron .* for linux-x64.*Fetching it once/);
    expect(report.progressLines.at(-1)).toMatch(new RegExp(`Downloading ${zipName}: 100% \\(`));
    expect(report.lines.at(-1)).toBe(`Electron ${real.version} for linux-x64 is installed.`);

    // The second start finds it and fetches nothing.
    const again = await ensureElectron({ pkg, env, report: recorder() });
    expect(again).toEqual({ binary: join(pkg.dir, 'dist', 'electron'), installed: false });
    expect(mirror.requests).toHaveLength(1);
  });

  it('says the mirror refused the connection, naming the address, when it cannot be reached', async () => {
    const closed = await startMirror('serve');
    const url = closed.url;
    await closed.close();
    const pkg = fakeElectronPackage(temp.path, sha256);

    const failure = ensureElectron({ pkg, env: envFor(url), report: recorder() });

    await expect(failure).rejects.toBeInstanceOf(ElectronUnavailable);
    await expect(failure).rejects.toThrow(
      new RegExp(
        `Keel cannot start: the app binary of Electron ${real.version} for linux-x64 is not installed[^]*` +
          `From: +${url}v${real.version}/${zipName}[^]*Cause: the server refused the connection[^]*ELECTRON_MIRROR`,
      ),
    );
    expect(existsSync(join(pkg.dir, 'path.txt'))).toBe(false);
  });

  it('says what the server answered when the file is not there', async () => {
    mirror = await startMirror('missing');
    const pkg = fakeElectronPackage(temp.path, sha256);
    await expect(ensureElectron({ pkg, env: envFor(mirror.url), report: recorder() })).rejects.toThrow(
      /Cause: the server answered 404 Not Found/,
    );
    expect(existsSync(join(pkg.dir, 'path.txt'))).toBe(false);
  });

  it("refuses a file that does not match Electron's checksum and installs nothing", async () => {
    mirror = await startMirror('serve');
    const pkg = fakeElectronPackage(temp.path, '0'.repeat(64));
    await expect(ensureElectron({ pkg, env: envFor(mirror.url), report: recorder() })).rejects.toThrow(
      /Cause: the file did not match Electron's published SHA-256 checksum, so it was not installed/,
    );
    expect(existsSync(join(pkg.dir, 'path.txt'))).toBe(false);
    expect(existsSync(join(pkg.dir, 'dist'))).toBe(false);
  });

  it('gives up on a download that stalls', async () => {
    mirror = await startMirror('stall');
    const pkg = fakeElectronPackage(temp.path, sha256);
    await expect(
      ensureElectron({ pkg, env: envFor(mirror.url), report: recorder(), stallTimeoutMs: 300 }),
    ).rejects.toThrow(/Cause: the download stalled: nothing arrived for 0 seconds/);
  });

  it('uses ELECTRON_EXEC_PATH when it names a file, and says so when it does not', async () => {
    const pkg = fakeElectronPackage(temp.path, sha256);
    const binary = join(temp.path, 'my-electron');
    writeFileSync(binary, '');
    await expect(
      ensureElectron({ pkg, env: { ELECTRON_EXEC_PATH: binary }, report: recorder() }),
    ).resolves.toEqual({ binary, installed: false });
    await expect(
      ensureElectron({ pkg, env: { ELECTRON_EXEC_PATH: `${binary}-gone` }, report: recorder() }),
    ).rejects.toThrow(/ELECTRON_EXEC_PATH names .*my-electron-gone, and there is no file there/);
  });
});

describe('consoleReporter', () => {
  function stream(isTTY: boolean) {
    const written: string[] = [];
    return {
      written,
      target: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream,
    };
  }

  it('rewrites one progress line on a terminal', () => {
    const out = stream(true);
    const report = consoleReporter(out.target);
    report.progress('Downloading x.zip: 5% (1 of 20 MB)');
    report.progress('Downloading x.zip: 10% (2 of 20 MB)');
    report.line('Unpacking Electron…');
    expect(out.written).toEqual([
      '\rDownloading x.zip: 5% (1 of 20 MB)\u001b[K',
      '\rDownloading x.zip: 10% (2 of 20 MB)\u001b[K',
      '\n',
      'Unpacking Electron…\n',
    ]);
  });

  it('writes a line per tenth of the download into a log', () => {
    const out = stream(false);
    const report = consoleReporter(out.target);
    for (const percent of [0, 3, 9, 10, 15, 55, 99, 100]) report.progress(`Downloading x.zip: ${percent}%`);
    expect(out.written).toEqual([
      'Downloading x.zip: 0%\n',
      'Downloading x.zip: 10%\n',
      'Downloading x.zip: 55%\n',
      'Downloading x.zip: 99%\n',
      'Downloading x.zip: 100%\n',
    ]);
  });
});

describe('the start-up script, run as npm start runs it', () => {
  it('exits with code 1 and the explanation when the binary cannot be had', async () => {
    const closed = await startMirror('serve');
    await closed.close();
    const env = {
      ...envFor(closed.url),
      // Whatever this machine has installed, the script must look for the binary in an empty folder.
      ELECTRON_OVERRIDE_DIST_PATH: join(temp.path, 'no-electron-here'),
    };
    const child = spawn(process.execPath, [resolve('scripts/ensureElectron.ts')], { env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(1);
    expect(stderr).toContain('Keel cannot start: the app binary of Electron');
    expect(stderr).toContain('Cause: the server refused the connection');
  });
});
