/** The vault, backups and the archive: calls that work while the data is locked or damaged too. */
import type { trustCalls } from '../../../shared/contract/trust';
import type { HandlersFor } from './services';
import type { Backups } from '../store/Backups';
import type { Trust } from '../trust/TrustService';

export const trustHandlers = (
  trust: Trust,
  backups: Pick<Backups, 'list'>,
): HandlersFor<typeof trustCalls> => ({
  getEngineState: () => trust.state(),
  unlock: ({ passphrase }) => trust.unlock(passphrase),
  lock: () => trust.lock(),
  setPassphrase: ({ passphrase, currentPassphrase }) => trust.setPassphrase(passphrase, currentPassphrase),
  removePassphrase: ({ currentPassphrase }) => trust.removePassphrase(currentPassphrase),
  listBackups: () => backups.list(),
  backupNow: () => trust.backupNow(),
  restoreBackup: ({ backupId, loopId }) => trust.restoreBackup(backupId, loopId),
  exportArchive: () => trust.exportArchive(),
  importArchive: ({ file, currentPassphrase }) => trust.importArchive(file, currentPassphrase),
  settleImportedSettings: ({ adopt }) => trust.settleImportedSettings(adopt),
});
