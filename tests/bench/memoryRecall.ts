/**
 * Recall quality on the built-in evaluation set, through the engine's own calls: every memory is
 * captured (with consolidation), then each query is asked as a person would, in a fresh loop of its
 * space, and the memories the AI turn was given are read from the turn. Reported: recall@5, stale
 * facts returned after an update, and leaks across scope. Whether embeddings take part depends on
 * the model host: the fake's vectors mean nothing, so the bench runs this without an embedding
 * model, and with one against a real Ollama when `KEEL_BENCH_OLLAMA` names it.
 */
import type { Engine } from '../../electron/engine/Engine';
import { recordEvents, value } from '../helpers/engineHarness';
import { buildEvalSet } from './memoryEvalSet';

export interface RecallFigures {
  memories: number;
  queries: number;
  recallAt5: number;
  byType: Record<string, { hits: number; total: number }>;
  staleReturned: number;
  scopeLeaks: number;
  mergesOrSupersessions: number;
}

/** The memories (best first, pinned ones marked) an AI move in a fresh loop of the space was given for `query`. */
async function recalledFor(
  engine: Engine,
  spaceId: string,
  query: string,
): Promise<{ id: string; pinned: boolean }[]> {
  const loop = value(await engine.call('createLoop', { spaceId, title: 'Question' }));
  value(await engine.call('addTurn', { loopId: loop.id, text: query }));
  const recorder = recordEvents(engine);
  const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'ask' }));
  const finished = await recorder.next('turn.finished', (event) => event.turn.id === turn.id, 60_000);
  recorder.stop();
  return finished.turn.memoriesUsed ?? [];
}

export async function measureRecall(engine: Engine): Promise<RecallFigures> {
  const { memories, queries } = buildEvalSet();
  const spaces = new Map<string, { spaceId: string }>();
  for (const name of new Set([...memories.map((m) => m.space), ...queries.map((q) => q.space)])) {
    if (name === 'everywhere') continue;
    const space = value(
      await engine.call('createSpace', { name, kind: name === 'Journal' ? 'journal' : 'client' }),
    );
    spaces.set(name, { spaceId: space.id });
  }

  const idOf = new Map<string, string>();
  const staleIds = new Set<string>();
  const staleHome = new Map<string, string>();
  let consolidated = 0;
  for (const memory of memories) {
    const scope =
      memory.space === 'everywhere'
        ? ({ type: 'everywhere' } as const)
        : ({ type: 'space', spaceId: spaces.get(memory.space)!.spaceId } as const);
    const outcome = value(await engine.call('remember', { text: memory.text, scope }));
    if (outcome.action !== 'added') consolidated += 1;
    idOf.set(memory.key, outcome.item.id);
  }
  for (const memory of memories.filter((m) => m.update)) {
    const scope = { type: 'space', spaceId: spaces.get(memory.space)!.spaceId } as const;
    const outcome = value(await engine.call('remember', { text: memory.update!, scope }));
    if (outcome.action !== 'added') consolidated += 1;
    // Not superseded means the old fact is still a memory of its own: recalling it is stale.
    else {
      staleIds.add(idOf.get(memory.key)!);
      staleHome.set(idOf.get(memory.key)!, memory.space);
    }
    idOf.set(memory.key, outcome.item.id);
  }
  const spaceOfId = new Map<string, string>();
  for (const memory of memories) spaceOfId.set(idOf.get(memory.key)!, memory.space);
  for (const [id, home] of staleHome) spaceOfId.set(id, home);

  const byType: RecallFigures['byType'] = {};
  let hits = 0;
  let scored = 0;
  let stale = 0;
  let leaks = 0;
  for (const query of queries) {
    const { spaceId } = spaces.get(query.space)!;
    const recalled = (await recalledFor(engine, spaceId, query.text))
      .filter((entry) => !entry.pinned)
      .slice(0, 5);
    for (const entry of recalled) {
      const home = spaceOfId.get(entry.id);
      if (home !== undefined && home !== 'everywhere' && home !== query.space) leaks += 1;
      if (query.type === 'updated' && staleIds.has(entry.id)) stale += 1;
    }
    const bucket = (byType[query.type] ??= { hits: 0, total: 0 });
    if (query.expect === undefined) continue;
    const hit = recalled.some((entry) => entry.id === idOf.get(query.expect!));
    bucket.total += 1;
    scored += 1;
    if (hit) {
      bucket.hits += 1;
      hits += 1;
    }
  }
  return {
    memories: memories.length + memories.filter((m) => m.update).length,
    queries: queries.length,
    recallAt5: hits / scored,
    byType,
    staleReturned: stale,
    scopeLeaks: leaks,
    mergesOrSupersessions: consolidated,
  };
}
