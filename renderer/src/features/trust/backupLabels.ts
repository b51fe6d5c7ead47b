import type { BackupInfo } from '../../../../shared/domain';

const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A backup's (or a request's) moment with its full date: "3 May 2025, 10:04". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateAndTime.format(date);
}

/** Why a backup was made, in words. */
export const backupReasonLabels: Record<BackupInfo['reason'], string> = {
  daily: 'Daily backup',
  manual: 'Made by you',
  'before-restore': 'Before a restore',
  'before-import': 'Before an import',
};

/** "1 file", "12 files". */
export function fileCount(files: number): string {
  return files === 1 ? '1 file' : `${files} files`;
}

/** A request's moment to the second (they come close together): "10:04:31". */
export function formatRequestTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeWithSeconds.format(date);
}
