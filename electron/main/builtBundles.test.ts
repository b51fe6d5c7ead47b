/**
 * The shell's wiring as built, checked without Electron's binary: `electron-vite build` into a temp
 * folder, then every module of the main process and the preload is parsed and its imports listed.
 * - The main process (and the web host beside it) imports only Node built-ins, `electron` and its
 *   own chunks: every dependency is bundled, so the packaged app loads nothing from node_modules
 *   inside app.asar. The one exception is the built-in model runtime's process code, which imports
 *   node-llama-cpp (its native binaries are found through its package folders, unpacked from the
 *   asar), and nothing else does.
 * - The preload is CommonJS (a sandboxed preload cannot be an ES module) and requires only
 *   `electron`: a sandboxed preload can require nothing else.
 * - The web host and the engine's chunks never import `electron`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parse, type Node } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDir, tempDataDir } from '../../tests/helpers/tempDir';

let outDir = '';
/** The imports of every built module of the main process, parsed once. */
const mainImports = new Map<string, ModuleImport[]>();

beforeAll(async () => {
  outDir = await tempDataDir();
  const child = spawn(
    process.execPath,
    [
      resolve('node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--outDir',
      outDir,
      '--logLevel',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`electron-vite build failed (${code}):\n${stderr}`);
  for (const file of await modulesIn(join(outDir, 'main'))) {
    mainImports.set(file, importsOf(await readFile(file, 'utf8'), 'module'));
  }
}, 300_000);

afterAll(async () => {
  if (outDir) await removeDir(outDir);
});

/** One import of a module: how (import, export-from, dynamic import, require) and of what. */
interface ModuleImport {
  kind: 'import' | 'export' | 'dynamic' | 'require';
  /** The specifier, or `null` when it is not a string literal (computed at run time). */
  specifier: string | null;
}

/** Every import in `code`, found by walking its syntax tree (comments and strings do not count). */
function importsOf(code: string, sourceType: 'module' | 'script'): ModuleImport[] {
  const found: ModuleImport[] = [];
  const literal = (node: unknown): string | null =>
    node && typeof node === 'object' && (node as { type?: string }).type === 'Literal'
      ? String((node as { value: unknown }).value)
      : null;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const current = node as Node & Record<string, unknown>;
    if (current.type === 'ImportDeclaration')
      found.push({ kind: 'import', specifier: literal(current.source) });
    if (
      (current.type === 'ExportNamedDeclaration' || current.type === 'ExportAllDeclaration') &&
      current.source
    ) {
      found.push({ kind: 'export', specifier: literal(current.source) });
    }
    if (current.type === 'ImportExpression')
      found.push({ kind: 'dynamic', specifier: literal(current.source) });
    if (current.type === 'CallExpression') {
      const callee = current.callee as { type: string; name?: string };
      if (callee.type === 'Identifier' && /^(__)?require$/.test(callee.name ?? '')) {
        found.push({ kind: 'require', specifier: literal((current.arguments as unknown[])[0]) });
      }
    }
    for (const [key, value] of Object.entries(current)) {
      if (key !== 'type' && typeof value === 'object') visit(value);
    }
  };
  visit(parse(code, { ecmaVersion: 'latest', sourceType, allowHashBang: true }));
  return found;
}

const builtins = new Set(builtinModules);
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0] ?? '');

async function modulesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true });
  return entries.filter((name) => /\.(m?js|cjs)$/.test(name)).map((name) => join(folder, name));
}

describe('the built main process', () => {
  it('imports only Node built-ins, electron and its own chunks', async () => {
    const main = join(outDir, 'main');
    const files = [...mainImports.keys()];
    expect(files.map((file) => relative(main, file))).toEqual(expect.arrayContaining(['index.js', 'web.js']));
    const outside: string[] = [];
    for (const file of files) {
      for (const { kind, specifier } of mainImports.get(file) ?? []) {
        if (specifier === null) {
          outside.push(`${relative(main, file)}: a ${kind} of a computed name`);
          continue;
        }
        if (specifier === 'electron' || isBuiltin(specifier)) continue;
        if (specifier === 'node-llama-cpp' && /(^|\/)runtimeHost-[\w-]+\.js$/.test(relative(main, file)))
          continue;
        // Sync's local databases: LevelDB's prebuilt binary is found through its package folder.
        if (specifier === 'leveldown') continue;
        if (specifier.startsWith('./') || specifier.startsWith('../')) {
          const target = resolve(dirname(file), specifier);
          if (target.startsWith(main) && existsSync(target)) continue;
        }
        outside.push(`${relative(main, file)}: ${kind} ${specifier}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('builds the built-in model runtime as a process of its own, the only module that loads node-llama-cpp', () => {
    const main = join(outDir, 'main');
    const hosts = [...mainImports.keys()].filter((file) => /(^|\/)runtimeHost-[\w-]+\.js$/.test(file));
    expect(hosts).toHaveLength(1);
    expect(mainImports.get(hosts[0]!)?.map((found) => found.specifier)).toContain('node-llama-cpp');
    const loaders = [...mainImports.entries()].filter(([, found]) =>
      found.some((one) => one.specifier === 'node-llama-cpp'),
    );
    expect(loaders.map(([file]) => relative(main, file))).toEqual([relative(main, hosts[0]!)]);
  });

  it('keeps electron out of the web host and the engine', async () => {
    const main = join(outDir, 'main');
    const seen = new Set<string>();
    const importsElectron: string[] = [];
    const follow = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const { specifier } of mainImports.get(file) ?? []) {
        if (specifier === 'electron') importsElectron.push(relative(main, file));
        if (specifier?.startsWith('.')) follow(resolve(dirname(file), specifier));
      }
    };
    follow(join(main, 'web.js'));
    expect(seen.size).toBeGreaterThan(1);
    expect(importsElectron).toEqual([]);
  });
});

describe('the built preload', () => {
  it('is CommonJS that requires only electron', async () => {
    const files = await modulesIn(join(outDir, 'preload'));
    expect(files.map((file) => relative(outDir, file))).toEqual([join('preload', 'index.cjs')]);
    const code = await readFile(files[0] ?? '', 'utf8');
    // Parsed as a classic script: an `import` or `export` statement would not even parse.
    const imports = importsOf(code, 'script');
    expect(imports.filter((entry) => entry.kind !== 'require')).toEqual([]);
    expect(imports).toEqual([{ kind: 'require', specifier: 'electron' }]);
  });
});
