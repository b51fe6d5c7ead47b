/**
 * A space's memories as sync carries them between computers. The other computer may run an older
 * Keel, whose memory items name where a memory came from `source` and which cannot read an item
 * without it: so memories still travel with `source` (the sync format is unchanged), and each
 * computer reads them into today's items (`origin`) with the memory files' own migration, which
 * also takes an item that already says `origin`. Nothing is lost either way, and an older Keel
 * reads what a newer one sends exactly as before.
 */
import { memoryItemSchema, type MemoryItem } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { memoryItemWithOrigin } from '../store/migrations/memories.2';

/** This computer's memories as they travel (and as the last shared copy keeps them). */
export function memoriesForSync(items: readonly MemoryItem[]): unknown[] {
  return items.map(({ origin, ...rest }) => ({ ...rest, source: origin }));
}

/**
 * Memories as another computer sent them (or as the last shared copy kept them), as today's
 * items. One this Keel cannot read (from a newer Keel, say) stops the merge with words, before
 * anything is written: a file it could not open again would be worse.
 */
export function memoriesFromSync(value: unknown): MemoryItem[] {
  if (!Array.isArray(value)) throw unreadable();
  return value.map((item) => {
    const parsed = memoryItemSchema.safeParse(memoryItemWithOrigin(item));
    if (!parsed.success) throw unreadable();
    return parsed.data;
  });
}

/**
 * The copy both computers last shared, as today's items. One that cannot be read counts as none:
 * the merge then keeps both sides' items, so nothing is dropped.
 */
export function sharedMemories(base: unknown): MemoryItem[] | undefined {
  if (base === undefined) return undefined;
  try {
    return memoriesFromSync(base);
  } catch {
    return undefined;
  }
}

const unreadable = () =>
  new KeelError(
    'sync-failed',
    'The other computer sent memories this version of Keel cannot read. Update Keel on this computer; nothing was changed here.',
  );
