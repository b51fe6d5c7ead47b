import type { BackupInfo } from '../../../../shared/domain';
import { TableScroll } from '../common/TableScroll';
import { formatBytes } from '../models/modelFormat';
import { backupReasonLabels, fileCount, formatDateTime } from './backupLabels';

/** The backups, newest first, each with its own Restore button. */
export function BackupList({
  backups,
  busyId,
  onRestore,
}: {
  backups: BackupInfo[];
  /** The backup being restored now; every Restore button waits meanwhile. */
  busyId: string | null;
  onRestore: (backup: BackupInfo) => void;
}) {
  return (
    <TableScroll label="Backups table">
      <table className="data-table trust-table" aria-label="Backups">
        <thead>
          <tr>
            <th scope="col">Made</th>
            <th scope="col">Why</th>
            <th scope="col" className="numeric">
              Files
            </th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">
              <span className="trust-hidden-label">Restore</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {backups.map((backup) => (
            <tr key={backup.id}>
              <th scope="row" className="backup-made">
                {formatDateTime(backup.createdAt)}
              </th>
              <td>{backupReasonLabels[backup.reason]}</td>
              <td className="numeric">{fileCount(backup.files)}</td>
              <td className="numeric">{formatBytes(backup.bytes)}</td>
              <td className="backup-action">
                <button
                  type="button"
                  className="button button-small"
                  aria-disabled={busyId !== null}
                  onClick={() => {
                    if (busyId === null) onRestore(backup);
                  }}
                >
                  {busyId === backup.id ? 'Restoring…' : 'Restore'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
