/**
 * The README commands that no spec can run from inside `npm test` are run by CI itself: this checks
 * that `.ci/run` runs them exactly as the README writes them, under the Node the README states.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFile(resolve(path), 'utf8');

/** The commands `.ci/run` executes, one per line, without comments or shell plumbing. */
async function ciCommands(): Promise<string[]> {
  return (await read('.ci/run'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('the README as CI runs it', () => {
  it('runs npm ci, the bench and the test command exactly as the README gives them, the tests last', async () => {
    const commands = await ciCommands();
    const readme = await read('README.md');
    expect(readme).toContain('npm test ');
    expect(readme).toContain('npm run bench ');
    expect(commands).toContain('npm ci');
    expect(commands).toContain('npm run bench');
    // The test runner's closing line is the last thing CI prints.
    expect(commands.at(-1)).toBe('npm test');
  });

  it('states one Node version, the one .nvmrc, engines and CI use', async () => {
    const nvmrc = (await read('.nvmrc')).trim();
    const major = nvmrc.split('.')[0]!;
    const pkg = JSON.parse(await read('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toContain(`<${Number(major) + 1}`);
    expect(await read('README.md')).toContain(`Node.js ${major}`);
    expect(await read('.ci/run')).toContain('.nvmrc');
    expect(process.versions.node.split('.')[0]).toBe(major);
  });
});
