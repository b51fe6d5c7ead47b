/**
 * Two engines on two data folders sync one space through a real CouchDB-protocol server (PouchDB
 * Server's HTTP layer, in memory, on loopback): what one writes appears on the other, offline
 * edits on both sides merge on reconnection, a draft edited on both is kept twice, a server cut
 * mid-sync resumes, a wrong passphrase changes nothing, and the server holds no word of it.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InspectableEngine as Engine } from '../createEngine';
import type { SyncStatus } from '../../../shared/domain';
import { startFakeOllama, type FakeOllama } from '../../../tests/fixtures/fakeOllama';
import { startSyncServer, type SyncServer } from '../../../tests/fixtures/syncServer';
import { openEngine, value } from '../../../tests/helpers/engineHarness';
import { removeDir, tempDataDir } from '../../../tests/helpers/tempDir';
import { DocumentAdapter } from '../store/DocumentAdapter';
import { layout } from '../store/layout';
import { deriveSyncKey, openValue, sealValue } from './syncCrypto';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

let server: SyncServer;
let fake: FakeOllama;
let folders: string[];
let engines: Engine[];

async function engineOn(name: string): Promise<Engine> {
  const folder = await tempDataDir();
  folders.push(folder);
  const engine = await openEngine(folder, fake.url, {
    scryptCost: cheap,
    sync: { computerName: name, retryMs: 50 },
  });
  engines.push(engine);
  return engine;
}

beforeEach(async () => {
  server = await startSyncServer();
  fake = await startFakeOllama();
  folders = [];
  engines = [];
});

afterEach(async () => {
  await Promise.all(engines.map((engine) => engine.close()));
  await server.close();
  await fake.close();
  await Promise.all(folders.map(removeDir));
});

/** Waits until `check` passes (sync is live: no fixed sleeps). */
async function eventually(check: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const engineSpace = (engine: Engine, spaceId: string) => engine.dataFolder()!.sync.space(spaceId)!;

async function settled(engine: Engine, spaceId: string): Promise<void> {
  await engineSpace(engine, spaceId).settled();
}

/** One space set up on a laptop and joined from a desktop, with one loop. */
async function twoComputers() {
  const laptop = await engineOn('laptop');
  const desktop = await engineOn('desktop');
  const space = value(await laptop.call('createSpace', { name: 'Acme Corp', kind: 'client' }));
  const loop = value(
    await laptop.call('createLoop', {
      spaceId: space.id,
      title: 'Acme pricing',
      intent: { goal: 'Decide the 2027 price' },
    }),
  );
  const credentials = { url: server.url, database: 'acme', passphrase: 'tall ships at dawn' };
  value(await laptop.call('setUpSync', { spaceId: space.id, ...credentials }));
  await settled(laptop, space.id);
  const joined = value(await desktop.call('joinSync', credentials));
  expect(joined.spaceId).toBe(space.id);
  return { laptop, desktop, space, loop, credentials };
}

const turnTexts = async (engine: Engine, loopId: string) =>
  value(await engine.call('getLoop', { loopId })).turns.map((turn) => turn.text);

describe('sync between two computers', () => {
  it('brings the space, its loop and a new turn to the other computer, and says who synced when', async () => {
    const { laptop, desktop, space, loop } = await twoComputers();
    expect(value(await desktop.call('listSpaces', {})).map((s) => s.name)).toEqual(['Acme Corp']);
    expect(value(await desktop.call('getLoop', { loopId: loop.id })).intent.goal).toBe(
      'Decide the 2027 price',
    );

    value(await laptop.call('addTurn', { loopId: loop.id, text: 'Competitors raised by 6%' }));
    await eventually(async () =>
      expect(await turnTexts(desktop, loop.id)).toEqual(['Competitors raised by 6%']),
    );
    value(await desktop.call('addTurn', { loopId: loop.id, text: 'Our churn is low' }));
    await eventually(async () =>
      expect(await turnTexts(laptop, loop.id)).toEqual(['Competitors raised by 6%', 'Our churn is low']),
    );
    await eventually(async () => {
      const status: SyncStatus = value(await laptop.call('getSyncStatus', { spaceId: space.id }));
      expect(status).toMatchObject({ state: 'up-to-date', pending: 0, lastSyncedBy: 'desktop' });
    });
    expect(value(await laptop.call('listSync', {})).map((s) => s.origin)).toEqual([server.url]);
    // Every request to the server is in the outbound log, with its path and size, never its body.
    const log = value(await laptop.call('getOutboundLog', {}));
    const toServer = log.filter((record) => record.origin === server.url);
    expect(toServer.some((record) => record.method === 'PUT' && record.bytesSent > 0)).toBe(true);
    expect(JSON.stringify(toServer)).not.toContain('Competitors');
  });

  it('merges offline edits made on both computers once they reconnect, and keeps both drafts on a true conflict', async () => {
    const { laptop, desktop, space, loop } = await twoComputers();
    value(await laptop.call('saveDraft', { loopId: loop.id, text: 'Plan\nRaise by 4%\n' }));
    await eventually(async () =>
      expect(value(await desktop.call('getLoop', { loopId: loop.id })).draft).toBe('Plan\nRaise by 4%\n'),
    );
    await settled(desktop, space.id);
    await server.kill();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'From the train' }));
    value(await desktop.call('addTurn', { loopId: loop.id, text: 'From the office' }));
    value(await laptop.call('saveDraft', { loopId: loop.id, text: 'Plan\nRaise by 5%\n' }));
    value(await desktop.call('saveDraft', { loopId: loop.id, text: 'Plan\nRaise by 3%\n' }));
    await eventually(async () =>
      expect(value(await laptop.call('getSyncStatus', { spaceId: space.id })).state).toBe('offline'),
    );
    // Writing never waits for the server.
    expect(await turnTexts(laptop, loop.id)).toEqual(['From the train']);
    await server.restart();
    await eventually(async () => {
      for (const engine of [laptop, desktop]) {
        expect((await turnTexts(engine, loop.id)).sort()).toEqual(['From the office', 'From the train']);
      }
    }, 20_000);
    await eventually(async () => {
      const laptopLoop = value(await laptop.call('getLoop', { loopId: loop.id }));
      const desktopLoop = value(await desktop.call('getLoop', { loopId: loop.id }));
      expect(laptopLoop.draft).toBe(desktopLoop.draft);
      const versions = laptopLoop.draftVersions.map((version) => version.text);
      expect(versions).toEqual(expect.arrayContaining(['Plan\nRaise by 5%\n', 'Plan\nRaise by 3%\n']));
    }, 20_000);
    const statuses = [
      value(await laptop.call('getSyncStatus', { spaceId: space.id })),
      value(await desktop.call('getSyncStatus', { spaceId: space.id })),
    ];
    expect(statuses.flatMap((status) => status.conflicts.map((conflict) => conflict.what))).toContain(
      'draft',
    );
    // The conflict names its loop (the loop shows it) and goes once the person dismisses it.
    const [engine, status] =
      statuses[0]!.conflicts.length > 0 ? [laptop, statuses[0]!] : [desktop, statuses[1]!];
    const conflict = status.conflicts.find((candidate) => candidate.what === 'draft')!;
    expect(conflict.loopId).toBe(loop.id);
    const after = value(
      await engine.call('dismissSyncConflict', { spaceId: space.id, at: conflict.at, what: 'draft' }),
    );
    expect(
      after.conflicts.filter((candidate) => candidate.at === conflict.at && candidate.what === 'draft'),
    ).toEqual([]);
    expect(value(await engine.call('getSyncStatus', { spaceId: space.id })).conflicts).toEqual(
      after.conflicts,
    );
    expect(
      await engine.call('dismissSyncConflict', { spaceId: space.id, at: conflict.at, what: 'draft' }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('refuses a wrong passphrase in words and writes nothing', async () => {
    const { credentials } = await twoComputers();
    const third = await engineOn('third');
    const refused = await third.call('joinSync', { ...credentials, passphrase: 'not it' });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        field: 'passphrase',
        message: expect.stringMatching(/Nothing was changed/),
      },
    });
    expect(value(await third.call('listSpaces', {}))).toEqual([]);
    const dataDir = third.info.dataDir;
    expect(await readdir(join(dataDir, 'sync')).catch(() => [])).toEqual([]);
  });

  it('keeps the server blind: no title, name, text, file name, model name or count of turns in what it stores', async () => {
    const { laptop, desktop, loop, space } = await twoComputers();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'Secret margin is 41 percent' }));
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'remember the CFO is Ingrid Svensson' }));
    value(
      await laptop.call('saveTemplate', {
        loopId: loop.id,
        name: 'Harbour tariff review',
        description: 'Weigh the quay fees each spring',
      }),
    );
    await eventually(async () => expect((await turnTexts(desktop, loop.id)).length).toBe(2));
    await eventually(async () =>
      expect(value(await desktop.call('listTemplates', {})).map((t) => t.name)).toContain(
        'Harbour tariff review',
      ),
    );
    await settled(laptop, space.id);
    const stored = await server.dump();
    // Attachments travel base64-encoded: decode every one, so a plain text hidden in base64 is found too.
    const decoded = [...stored.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)]
      .map((match) => Buffer.from(match[1]!, 'base64').toString('latin1'))
      .join('\n');
    expect(decoded.length).toBeGreaterThan(1000);
    for (const word of [
      'Acme',
      'pricing',
      'Decide the 2027',
      'Secret margin',
      'Ingrid',
      'Harbour tariff',
      'quay fees',
      'laptop',
      'desktop',
      'turnCount',
      'llama',
    ]) {
      expect(stored).not.toContain(word);
      expect(decoded).not.toContain(word);
    }
    expect(stored).not.toContain(space.id);
    expect(stored).not.toContain(loop.id);
    // The local database the replicator works from holds the same ciphertext, and nothing else.
    const localFolder = join(laptop.info.dataDir, 'sync', `${space.id}.pouch`);
    const localFiles = await readdir(localFolder);
    expect(localFiles.length).toBeGreaterThan(0);
    const local = (
      await Promise.all(
        localFiles.map((name) => readFile(join(localFolder, name)).catch(() => Buffer.alloc(0))),
      )
    )
      .map((bytes) => bytes.toString('latin1'))
      .join('\n');
    for (const word of ['Acme', 'pricing', 'Secret margin', 'Ingrid', 'Harbour tariff', 'laptop', loop.id])
      expect(local).not.toContain(word);
  });

  it('carries a space’s own template, offered only in that space, and its deletion; a template for every space stays home', async () => {
    const { laptop, desktop, loop, space } = await twoComputers();
    // The workspace lists templates again when one arrives (a New loop dialog already open shows it).
    const arrivals = (engine: Engine) => {
      const heard: string[] = [];
      engine.onEvent((event) => {
        if (event.type === 'templates.changed') heard.push(event.spaceId);
      });
      return heard;
    };
    const arrivedOnDesktop = arrivals(desktop);
    const arrivedOnLaptop = arrivals(laptop);
    const own = value(
      await laptop.call('saveTemplate', { loopId: loop.id, name: 'Price review', description: 'Yearly' }),
    );
    expect(own.spaceId).toBe(space.id);
    const everywhere = value(
      await laptop.call('saveTemplate', { loopId: loop.id, name: 'Any decision', everySpace: true }),
    );
    expect(everywhere.spaceId).toBeUndefined();
    const saved = (engine: Engine) =>
      engine.call('listTemplates', {}).then((answer) => value(answer).filter((t) => !t.builtIn));
    await eventually(async () =>
      expect((await saved(desktop)).map((t) => [t.name, t.spaceId, t.intent.goal])).toEqual([
        ['Price review', space.id, 'Decide the 2027 price'],
      ]),
    );
    await settled(laptop, space.id);
    await settled(desktop, space.id);
    expect((await saved(desktop)).map((t) => t.name)).toEqual(['Price review']);
    await eventually(async () => expect(arrivedOnDesktop).toContain(space.id));
    expect(arrivedOnLaptop).toEqual([]);
    expect(JSON.parse(await readFile(join(desktop.info.dataDir, 'templates.json'), 'utf8'))).toMatchObject({
      version: 1,
      templates: [{ id: own.id, name: 'Price review', spaceId: space.id }],
    });

    // On the desktop it starts a loop in its space, and no other.
    const started = value(
      await desktop.call('createLoop', { spaceId: space.id, title: 'Price 2028', templateId: own.id }),
    );
    expect(started.intent.goal).toBe('Decide the 2027 price');
    const other = value(await desktop.call('createSpace', { name: 'Home', kind: 'general' }));
    const refused = await desktop.call('createLoop', { spaceId: other.id, title: 'x', templateId: own.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { message: 'That template belongs to another space.' },
    });

    value(await desktop.call('deleteTemplate', { templateId: own.id }));
    await eventually(async () => expect((await saved(laptop)).map((t) => t.name)).toEqual(['Any decision']));
    // Told once the file is written, a moment after the list shows it gone.
    await eventually(async () => expect(arrivedOnLaptop).toEqual([space.id]));
    expect((await saved(desktop)).map((t) => t.name)).toEqual([]);
  });

  it('resumes after the server is killed in the middle of a sync, with nothing lost or damaged', async () => {
    const { laptop, desktop, loop, space } = await twoComputers();
    const texts = Array.from({ length: 40 }, (_, index) => `Note ${index + 1}`);
    for (const [index, text] of texts.entries()) {
      value(await laptop.call('addTurn', { loopId: loop.id, text }));
      if (index === 20) await server.kill();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await server.restart();
    await eventually(async () => expect(await turnTexts(desktop, loop.id)).toEqual(texts), 20_000);
    await settled(desktop, space.id);
    // The loop's file on the desktop reads back whole after a restart of the engine.
    const desktopDir = desktop.info.dataDir;
    await desktop.close();
    engines.splice(engines.indexOf(desktop), 1);
    const again = await openEngine(desktopDir, fake.url, {
      scryptCost: cheap,
      sync: { computerName: 'desktop' },
    });
    engines.push(again);
    expect(await turnTexts(again, loop.id)).toEqual(texts);
    expect(
      JSON.parse(await readFile(join(desktopDir, 'loops', `${loop.id}.json`), 'utf8')).turns,
    ).toHaveLength(40);
  });

  it('carries memories and sources over, and a forgotten memory or removed source is gone everywhere', async () => {
    const { laptop, desktop, loop, space } = await twoComputers();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'remember the board meets in March' }));
    const added = value(
      await laptop.call('addSource', {
        spaceId: space.id,
        fileName: 'market-notes.md',
        text: '# Market\n\nChurn is 3% a year.',
      }),
    );
    await eventually(async () => {
      const memories = value(await desktop.call('listMemories', { spaceId: space.id }));
      expect(memories.map((memory) => memory.text)).toEqual(['The board meets in March']);
      const sources = value(await desktop.call('listSources', { spaceId: space.id }));
      expect(sources.map((source) => source.name)).toEqual(['market-notes.md']);
    });
    const read = value(await desktop.call('readSource', { sourceId: added.source.id }));
    expect(read.passages.map((passage) => passage.text).join(' ')).toContain('Churn is 3% a year.');

    const memoryId = value(await desktop.call('listMemories', { spaceId: space.id }))[0]!.id;
    value(await desktop.call('forgetMemory', { memoryId }));
    value(await desktop.call('removeSource', { sourceId: added.source.id }));
    await eventually(async () => {
      expect(value(await laptop.call('listMemories', { spaceId: space.id }))).toEqual([]);
      expect(value(await laptop.call('listSources', { spaceId: space.id }))).toEqual([]);
    });
    const laptopFiles = await readdir(join(laptop.info.dataDir, 'sources'));
    expect(laptopFiles.filter((name) => name.startsWith(added.source.id))).toEqual([]);
  });

  it('reads the memories an older Keel sends (source) as their origin, and sends its own so an older Keel reads them', async () => {
    const { laptop, desktop, loop, space, credentials } = await twoComputers();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'remember the board meets in March' }));
    await settled(laptop, space.id);
    // What the server holds, opened with the space's key: the item as an older Keel writes it.
    const state = JSON.parse(
      await readFile(join(laptop.info.dataDir, 'sync', `${space.id}.json`), 'utf8'),
    ) as {
      kdf: unknown;
      documents: Record<string, { id: string }>;
    };
    const key = await deriveSyncKey(credentials.passphrase, state.kdf);
    const documentId = state.documents.memory!.id;
    const documentUrl = `${server.url}/${credentials.database}/${documentId}`;
    const stored = (await (
      await fetch(`${documentUrl}?attachments=true`, { headers: { accept: 'application/json' } })
    ).json()) as { _rev: string; _attachments: Record<string, { data: string }> };
    const payload = openValue(key, documentId, Buffer.from(stored._attachments.p0!.data, 'base64')) as {
      key: string;
      value: Record<string, unknown>[];
    };
    expect(payload.key).toBe('memory');
    expect(payload.value).toHaveLength(1);
    expect(payload.value[0]).toMatchObject({ text: 'The board meets in March', source: { type: 'said' } });
    expect(payload.value[0]).not.toHaveProperty('origin');

    // An older Keel on a third computer adds a memory, written and sealed as it writes them.
    const olderItem = {
      ...payload.value[0]!,
      id: 'mm-older-keel-0001',
      text: 'Prefer tables over bullet lists',
      kind: 'preference',
      source: { type: 'steering' },
    };
    const sealed = sealValue(key, documentId, {
      key: 'memory',
      value: [...payload.value, olderItem],
      by: 'older laptop',
      at: new Date().toISOString(),
    });
    const put = await fetch(documentUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        _rev: stored._rev,
        _attachments: { p0: { content_type: 'application/octet-stream', data: sealed.toString('base64') } },
      }),
    });
    expect(put.ok).toBe(true);
    for (const engine of [laptop, desktop]) {
      await eventually(async () => {
        const memories = value(await engine.call('listMemories', { spaceId: space.id }));
        expect(memories.map((memory) => [memory.text, memory.origin.type]).sort()).toEqual([
          ['Prefer tables over bullet lists', 'steering'],
          ['The board meets in March', 'said'],
        ]);
        expect(memories.every((memory) => !('source' in memory))).toBe(true);
      });
    }
  });

  it('no longer stores a removed source’s file on the server once the server is compacted', async () => {
    const { laptop, desktop, space } = await twoComputers();
    const added = value(
      await laptop.call('addSource', {
        spaceId: space.id,
        fileName: 'old-plan.md',
        text: '# Plan\n\nTo forget.',
      }),
    );
    await eventually(async () =>
      expect(value(await desktop.call('listSources', { spaceId: space.id }))).toHaveLength(1),
    );
    value(await laptop.call('removeSource', { sourceId: added.source.id }));
    await settled(laptop, space.id);
    const db = `${server.url}/acme`;
    const json = { headers: { accept: 'application/json' } };
    const feed = (await (await fetch(`${db}/_changes?style=all_docs`, json)).json()) as {
      results: { id: string; deleted?: boolean; changes: { rev: string }[] }[];
    };
    // The revision before each tombstone, read by its number: the removed source's holds its file.
    const earlier = async (id: string, tombstone: string) => {
      const { _revisions } = (await (await fetch(`${db}/${id}?rev=${tombstone}&revs=true`, json)).json()) as {
        _revisions: { start: number; ids: string[] };
      };
      return `${db}/${id}?rev=${_revisions.start - 1}-${_revisions.ids[1]}&attachments=true`;
    };
    const withFile: string[] = [];
    for (const change of feed.results.filter((candidate) => candidate.deleted)) {
      const url = await earlier(change.id, change.changes[0]!.rev);
      const answer = (await (await fetch(url, json)).json()) as { _attachments?: Record<string, unknown> };
      if (answer._attachments && 'f0' in answer._attachments) withFile.push(url);
    }
    expect(withFile).toHaveLength(1);
    const compacted = await fetch(`${db}/_compact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(compacted.status).toBe(202);
    expect((await fetch(withFile[0]!, json)).status).toBe(404);
  });

  it('syncs a space of 2,000 turns and a 20 MB source in seconds', async () => {
    const { laptop, desktop, loop, space } = await twoComputers();
    const workspace = laptop.dataFolder()!;
    // The turns are written straight into the loop's file (as 2,000 sends would leave it), then announced once.
    const started = Date.now();
    await laptop.dataFolder()!.sync.space(space.id)!.settled();
    const { document, summary } = await (
      workspace as unknown as {
        store: {
          openLoop: (id: string, t: string) => Promise<{ data: { turns: unknown[] }; save(): Promise<void> }>;
        };
      }
    ).store
      .openLoop(loop.id, 'Acme pricing')
      .then(async (doc) => ({ document: doc, summary: undefined }));
    void summary;
    for (let index = 0; index < 2000; index += 1) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString();
      document.data.turns.push({
        id: `tn-00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        loopId: loop.id,
        author: 'person',
        move: 'say',
        text: `Turn number ${index} with a few words of thought about pricing and churn.`,
        status: 'complete',
        createdAt: at,
        updatedAt: at,
      });
    }
    await document.save();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'The last one' }));
    // A 20 MB file kept as a source. Reading a file that large takes the reader most of a minute,
    // which is not what this measures: it is written through the source service as an added one is.
    const big = randomBytes(20 * 1024 * 1024);
    await workspace.sources.putSyncedSource(
      space.id,
      {
        record: {
          id: 'sr-00000000-0000-4000-8000-000000000020',
          spaceId: space.id,
          name: 'big.pdf',
          fileName: 'big.pdf',
          format: 'pdf',
          mimeType: 'application/pdf',
          bytes: big.length,
          sha256: 'f'.repeat(64),
          sections: 1,
          passages: 1,
          addedAt: new Date().toISOString(),
          usedInTurns: 0,
          pinnedIn: [],
          leftOutOf: [],
          usedInLoops: [],
        },
        passages: [{ index: 0, text: 'Pricing moves markets.' }],
        file: { fileName: 'big.pdf', mimeType: 'application/pdf', base64: big.toString('base64') },
      },
      (record) => record,
    );
    await eventually(async () => expect((await turnTexts(desktop, loop.id)).length).toBe(2001), 60_000);
    await eventually(async () => {
      expect(value(await desktop.call('listSources', { spaceId: space.id })).map((s) => s.name)).toEqual([
        'big.pdf',
      ]);
    }, 60_000);
    const copy = value(await desktop.call('listSources', { spaceId: space.id }))[0]!;
    expect(copy.bytes).toBe(big.length);
    const file = value(await desktop.call('getSourceFile', { sourceId: copy.id }));
    expect(Buffer.from(file.base64, 'base64').equals(big)).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it('pauses, resumes, and leaves keeping the space here; a database in use or a plain-http server elsewhere is refused', async () => {
    const { laptop, desktop, loop, space, credentials } = await twoComputers();
    value(await desktop.call('pauseSync', { spaceId: space.id, paused: true }));
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'While paused' }));
    await settled(laptop, space.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await turnTexts(desktop, loop.id)).toEqual([]);
    expect(value(await desktop.call('getSyncStatus', { spaceId: space.id })).state).toBe('paused');
    value(await desktop.call('pauseSync', { spaceId: space.id, paused: false }));
    await eventually(async () => expect(await turnTexts(desktop, loop.id)).toEqual(['While paused']));

    const left = value(await desktop.call('leaveSync', { spaceId: space.id }));
    expect(left.state).toBe('off');
    const requestsToServer = async () =>
      value(await desktop.call('getOutboundLog', {})).filter((record) => record.origin === server.url).length;
    const requestsAtLeaving = await requestsToServer();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'After leaving' }));
    await settled(laptop, space.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await turnTexts(desktop, loop.id)).toEqual(['While paused']);
    // The replicator stopped with it: not one request more. The local sealed database is gone too.
    expect(await requestsToServer()).toBe(requestsAtLeaving);
    expect(await readdir(join(desktop.info.dataDir, 'sync'))).toEqual(['secrets.json']);

    const other = value(await laptop.call('createSpace', { name: 'Other client' }));
    expect(await laptop.call('setUpSync', { spaceId: other.id, ...credentials })).toMatchObject({
      ok: false,
      error: { field: 'database', message: expect.stringMatching(/already holds a synced Keel space/) },
    });
    expect(
      await laptop.call('setUpSync', { spaceId: other.id, ...credentials, url: 'http://couch.example.com' }),
    ).toMatchObject({ ok: false, error: { field: 'url', message: expect.stringMatching(/https/) } });
  });

  it('still counts changes sealed while the server was down as waiting after a restart, sends them once it is back, and forgets one the server already has', async () => {
    const { laptop, desktop, space, loop } = await twoComputers();
    await settled(desktop, space.id);
    const laptopDir = laptop.info.dataDir;
    const statePath = join(laptopDir, 'sync', `${space.id}.json`);
    const readState = async () =>
      JSON.parse(await readFile(statePath, 'utf8')) as {
        documents: Record<string, { id: string; rev: string }>;
        unsent?: Record<string, string>;
      };
    const reopenLaptop = async (closing: Engine) => {
      await closing.close();
      engines.splice(engines.indexOf(closing), 1);
      const again = await openEngine(laptopDir, fake.url, {
        scryptCost: cheap,
        sync: { computerName: 'laptop', retryMs: 50 },
      });
      engines.push(again);
      // The space's sync starts once the engine has read its state.
      await eventually(() => expect(again.dataFolder()?.sync.space(space.id)).toBeDefined());
      return again;
    };
    const status = async (engine: Engine) => value(await engine.call('getSyncStatus', { spaceId: space.id }));

    await server.kill();
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'While the server was down' }));
    // Sealed into the local database (and remembered on disk) before Keel closes.
    await eventually(async () =>
      expect(Object.values((await readState()).unsent ?? {})).toContain(`loop:${loop.id}`),
    );
    // A second revision of the same loop: one item waits, and both go up as one.
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'Still down' }));
    await eventually(async () =>
      expect(Object.values((await readState()).unsent ?? {})).toEqual([`loop:${loop.id}`, `loop:${loop.id}`]),
    );
    const again = await reopenLaptop(laptop);
    // Everything of the space has been looked at again: only what was sealed and not sent waits.
    await engineSpace(again, space.id)
      .settled(300)
      .catch(() => undefined);
    await eventually(async () => expect(await status(again)).toMatchObject({ state: 'offline', pending: 1 }));

    await server.restart();
    await eventually(async () =>
      expect(await turnTexts(desktop, loop.id)).toEqual(['While the server was down', 'Still down']),
    );
    await eventually(async () =>
      expect(await status(again)).toMatchObject({ state: 'up-to-date', pending: 0 }),
    );

    // A revision carried just before a crash, whose removal was not saved, is not waiting for good.
    await settled(again, space.id);
    await again.close();
    engines.splice(engines.indexOf(again), 1);
    const state = await readState();
    expect(state.unsent).toEqual({});
    const carried = state.documents[`loop:${loop.id}`]!;
    await writeFile(
      statePath,
      JSON.stringify({ ...state, unsent: { [`${carried.id} ${carried.rev}`]: `loop:${loop.id}` } }),
    );
    const restarted = await openEngine(laptopDir, fake.url, {
      scryptCost: cheap,
      sync: { computerName: 'laptop', retryMs: 50 },
    });
    engines.push(restarted);
    await eventually(async () =>
      expect(await status(restarted)).toMatchObject({ state: 'up-to-date', pending: 0 }),
    );
    await eventually(async () => expect((await readState()).unsent).toEqual({}));
  });

  it('keeps syncing after Keel is encrypted, locked and unlocked, and after a restart', async () => {
    const { laptop, desktop, loop, space } = await twoComputers();
    value(await desktop.call('setPassphrase', { passphrase: 'local vault words' }));
    const secrets = await readFile(join(desktop.info.dataDir, 'sync', 'secrets.json'));
    expect(secrets.toString('latin1')).not.toContain('"key"');
    value(await desktop.call('lock', {}));
    value(await desktop.call('unlock', { passphrase: 'local vault words' }));
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'After the lock' }));
    await eventually(async () => expect(await turnTexts(desktop, loop.id)).toEqual(['After the lock']));

    const desktopDir = desktop.info.dataDir;
    await desktop.close();
    engines.splice(engines.indexOf(desktop), 1);
    value(await laptop.call('addTurn', { loopId: loop.id, text: 'While the desktop was off' }));
    await settled(laptop, space.id);
    const again = await openEngine(desktopDir, fake.url, {
      scryptCost: cheap,
      sync: { computerName: 'desktop', retryMs: 50 },
    });
    engines.push(again);
    value(await again.call('unlock', { passphrase: 'local vault words' }));
    await eventually(async () =>
      expect(await turnTexts(again, loop.id)).toEqual(['After the lock', 'While the desktop was off']),
    );
  });
});

describe('the sync state of a space synced before the local sealed database', () => {
  it('1 → 2: keeps the server, documents and conflicts, and reads the new local feed from its start', async () => {
    const folder = await tempDataDir();
    try {
      const path = join(folder, 'state.json');
      await writeFile(
        path,
        await readFile(
          join(import.meta.dirname, '../../../tests/fixtures/migrations/syncStateVersion1.json'),
        ),
      );
      const state = await new DocumentAdapter(path, layout.syncState.spec('sp-3f1c2a4e')).read();
      expect(state).toMatchObject({
        version: 2,
        since: 0,
        origin: 'https://couch.example.com',
        lastSyncedBy: 'office-desktop',
        documents: { space: { id: 'd7c1e9a0b2f34c5d8e6f7a8b9c0d1e2f' } },
      });
      expect(state!.conflicts).toHaveLength(1);
    } finally {
      await removeDir(folder);
    }
  });
});
