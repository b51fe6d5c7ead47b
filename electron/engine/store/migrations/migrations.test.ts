/**
 * Every numbered migration, upgrading a real file of the version before it: read as Keel reads it
 * (through the document adapter, migrated, then checked by the schema), and, for the search index,
 * through the engine on a data folder of that version.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { value } from '../../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../../tests/helpers/engineSession';
import { tempDataDir, removeDir } from '../../../../tests/helpers/tempDir';
import { DocumentAdapter, type DocumentSpec } from '../DocumentAdapter';
import { layout } from '../layout';

const fixtures = join(import.meta.dirname, '../../../../tests/fixtures');

/** Reads a fixture as Keel reads a document of this kind. */
async function readAs<T extends { version: number }>(fixture: string, spec: DocumentSpec<T>): Promise<T> {
  const folder = await tempDataDir();
  try {
    const path = join(folder, 'document.json');
    await writeFile(path, await readFile(join(fixtures, fixture)));
    const read = await new DocumentAdapter(path, spec).read();
    if (!read) throw new Error('nothing read');
    return read;
  } finally {
    await removeDir(folder);
  }
}

describe('loop migrations', () => {
  it('1 → 2: a version-1 loop gets no draft versions and no past decisions, and keeps its turns', async () => {
    const loop = await readAs('migrations/loopVersion1.json', layout.loop.spec('Acme pricing'));
    expect(loop.version).toBe(3);
    expect(loop.draftVersions).toEqual([]);
    expect(loop.pastDecisions).toEqual([]);
    expect(loop.decision).toBeUndefined();
    expect(loop.turns.map((turn) => turn.text)).toEqual(['Churn worries me more than price.']);
    expect(loop.draft).toBe('Raise by 6%.');
  });

  it('2 → 3: a decision’s prediction at its confidence becomes its one forecast', async () => {
    const loop = await readAs('loopVersion2.json', layout.loop.spec('Acme pricing'));
    expect(loop.version).toBe(3);
    expect(loop.decision!.forecasts).toMatchObject([
      { statement: 'Churn stays under 3%', probability: 70, resolveBy: '2027-03-31', updates: [] },
    ]);
  });
});

describe('settings migrations', () => {
  it('1 → 2: the defaults version 1 wrote in become "not chosen"; the rest is kept', async () => {
    const settings = await readAs('migrations/settingsVersion1.json', layout.settings.spec());
    expect(settings).toMatchObject({ chatModel: '', embeddingModel: '', theme: 'dark', backupKeep: 7 });
  });

  it('2 → 3: a file from before the runtime was a choice starts on automatic, keeping every choice', async () => {
    const settings = await readAs('migrations/settingsVersion2.json', layout.settings.spec());
    expect(settings).toMatchObject({
      version: 3,
      runtime: 'automatic',
      modelFiles: [],
      chatModel: 'qwen3:8b',
      theme: 'light',
      lockAfterMinutes: 15,
    });
  });
});

describe('search index migrations', () => {
  const t = engineForEachTest();

  it('1 → 2: a version-1 index is used as it is, with no sources indexed yet, and saved as version 2', async () => {
    await t.engine.close();
    await cp(join(fixtures, 'migrations/searchIndexVersion1'), t.dataDir, { recursive: true });
    t.engine = await t.open();

    const hits = value(await t.engine.call('search', { query: 'zebra' }));
    expect(hits.map((hit) => hit.kind).sort()).toEqual(['loop', 'turn']);
    // The file is written again once something changes: then as version 2.
    const loopId = hits[0]!.loopId!;
    value(await t.engine.call('addTurn', { loopId, text: 'Zebra stripes on the box too.' }));
    expect(value(await t.engine.call('search', { query: 'stripes' }))).toHaveLength(1);
    await t.engine.close();
    const saved = JSON.parse(await readFile(join(t.dataDir, 'search/index.json'), 'utf8')) as {
      version: number;
      sources: unknown;
      memories: unknown;
    };
    expect(saved).toMatchObject({ version: 2, sources: {}, memories: {} });
    t.engine = await t.open();
  });

  it('1 → 2: a version-1 file that already listed indexed sources keeps the list', async () => {
    const upgraded = await readAs(
      'migrations/searchIndexVersion1/search/index.json',
      layout.searchIndex.spec(),
    );
    expect(upgraded.sources).toEqual({});
    const withSources = layout.searchIndex.spec().migrations[1]!({ version: 1, sources: { 'sr-1': ['a'] } });
    expect(withSources.sources).toEqual({ 'sr-1': ['a'] });
  });
});
