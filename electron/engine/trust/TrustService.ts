/**
 * What keeps the person's data theirs: the vault (encryption at rest and the passphrase), backups
 * and restores, and the archive that transfers the data folder to another computer. It owns the open
 * data folder's life, because each of these closes it, swaps or rewrites the files, and opens it again.
 * While the data is locked or a file Keel needs is damaged no data folder is open, and calls that
 * need one say why. Whole-folder operations run one at a time.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Sequencer } from '../../../shared/async';
import type { ArchiveDownload } from '../../../shared/contract';
import {
  guardedSettings,
  type BackupInfo,
  type EngineState,
  type GuardedSetting,
  type Settings,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { NoteProblem } from '../Diagnostics';
import type { EventHub } from '../EventHub';
import type { Backups } from '../store/Backups';
import { storageFailure } from '../store/DocumentAdapter';
import { files, layout } from '../store/layout';
import { Store } from '../store/Store';
import { keyFileName, Vault } from '../store/Vault';
import type { Uploads } from '../Uploads';
import type { OpenDataFolder } from '../OpenDataFolder';

type GuardedValues = Partial<Pick<Settings, GuardedSetting>>;

/** Written by an import and removed once the imported settings were checked against the kept ones. */
const importReviewFile = files.importReview;

export interface TrustOptions {
  dataDir: string;
  /** What a new data folder's settings start as. */
  settingsDefaults: Settings;
  scryptCost?: { N: number; r: number; p: number } | undefined;
  wrongPassphraseDelayMs?: number | undefined;
  events: EventHub;
  noteProblem: NoteProblem;
  backups: Backups;
  uploads: Uploads;
  /** Opens the data folder's services over an opened store. */
  openDataFolder: (store: Store) => OpenDataFolder;
  /** Told when the data folder opened (to start the daily backup) and before it closes. */
  onOpened: () => void;
  onClosing: () => void;
}

/** The vault, backups and the archive, as the calls that work while locked use them. */
export interface Trust {
  state(): Promise<EngineState>;
  unlock(passphrase: string): Promise<EngineState>;
  lock(): Promise<EngineState>;
  setPassphrase(passphrase: string, currentPassphrase: string | undefined): Promise<EngineState>;
  removePassphrase(currentPassphrase: string): Promise<EngineState>;
  backupNow(): Promise<BackupInfo>;
  restoreBackup(backupId: string, loopId: string | undefined): Promise<EngineState>;
  exportArchive(): Promise<ArchiveDownload>;
  importArchive(file: string, currentPassphrase: string | undefined): Promise<EngineState>;
  settleImportedSettings(adopt: boolean): Promise<EngineState>;
}

export class TrustService implements Trust {
  private vault: Vault | undefined;
  private dataFolder: OpenDataFolder | undefined;
  /** Why the data folder could not open, in words. */
  private problem: string | undefined;
  private closed = false;
  private locking = false;
  /** True while a restore or an import swaps the files, so calls meanwhile say so. */
  private replacing = false;
  /** The person's guarded settings as they were before an import, to keep over the archive's. */
  private keptOverImport: GuardedValues | undefined;
  /** The archive's guarded settings that differ from the kept ones, until the person decides. */
  private importedSettings: GuardedValues | undefined;
  /** Whole-folder operations (restore, import, passphrase changes, lock, backups) run one at a time. */
  readonly exclusive = new Sequencer();

  constructor(private readonly options: TrustOptions) {}

  /** The open data folder, or undefined while locked, damaged, being replaced or once the engine closes. */
  get current(): OpenDataFolder | undefined {
    return this.closed ? undefined : this.dataFolder;
  }

  /** The open data folder, or a `KeelError` that says why there is none. */
  need(): OpenDataFolder {
    if (this.dataFolder) return this.dataFolder;
    if (this.replacing) {
      throw new KeelError(
        'busy',
        'Keel is putting another copy of your data in place. Try again in a moment.',
      );
    }
    if (this.vault?.state === 'locked' || this.locking) {
      throw new KeelError('locked', 'Keel is locked. Unlock it with your passphrase to go on.');
    }
    throw new KeelError('storage-corrupt', this.problem ?? 'The data folder could not be opened.');
  }

  /** A locked Keel takes nothing in and gives nothing out. */
  refuseWhileLocked(): void {
    if (this.vault?.state === 'locked' || this.locking) this.need();
  }

  /** The "lock after" minutes while the keys are held and the data folder is open. */
  idleLockMinutes(): number | undefined {
    if (this.closed || this.vault?.state !== 'unlocked' || !this.dataFolder) return undefined;
    return this.dataFolder.store.settings.data.lockAfterMinutes;
  }

  /** How many backups to keep. */
  keep(): number {
    return this.dataFolder?.store.settings.data.backupKeep ?? this.options.settingsDefaults.backupKeep;
  }

  /** Opens the vault and, unless it is locked, the data folder; a file that cannot be read leaves the engine damaged. */
  async open(): Promise<void> {
    const { dataDir } = this.options;
    this.problem = undefined;
    try {
      this.vault ??= await Vault.open(dataDir, {
        cost: this.options.scryptCost,
        wrongPassphraseDelayMs: this.options.wrongPassphraseDelayMs,
      });
      if (this.vault.state === 'locked') return;
      const store = await Store.open(dataDir, this.options.settingsDefaults, this.vault.codec);
      this.dataFolder = this.options.openDataFolder(store);
      await this.reviewImportedSettings(this.dataFolder);
      this.options.onOpened();
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      this.problem = error.message;
    }
  }

  async state(): Promise<EngineState> {
    const latest = (await this.options.backups.list().catch(() => []))[0];
    const { dataFolder, vault, problem, importedSettings } = this;
    return {
      status: dataFolder ? 'open' : vault?.state === 'locked' ? 'locked' : 'damaged',
      encrypted: vault !== undefined && vault.state !== 'plain',
      ...(problem && !dataFolder ? { problem } : {}),
      ...(latest ? { latestBackup: latest } : {}),
      ...(importedSettings && dataFolder ? { importedSettings: { ...importedSettings } } : {}),
    };
  }

  unlock(passphrase: string): Promise<EngineState> {
    return this.exclusive.run(async () => {
      if (this.vault?.state !== 'locked') return this.state();
      await this.vault.unlock(passphrase);
      await this.open();
      await this.finishChange(passphrase).catch((error: unknown) => {
        // Not finished now is not lost: every file stays readable and the next unlock tries again.
        this.options.noteProblem('finishing the change of encryption', error);
      });
      return this.announce();
    });
  }

  lock(): Promise<EngineState> {
    return this.exclusive.run(async () => {
      if (!this.vault || this.vault.state === 'plain') {
        throw new KeelError(
          'invalid-input',
          'Keel can lock only once a passphrase is set (in Settings, Privacy).',
        );
      }
      return this.lockNow();
    });
  }

  /** Locks once it is its turn, if the person is still away. */
  lockIfIdle(stillIdle: () => boolean): Promise<void> {
    return this.exclusive.run(async () => {
      if (!this.closed && stillIdle()) await this.lockNow();
    });
  }

  setPassphrase(passphrase: string, currentPassphrase: string | undefined): Promise<EngineState> {
    return this.exclusive.run(async () => {
      const ws = this.need();
      const current = this.vault!;
      if (current.state !== 'plain') {
        if (currentPassphrase === undefined) {
          throw new KeelError('invalid-input', 'Give your current passphrase to change it.', {
            field: 'currentPassphrase',
          });
        }
        await current.verify(currentPassphrase, 'currentPassphrase');
      }
      // Everything on its way to disk lands first, so the plain files recorded at the start are the last plain ones.
      await ws.flush();
      await current.begin(passphrase);
      await this.rewriteEverything();
      await current.retire();
      await this.options.backups.setKeyFile(current.keyFileBytes());
      return this.announce();
    });
  }

  removePassphrase(currentPassphrase: string): Promise<EngineState> {
    return this.exclusive.run(async () => {
      this.need();
      const current = this.vault!;
      if (current.state === 'plain') return this.state();
      await current.verify(currentPassphrase, 'currentPassphrase');
      await current.startPlain();
      await this.rewriteEverything();
      await current.finishPlain();
      await this.options.backups.setKeyFile(undefined);
      return this.announce();
    });
  }

  backupNow(): Promise<BackupInfo> {
    return this.exclusive.run(async () => {
      await this.need().flush();
      return this.options.backups.create('manual', this.keep());
    });
  }

  /**
   * Restores a backup (the whole folder, or one loop's file). What the restore replaces is kept
   * first, so the restore itself can be undone.
   */
  restoreBackup(backupId: string, loopId: string | undefined): Promise<EngineState> {
    return this.exclusive.run(async () => {
      const { backups } = this.options;
      if (this.vault?.state === 'locked') this.need();
      if (this.dataFolder) await this.dataFolder.flush();
      await backups.create('before-restore', this.keep());
      this.replacing = true;
      try {
        await this.closeDataFolder();
        await backups.restore(backupId, loopId);
        if (loopId === undefined) await this.forgetSearchIndex();
        // Every backup carries the current key file (they are re-encrypted on every change), so the
        // unlocked keys stay valid; a key file that differs means the vault must be read again.
        await this.reopenAfterReplace();
      } finally {
        this.replacing = false;
      }
      return this.announce();
    });
  }

  /** The whole folder as an archive, made into a file that waits for one download (bytes, never text). */
  exportArchive(): Promise<ArchiveDownload> {
    return this.exclusive.run(async () => {
      const { backups, uploads } = this.options;
      await this.need().flush();
      const { id, path } = await uploads.outgoingPath();
      try {
        await backups.archive(path).catch((error: unknown) => {
          if (error instanceof RangeError) throw new KeelError('storage-failed', error.message);
          throw storageFailure(error, 'write the archive');
        });
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      const { size } = await stat(path);
      const day = new Date().toISOString().slice(0, 10);
      const download = { fileName: `keel-archive-${day}.zip`, mimeType: 'application/zip', bytes: size };
      uploads.offer(id, download);
      return { ...download, file: id };
    });
  }

  /** Replaces the data folder with an uploaded archive, checked and unpacked whole first. */
  importArchive(file: string, currentPassphrase: string | undefined): Promise<EngineState> {
    return this.exclusive.run(async () => {
      const { backups, uploads } = this.options;
      try {
        // A locked Keel changes nothing, and encrypted data is replaced only by who can open it.
        this.refuseWhileLocked();
        const upload = uploads.take(file, 'archive');
        const vault = this.vault;
        if (vault && vault.state !== 'plain') {
          if (currentPassphrase === undefined) {
            throw new KeelError('invalid-input', 'Give your passphrase to replace your encrypted data.', {
              field: 'currentPassphrase',
            });
          }
          await vault.verify(currentPassphrase).catch(() => {
            throw new KeelError('invalid-input', 'That is not your passphrase. Nothing was changed.', {
              field: 'currentPassphrase',
            });
          });
        }
        const staging = await backups.stageArchive(upload.path);
        try {
          await this.replaceWithImport(staging);
        } finally {
          await rm(staging, { recursive: true, force: true });
        }
        return await this.announce();
      } finally {
        await uploads.discard(file);
      }
    });
  }

  /** Takes the imported archive's guarded settings, or keeps the current ones; the question closes. */
  settleImportedSettings(adopt: boolean): Promise<EngineState> {
    return this.exclusive.run(async () => {
      const ws = this.need();
      const archive = this.importedSettings;
      this.importedSettings = undefined;
      if (adopt && archive) await ws.settings.update(archive);
      return this.announce();
    });
  }

  /** Stops every stream, writes what is pending and forgets the keys, after the operation running now. */
  async close(): Promise<void> {
    this.closed = true;
    await this.exclusive.idle();
    await this.closeDataFolder();
    this.vault?.lock();
  }

  private async announce(): Promise<EngineState> {
    const current = await this.state();
    this.options.events.emit({ type: 'engine.state', state: current });
    return current;
  }

  private async closeDataFolder(): Promise<void> {
    const open = this.dataFolder;
    this.dataFolder = undefined;
    this.options.onClosing();
    await open?.close();
  }

  /** Stops every stream, writes what is pending, then forgets the keys and tells every window. */
  private async lockNow(): Promise<EngineState> {
    this.locking = true;
    try {
      await this.closeDataFolder();
      this.vault?.lock();
    } finally {
      this.locking = false;
    }
    return this.announce();
  }

  /**
   * The first open after an import: the settings that decide where data goes or what is trusted
   * keep the person's values (or, if Keel restarted meanwhile, the safe defaults), and the archive's
   * differing values wait for the person to confirm them.
   */
  private async reviewImportedSettings(ws: OpenDataFolder): Promise<void> {
    const marker = join(this.options.dataDir, importReviewFile);
    if (
      !(await readFile(marker).then(
        () => true,
        () => false,
      ))
    )
      return;
    const kept: GuardedValues = this.keptOverImport ?? pick(this.options.settingsDefaults);
    const archive = pick(ws.store.settings.data);
    const differing: GuardedValues = {};
    for (const key of guardedSettings) {
      if (archive[key] !== kept[key]) Object.assign(differing, { [key]: archive[key] });
    }
    await ws.settings.update(kept);
    this.importedSettings = Object.keys(differing).length > 0 ? differing : undefined;
    this.keptOverImport = undefined;
    await rm(marker, { force: true });
  }

  /**
   * After the whole folder was replaced, the search index (which archives and backups leave out,
   * since it is made from the rest) may describe other data or be sealed with another key: it is
   * made again at the next search.
   */
  private async forgetSearchIndex(): Promise<void> {
    await rm(join(this.options.dataDir, layout.searchIndex.path()), { force: true });
  }

  /** Writes every file (and backup) again through the vault's codec after the keys changed. */
  private async rewriteEverything(): Promise<void> {
    const { backups } = this.options;
    const ws = this.need();
    await ws.flush();
    const failed = await ws.store.rewriteAll();
    await ws.flush();
    if (failed.length > 0) {
      throw new KeelError('storage-failed', `Some files could not be rewritten: ${failed.join(' ')}`);
    }
    const sealer = this.vault!;
    // The backups get the key file with both keys first, so each stays readable while it is rewritten.
    const keyFile = sealer.keyFileBytes();
    if (keyFile !== undefined) await backups.setKeyFile(keyFile);
    await backups.reseal((bytes, path) => sealer.reseal(bytes, path));
  }

  /**
   * Finishes what the key file says is unfinished, with the passphrase just given: a change of
   * encryption cut off by a crash, or a folder of an older Keel (files sealed without their path, a
   * cheaper scrypt). Every step is the same crash-safe one the original change takes.
   */
  private async finishChange(passphrase: string): Promise<void> {
    const { backups } = this.options;
    const current = this.vault;
    const change = current?.unfinished;
    if (!current || !change || !this.dataFolder) return;
    if (change === 'decrypting') {
      await this.rewriteEverything();
      await current.finishPlain();
      await backups.setKeyFile(undefined);
      return;
    }
    if (change === 'weak-passphrase-key') {
      await current.upgrade(passphrase);
      await backups.setKeyFile(current.keyFileBytes());
      return;
    }
    if (change === 'upgrading') await current.upgrade(passphrase);
    await this.rewriteEverything();
    await current.retire();
    await backups.setKeyFile(current.keyFileBytes());
  }

  /**
   * Replaces the data folder with an unpacked archive, after a backup of what is there (never
   * pruned). If the replacement fails half-way, that backup is put back and the data folder reopens
   * as it was.
   */
  private async replaceWithImport(staging: string): Promise<void> {
    const { backups, dataDir } = this.options;
    if (this.dataFolder) await this.dataFolder.flush();
    const before = this.dataFolder ? pick(this.dataFolder.store.settings.data) : undefined;
    const safety =
      (await backups.dataFiles()).length > 0 ? await backups.create('before-import', this.keep()) : undefined;
    this.replacing = true;
    try {
      await this.closeDataFolder();
      try {
        await backups.replaceWithStaged(staging);
      } catch (error) {
        if (safety) await backups.restore(safety.id).catch(() => undefined);
        await this.reopenAfterReplace();
        throw error;
      }
      this.keptOverImport = before;
      this.importedSettings = undefined;
      await writeFile(join(dataDir, importReviewFile), '{}\n');
      await this.forgetSearchIndex();
      this.vault = undefined;
      await this.open();
    } finally {
      this.replacing = false;
    }
  }

  /** Reopens after files were put back: the unlocked keys stay if the key file is the same. */
  private async reopenAfterReplace(): Promise<void> {
    const keyFile = await readFile(join(this.options.dataDir, keyFileName), 'utf8').catch(() => undefined);
    if (keyFile !== this.vault?.keyFileBytes()) this.vault = undefined;
    await this.open();
  }
}

function pick(settings: Pick<Settings, GuardedSetting>): GuardedValues {
  return Object.fromEntries(guardedSettings.map((key) => [key, settings[key]])) as GuardedValues;
}
