/** What the palette needs to list and filter a command. */
export interface PaletteEntry {
  id: string;
  label: string;
  /** Words that also find it (a space's name for its loops, what a move does). */
  keywords?: string;
}

/**
 * The entries whose label or keywords contain every word typed, in any order and case; those whose
 * label starts with what was typed come first.
 */
export function filterCommands<T extends PaletteEntry>(entries: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  const typed = query.trim().toLowerCase();
  const matches = entries.filter((entry) => {
    const haystack = `${entry.label} ${entry.keywords ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  const startsWith = (entry: T) => (entry.label.toLowerCase().startsWith(typed) ? 0 : 1);
  return matches
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => startsWith(a.entry) - startsWith(b.entry) || a.index - b.index)
    .map(({ entry }) => entry);
}
