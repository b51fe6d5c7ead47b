import type { BackupInfo } from '../../../../shared/domain';
import { DataTable } from '../common/DataTable';
import { formatBytes } from '../models/modelFormat';
import { backupReasonLabels, fileCount, formatDateTime } from './backupLabels';

/** The backups, newest first, each with its own Restore button. */
const backupColumns = [
  { label: 'Made' },
  { label: 'Why' },
  { label: 'Files', className: 'numeric' },
  { label: 'Size', className: 'numeric' },
  { label: <span className="trust-hidden-label">Restore</span> },
];

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
    <DataTable
      label="Backups"
      scrollLabel="Backups table"
      className="data-table trust-table"
      columns={backupColumns}
    >
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
    </DataTable>
  );
}
