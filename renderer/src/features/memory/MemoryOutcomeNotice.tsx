import type { MemoryOutcome } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';

/** What a capture did, in words: a new memory, merged into one that said the same, or replacing one. */
export function outcomeMessage(outcome: MemoryOutcome): string {
  switch (outcome.action) {
    case 'added':
      return 'Remembered as a new memory.';
    case 'merged':
      return 'Merged into an existing memory.';
    case 'superseded':
      return outcome.previousText
        ? `Replaced what Keel remembered: “${outcome.previousText}”`
        : 'Replaced what Keel remembered.';
  }
}

/**
 * Says what happened to something the person asked Keel to remember. Merges and supersessions are
 * never silent: the person sees them and can open the memory to check (DESIGN.md, "Memory").
 */
export function MemoryOutcomeNotice({
  outcome,
  onDismiss,
}: {
  outcome: MemoryOutcome;
  onDismiss?: () => void;
}) {
  const openMemory = useKeel((state) => state.openMemory);
  const memoryOpen = useKeel((state) => state.memoryOpen);
  const selectMemory = useKeel((state) => state.selectMemory);
  return (
    <div role="status" className={`mem-outcome mem-outcome-${outcome.action}`}>
      <p className="mem-outcome-text">
        {outcomeMessage(outcome)}
        {outcome.action !== 'added' ? (
          <span className="mem-outcome-now"> Now: “{outcome.item.text}”</span>
        ) : null}
      </p>
      <div className="mem-outcome-actions">
        <button
          type="button"
          className="button button-small button-quiet mem-link"
          onClick={() =>
            memoryOpen ? void selectMemory(outcome.item.id) : openMemory({ memoryId: outcome.item.id })
          }
        >
          Open the memory
        </button>
        {onDismiss ? (
          <button type="button" className="button button-small button-quiet" onClick={onDismiss}>
            Dismiss
          </button>
        ) : null}
      </div>
    </div>
  );
}
