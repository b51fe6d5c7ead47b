import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SyncConflictNote } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { formatTime } from '../common/formatTime';

const headings: Record<SyncConflictNote['what'], string> = {
  draft: 'Both computers changed the draft',
  intent: 'Both computers changed the intent',
  decision: 'A decision was made on both computers',
};

/**
 * The conflicts sync could not merge in this loop, shown where they happened (Settings → Sync lists
 * every space's too). Each opens to say what was kept, and stays until the person dismisses it.
 */
export function SyncConflictNotices({ loopId, spaceId }: { loopId: string; spaceId: string }) {
  const conflicts = useKeel(
    useShallow((state) =>
      (state.syncStatuses[spaceId]?.conflicts ?? []).filter((conflict) => conflict.loopId === loopId),
    ),
  );
  const loadSyncStatus = useKeel((state) => state.loadSyncStatus);
  const dismiss = useKeel((state) => state.dismissSyncConflict);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  useEffect(() => {
    void loadSyncStatus(spaceId);
  }, [loadSyncStatus, spaceId]);
  if (conflicts.length === 0) return null;
  return (
    <section className="sync-conflict-notices" aria-label="Sync conflicts in this loop">
      {conflicts.map((conflict) => (
        <div key={`${conflict.at}-${conflict.what}`} className="sync-conflict-notice">
          <details>
            <summary>
              {headings[conflict.what]} <span className="muted">({formatTime(conflict.at)})</span>
            </summary>
            <p>{conflict.message}</p>
          </details>
          <button
            type="button"
            className="button button-small"
            aria-label={`Dismiss: ${headings[conflict.what]}`}
            onClick={() =>
              void dismiss({ spaceId, at: conflict.at, what: conflict.what }).then((result) =>
                setError(result.ok ? null : result.error),
              )
            }
          >
            Dismiss
          </button>
        </div>
      ))}
      <FormError error={error} />
    </section>
  );
}
