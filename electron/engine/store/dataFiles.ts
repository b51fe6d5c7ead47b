/**
 * The names in the data folder that are not documents of the store (part of `layout.ts`, kept
 * apart because the vault needs them and the layout's document specs need the vault).
 */
/** Files of the data folder that are not documents of the store. */
export const files = {
  /** The wrapped keys of encryption (the vault writes it; backups carry it). */
  encryptionKey: 'keel-encryption.json',
  /** Left by an import until the person has looked at what came in. */
  importReview: 'import-review.json',
  /** Who holds the data folder (beside the lock itself, `.keel.lock`). */
  lock: '.keel.lock',
  lockHolder: '.keel.lock-holder.json',
  /** The folder of backups. */
  backups: 'backups',
  /** The built-in runtime's model files (large: backups leave them out). */
  models: 'models',
  /** Files on their way in or out through the web host (emptied at each start; never backed up). */
  uploads: 'uploads',
} as const;
