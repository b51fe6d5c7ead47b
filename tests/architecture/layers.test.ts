/**
 * The layers of ARCHITECTURE.md are enforced by lint rules (eslint.config.js); each is proved here
 * to bite: a file in the zone that breaks it is refused, and the same file keeping to it passes.
 */
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The import-rule messages ESLint gives for `code` placed at `filePath`. */
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the layers', () => {
  it('keep the engine from the Electron main process, the preload, the web host and the workspace', async () => {
    const at = 'electron/engine/loops/zoneProbe.ts';
    for (const target of [
      '../../main/index',
      '../../preload/index',
      '../../web/webHost',
      '../../../renderer/src/App',
    ])
      expect(
        await refusals(at, `import { x } from '${target}';\nexport const y = x;\n`),
        target,
      ).toHaveLength(1);
    expect(await refusals(at, "import { x } from '../../../shared/errors';\nexport const y = x;\n")).toEqual(
      [],
    );
    expect(await refusals(at, "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
  });

  it('keep full-text indexes in electron/engine/retrieval/', async () => {
    const code =
      "import MiniSearch from 'minisearch';\nexport const index = new MiniSearch({ fields: [] });\n";
    expect(await refusals('electron/engine/memory/zoneProbe.ts', code)).toHaveLength(1);
    expect(await refusals('electron/engine/retrieval/zoneProbe.ts', code)).toEqual([]);
  });

  it('keep the workspace from electron/', async () => {
    const at = 'renderer/src/features/zoneProbe.ts';
    const code = "import { x } from '../../../electron/engine/ids';\nexport const y = x;\n";
    expect(await refusals(at, code)).toHaveLength(1);
    expect(await refusals(at, "import { x } from '../../../shared/errors';\nexport const y = x;\n")).toEqual(
      [],
    );
  });

  it('keep shared/ to itself', async () => {
    const at = 'shared/zoneProbe.ts';
    for (const target of ['../electron/engine/ids', '../renderer/src/App'])
      expect(
        await refusals(at, `import { x } from '${target}';\nexport const y = x;\n`),
        target,
      ).toHaveLength(1);
    expect(await refusals(at, "import { x } from './errors';\nexport const y = x;\n")).toEqual([]);
  });

  it('let only the decision service name the writable loop document', async () => {
    const code =
      "import type { WritableLoopDocument } from '../store/documents';\nexport type D = WritableLoopDocument;\n";
    expect(await refusals('electron/engine/loops/LoopService.ts', code)).toHaveLength(1);
    expect(await refusals('electron/engine/loops/DecisionService.ts', code)).toEqual([]);
  });

  it('keep the wire’s call types at the engine’s edge (services take the product’s types)', async () => {
    const code =
      "import type { CallArgs } from '../../../shared/contract';\nexport type A = CallArgs<'getLoop'>;\n";
    expect(await refusals('electron/engine/loops/zoneProbe.ts', code)).toHaveLength(1);
    expect(await refusals('electron/engine/handlers/zoneProbe.ts', code)).toEqual([]);
    const domain = "import type { Loop } from '../../../shared/domain';\nexport type L = Loop;\n";
    expect(await refusals('electron/engine/loops/zoneProbe.ts', domain)).toEqual([]);
  });
});
