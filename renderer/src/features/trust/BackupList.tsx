import type { ReactNode } from 'react';
import type { BackupInfo } from '../../../../shared/domain';
import { DataTable } from '../common/DataTable';
import { formatBytes } from '../models/modelFormat';
import { backupReasonLabels, fileCount, formatDateTime } from './backupLabels';

/**
 * A backup's Restore button: while any restore runs every one waits (marked, not disabled, so focus
 * stays), and the one running says so.
 */
export function RestoreButton({
  backup,
  busyId,
  onRestore,
  className,
  children,
}: {
  backup: BackupInfo;
  /** The backup being restored now, if any. */
  busyId: string | null;
  onRestore: (backup: BackupInfo) => void;
  className: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={className}
      aria-disabled={busyId !== null}
      onClick={() => {
        if (busyId === null) onRestore(backup);
      }}
    >
      {busyId === backup.id ? 'Restoring…' : children}
    </button>
  );
}

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
            <RestoreButton
              backup={backup}
              busyId={busyId}
              onRestore={onRestore}
              className="button button-small"
            >
              Restore
            </RestoreButton>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
