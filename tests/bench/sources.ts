/**
 * Sources at a realistic size: how long a 200-page PDF takes to read, index and keep, how long the
 * engine's event loop is held up meanwhile (other calls wait that long at most), and what passage
 * retrieval adds to preparing a move when the space holds 100 sources. No targets are set for
 * these in the issues; they are printed so a change that makes them worse is seen.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startFakeOllama } from '../fixtures/fakeOllama';
import { pdfFile } from '../fixtures/sourceFiles';
import { openEngine, removeDir, tempDataDir, value } from '../helpers/engineHarness';

type Line = (name: string, figure: string, target: string, met: boolean | undefined) => void;

const words =
  'revenue churn pricing Rotterdam depot robots restaurants loyalty scheme margin quarter board pilot Lyon staff contract supplier forecast risk market share customer growth cost'.split(
    ' ',
  );

/** A page of plausible text: sentences of words from a small vocabulary, numbered by page. */
function pageText(page: number): string {
  const lines: string[] = [];
  let seed = page * 7919;
  for (let line = 0; line < 40; line += 1) {
    const sentence: string[] = [];
    for (let word = 0; word < 12; word += 1) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      sentence.push(words[seed % words.length]!);
    }
    lines.push(`${sentence.join(' ')} ${page}.${line}.`);
  }
  return lines.join('\n');
}

export async function benchSources(line: Line): Promise<void> {
  // No embedding model: the figures are the engine's own work, not the fake's vectors.
  const fake = await startFakeOllama({ models: [{ name: 'llama3.2:latest' }] });
  const dataDir = await tempDataDir();
  const engine = await openEngine(dataDir, fake.url);
  try {
    const space = value(await engine.call('createSpace', { name: 'Sources bench' }));
    const loop = value(await engine.call('createLoop', { spaceId: space.id, title: 'Churn in Rotterdam' }));
    value(
      await engine.call('addTurn', { loopId: loop.id, text: 'What drives churn at the Rotterdam depot?' }),
    );

    const big = await pdfFile(Array.from({ length: 200 }, (_, page) => pageText(page + 1)));
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const added = value(
      await engine.call('addSource', {
        spaceId: space.id,
        fileName: 'annual-report.pdf',
        file: value(await engine.upload('source', [big])).file,
      }),
    ).source;
    const elapsed = performance.now() - started;
    delay.disable();
    line(
      `adding a 200-page PDF (${(big.length / 2 ** 20).toFixed(1)} MB, ${added.passages} passages)`,
      `${(elapsed / 1000).toFixed(2)} s`,
      '-',
      undefined,
    );
    line('  longest wait for other calls meanwhile', `${(delay.max / 1e6).toFixed(0)} ms`, '-', undefined);

    const usage = async () => {
      const samples: number[] = [];
      for (let round = 0; round < 30; round += 1) {
        const at = performance.now();
        value(await engine.call('getContextUsage', { loopId: loop.id }));
        samples.push(performance.now() - at);
      }
      return samples.sort((a, b) => a - b)[15]!;
    };
    const withOne = await usage();
    for (let n = 0; n < 99; n += 1) {
      const text = Array.from({ length: 40 }, (_, page) => pageText(n * 40 + page)).join('\n\n');
      value(await engine.call('addSource', { spaceId: space.id, fileName: `notes-${n}.txt`, text }));
    }
    const withHundred = await usage();
    line('preparing a move, 1 source in the space (median)', `${withOne.toFixed(1)} ms`, '-', undefined);
    line(
      'preparing a move, 100 sources in the space (median)',
      `${withHundred.toFixed(1)} ms`,
      '-',
      undefined,
    );
  } finally {
    await engine.close();
    await fake.close();
    await removeDir(dataDir);
  }
}
