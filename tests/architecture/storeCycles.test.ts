/**
 * The workspace store's files import one another without a cycle: every slice reaches the others
 * only through the store at run time (`get()`), and `keelState.ts` imports no slice (each slice adds
 * itself to `KeelSlices`). Type-only imports count too: a cycle of types is how the tangle starts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const storeDir = join(root, 'renderer/src/store');

/** The store's source files (tests left out: they import the store, the store never imports them). */
function storeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return storeFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Each file's imports of other files in `files` (relative specifiers resolved as the bundler does). */
function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => {
        const base = resolve(dirname(file), specifier);
        return [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) =>
          files.has(candidate),
        );
      })
      .filter((target): target is string => target !== undefined && target !== file);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle in the graph, each as the files along it (the first file again at the end). */
function findCycles(graph: ReadonlyMap<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (file: string) => {
    if (onPath.has(file)) {
      cycles.push([...path.slice(path.indexOf(file)), file]);
      return;
    }
    if (done.has(file)) return;
    onPath.add(file);
    path.push(file);
    for (const target of graph.get(file) ?? []) visit(target);
    path.pop();
    onPath.delete(file);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return cycles;
}

describe('the workspace store', () => {
  it('has no import cycle between its files', () => {
    const files = new Map(storeFiles(storeDir).map((file) => [file, readFileSync(file, 'utf8')]));
    expect(files.size).toBeGreaterThan(10);
    const cycles = findCycles(importGraph(files)).map((cycle) =>
      cycle.map((file) => relative(storeDir, file)).join(' → '),
    );
    expect(cycles).toEqual([]);
  });

  it('the check finds a cycle, through type-only imports and a third file too', () => {
    const at = (name: string) => join(storeDir, 'slices', name);
    const files = new Map([
      [at('aSlice.ts'), "import type { BSlice } from './bSlice';\nexport interface ASlice { b: BSlice }\n"],
      [at('bSlice.ts'), "import { c } from '../c';\nexport interface BSlice { c: typeof c }\n"],
      [join(storeDir, 'c.ts'), "export const c = 1;\ntype A = import('./slices/aSlice').ASlice;\n"],
      [at('dSlice.ts'), "import type { ASlice } from './aSlice';\nexport type D = ASlice;\n"],
    ]);
    const cycles = findCycles(importGraph(files)).map((cycle) =>
      cycle.map((file) => relative(storeDir, file)).join(' → '),
    );
    expect(cycles).toEqual(['slices/aSlice.ts → slices/bSlice.ts → c.ts → slices/aSlice.ts']);
  });
});
