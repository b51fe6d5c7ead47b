/**
 * Makes a library of realistic size for the bench, straight into a data folder in Keel's own file
 * format (the engine would take minutes to write it turn by turn): spaces, loops with their turns,
 * and memories. Generated each run, never committed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoopSummary, MemoryItem, Space, Turn } from '../../shared/domain';

export interface LibrarySize {
  spaces: number;
  loops: number;
  turnsPerLoop: number;
  memories: number;
}

const common = (
  'pricing market entry board memo risk budget churn growth partner channel margin hiring forecast ' +
  'customer segment renewal discount competitor launch product roadmap timeline owner review outcome ' +
  'assumption evidence option trade-off constraint quarter region team strategy plan decision lesson'
).split(' ');
/** A vocabulary of a realistic size: the common words above and 600 rarer made-up ones. */
const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pa', 'do', 'fe'];
const words = [
  ...common,
  ...Array.from(
    { length: 600 },
    (_, n) =>
      `${syllables[n % 12]}${syllables[Math.floor(n / 12) % 12]}${syllables[Math.floor(n / 144) % 12]}`,
  ),
];

/** Words drawn with a long tail, as in real writing: common words often, rare ones seldom. */
function sentence(seed: number, length: number): string {
  const out: string[] = [];
  let x = seed * 2654435761;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    const u = (x % 10_000) / 10_000;
    out.push(words[Math.floor(u * u * u * words.length)]!);
  }
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const id = (kind: string) => `${kind}-${randomUUID()}`;

export async function makeLibrary(
  dataDir: string,
  size: LibrarySize,
): Promise<{ spaces: Space[]; loops: LoopSummary[] }> {
  await mkdir(join(dataDir, 'loops'), { recursive: true });
  await mkdir(join(dataDir, 'memory'), { recursive: true });
  const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString();
  const spaces: Space[] = Array.from({ length: size.spaces }, (_, n) => ({
    id: id('sp'),
    name: `Client ${n + 1}`,
    kind: n % 5 === 4 ? 'journal' : 'client',
    description: '',
    archived: false,
    createdAt: day(n),
    updatedAt: day(n),
  }));
  const loops: LoopSummary[] = [];
  for (let n = 0; n < size.loops; n += 1) {
    const space = spaces[n % spaces.length]!;
    const loopId = id('lp');
    const turns: Turn[] = Array.from({ length: size.turnsPerLoop }, (_, t) => ({
      id: id('tn'),
      loopId,
      author: t % 2 === 0 ? 'person' : 'ai',
      move: t % 2 === 0 ? 'say' : 'explore',
      text: sentence(n * 1000 + t, t % 2 === 0 ? 25 : 90),
      status: 'complete',
      createdAt: day(n + t),
      updatedAt: day(n + t),
    }));
    const summary: LoopSummary = {
      id: loopId,
      spaceId: space.id,
      title: `Loop ${n + 1}: ${sentence(n, 4).slice(0, -1)}`,
      archived: false,
      stage: 'explore',
      turnCount: turns.length,
      decided: false,
      createdAt: day(n),
      updatedAt: day(n + size.turnsPerLoop),
    };
    loops.push(summary);
    await writeFile(
      join(dataDir, 'loops', `${loopId}.json`),
      JSON.stringify({
        version: 3,
        id: loopId,
        intent: { goal: sentence(n, 12), context: '', constraints: '', goodLooksLike: '' },
        turns,
        draft: sentence(n + 7, 200),
        draftVersions: [],
        pastDecisions: [],
      }),
    );
  }
  await writeFile(join(dataDir, 'catalog.json'), JSON.stringify({ version: 1, spaces, loops }));

  const byShard = new Map<string, MemoryItem[]>();
  for (let n = 0; n < size.memories; n += 1) {
    const space = spaces[n % spaces.length]!;
    const everywhere = n % 20 === 0;
    const item: MemoryItem = {
      id: id('mm'),
      kind: (['preference', 'principle', 'context', 'lesson', 'decision'] as const)[n % 5]!,
      text: `${space.name}: ${sentence(n + 99, 14)}`,
      scope: everywhere ? { type: 'everywhere' } : { type: 'space', spaceId: space.id },
      origin: { type: 'said' },
      createdAt: day(n % 5000),
      revisedAt: day(n % 5000),
      useCount: n % 7,
      pinned: n % 997 === 0,
      history: [],
      notRelevant: [],
      usedIn: [],
    };
    const key = everywhere ? 'everywhere' : `space-${space.id}`;
    const list = byShard.get(key) ?? [];
    list.push(item);
    byShard.set(key, list);
  }
  for (const [key, items] of byShard) {
    await writeFile(join(dataDir, 'memory', `${key}.json`), JSON.stringify({ version: 2, items }));
  }
  return { spaces, loops };
}
