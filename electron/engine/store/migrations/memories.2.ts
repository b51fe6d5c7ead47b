import type { Migration } from '../DocumentAdapter';

/**
 * Memories 1 → 2: where a memory came from was called `source`, the word Keel keeps for a
 * document; it is now `origin`. Each item keeps everything else as it was.
 */
export const toVersion2: Migration = (document) => ({
  ...document,
  items: Array.isArray(document.items) ? document.items.map(memoryItemWithOrigin) : document.items,
});

/**
 * One memory item as Keel wrote it before version 2 (`source`), or as it writes it now (`origin`),
 * in today's shape: `source` becomes `origin` unless the item already has one. Also reads the
 * memories another computer's Keel sends through sync, which may be an older Keel.
 */
export function memoryItemWithOrigin(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const { source, ...rest } = item as Record<string, unknown>;
  if ('origin' in rest || source === undefined) return rest;
  return { ...rest, origin: source };
}
