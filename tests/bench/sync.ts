/**
 * Sync between two computers (two engines on two data folders) through a CouchDB-protocol server
 * on loopback (PouchDB Server's HTTP layer, in memory): how long a turn typed on one takes to
 * appear on the other, the first full sync of a space of 2,000 turns and 100 sources (sent up by
 * the first computer, then taken in by the second when it joins), and how much more memory the
 * engine holds while it syncs.
 */
import { performance } from 'node:perf_hooks';
import { startFakeOllama } from '../fixtures/fakeOllama';
import { startSyncServer } from '../fixtures/syncServer';
import { openEngine, recordEvents, removeDir, tempDataDir, value } from '../helpers/engineHarness';

type Line = (name: string, figure: string, target: string, met: boolean | undefined) => void;

const rounds = Number(process.env.KEEL_BENCH_SYNC_ROUNDS ?? 50);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function benchSync(line: Line): Promise<void> {
  const server = await startSyncServer();
  const fake = await startFakeOllama();
  const folders = [await tempDataDir(), await tempDataDir()];
  const laptop = await openEngine(folders[0]!, fake.url, { sync: { computerName: 'laptop' } });
  const desktop = await openEngine(folders[1]!, fake.url, { sync: { computerName: 'desktop' } });
  try {
    // A space of 20 loops of 100 turns and 100 sources, on the laptop.
    const space = value(await laptop.call('createSpace', { name: 'Bench client', kind: 'client' }));
    const loopIds: string[] = [];
    for (let l = 0; l < 20; l += 1) {
      const loop = value(await laptop.call('createLoop', { spaceId: space.id, title: `Loop ${l}` }));
      loopIds.push(loop.id);
      for (let t = 0; t < 100; t += 1) {
        value(
          await laptop.call('addTurn', {
            loopId: loop.id,
            text: `Loop ${l}, turn ${t}: a thought of moderate length about the client.`,
          }),
        );
      }
    }
    for (let s = 0; s < 100; s += 1) {
      value(
        await laptop.call('addSource', {
          spaceId: space.id,
          fileName: `notes-${s}.md`,
          text: `# Notes ${s}\n\n${'The market grows and prices follow. '.repeat(200)}`,
        }),
      );
    }
    const credentials = { url: server.url, database: 'bench', passphrase: 'bench passphrase words' };

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, 10);

    let started = performance.now();
    value(await laptop.call('setUpSync', { spaceId: space.id, ...credentials }));
    await laptop.dataFolder()!.sync.space(space.id)!.settled();
    const upMs = performance.now() - started;
    started = performance.now();
    value(await desktop.call('joinSync', credentials));
    const joinMs = performance.now() - started;
    clearInterval(sampler);
    const turns = (
      await Promise.all(
        loopIds.map(async (loopId) => value(await desktop.call('getLoop', { loopId })).turns.length),
      )
    ).reduce((a, b) => a + b, 0);
    const sources = value(await desktop.call('listSources', { spaceId: space.id })).length;
    line(
      'sync: first full sync, sent (2,000 turns, 100 sources)',
      `${(upMs / 1000).toFixed(2)} s`,
      '-',
      undefined,
    );
    line(
      'sync: first full sync, joined',
      `${(joinMs / 1000).toFixed(2)} s`,
      `all ${turns}/2000 turns, ${sources}/100 sources`,
      turns === 2000 && sources === 100,
    );
    line(
      'sync: extra engine memory while syncing (heap)',
      `${((heapPeak - heapBefore) / 2 ** 20).toFixed(0)} MB`,
      '- (two engines in one process)',
      undefined,
    );

    // A turn typed on the laptop, until the desktop holds it (its loop file, as a person would see it).
    const loopId = loopIds[0]!;
    const recorder = recordEvents(desktop);
    const latencies: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      const text = `Latency probe ${i}`;
      const sent = performance.now();
      value(await laptop.call('addTurn', { loopId, text }));
      await recorder.next(
        'sync.status',
        (event) =>
          event.loopIds.includes(loopId) && event.status.lastSyncedBy === 'laptop' && latencies.length === i,
        10_000,
      );
      const loop = value(await desktop.call('getLoop', { loopId }));
      if (loop.turns.at(-1)?.text !== text) throw new Error('The turn did not arrive whole.');
      latencies.push(performance.now() - sent);
      recorder.events.length = 0;
    }
    recorder.stop();
    const p95 = percentile(latencies, 95);
    line(
      `sync: turn to the other computer (p95 of ${rounds})`,
      `${p95.toFixed(0)} ms`,
      '< 1000 ms',
      p95 < 1000,
    );
    line('  median', `${percentile(latencies, 50).toFixed(0)} ms`, '-', undefined);
  } finally {
    await laptop.close();
    await desktop.close();
    await server.close();
    await fake.close();
    await Promise.all(folders.map(removeDir));
  }
}
