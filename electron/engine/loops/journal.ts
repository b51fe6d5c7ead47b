/** The journal entries the patterns move looks across: the person's own turns in a space's loops. */
import type { LoopService } from './LoopService';

export interface JournalEntry {
  date: string;
  title: string;
  text: string;
}

/** The person's journal entries (their own turns) in a space's loops during a period, oldest first. */
export async function journalEntries(
  loops: LoopService,
  spaceId: string,
  period: { from: string; to: string },
): Promise<JournalEntry[]> {
  const entries: (JournalEntry & { at: string })[] = [];
  for (const summary of loops.listLoops({ spaceId, includeArchived: true })) {
    if (summary.updatedAt.slice(0, 10) < period.from || summary.createdAt.slice(0, 10) > period.to) continue;
    const { document } = await loops.open(summary.id);
    for (const turn of document.data.turns) {
      const day = turn.createdAt.slice(0, 10);
      if (turn.author !== 'person' || day < period.from || day > period.to || turn.text.trim() === '')
        continue;
      entries.push({ date: day, title: summary.title, text: turn.text.slice(0, 3000), at: turn.createdAt });
    }
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at)).map(({ at: _at, ...entry }) => entry);
}
