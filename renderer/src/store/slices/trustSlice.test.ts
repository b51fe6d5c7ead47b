import { describe, expect, it, vi } from 'vitest';
import type { BackupInfo, EngineState } from '../../../../shared/domain';
import { fail, ok } from '../../../../shared/errors';
import { createFakeKeelApi, makeLoop, makeSummary } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';

const backup = (overrides: Partial<BackupInfo> = {}): BackupInfo => ({
  id: 'backup-1',
  createdAt: '2025-01-01T10:00:00.000Z',
  reason: 'daily',
  files: 4,
  bytes: 2048,
  ...overrides,
});

const open: EngineState = { status: 'open', encrypted: false };
const locked: EngineState = { status: 'locked', encrypted: true };

describe('unlocking and locking', () => {
  it('a wrong passphrase changes nothing and comes back with the engine’s words', async () => {
    const api = createFakeKeelApi();
    api.unlock.mockResolvedValueOnce(
      fail({
        code: 'invalid-input',
        message: 'That passphrase is not right. Nothing was changed; try again.',
        field: 'passphrase',
      }),
    );
    const store = createKeelStore(api);
    await store.getState().applyEngineState(locked);
    const result = await store.getState().unlock('wrong one');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/not right/);
    expect(store.getState().engineState?.status).toBe('locked');
    expect(api.listSpaces).not.toHaveBeenCalled();
  });

  it('the right passphrase opens the workspace and loads it', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState(locked);
    const result = await store.getState().unlock('correct horse battery');
    expect(result.ok).toBe(true);
    expect(api.unlock).toHaveBeenCalledWith({ passphrase: 'correct horse battery' });
    expect(store.getState().engineState).toEqual({ status: 'open', encrypted: true });
    expect(store.getState().spaces).toHaveLength(1);
    expect(store.getState().openLoop?.id).toBe('loop-1');
  });

  it('Lock now saves typed drafts first, then forgets everything on screen', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState({ status: 'open', encrypted: true });
    store.getState().setDraftText('loop-1', 'Unsaved paragraph');
    store.getState().setComposerText('loop-1', 'Half a thought');
    await store.getState().lockNow();

    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'Unsaved paragraph' });
    expect(api.saveDraft.mock.invocationCallOrder[0]).toBeLessThan(api.lock.mock.invocationCallOrder[0]!);
    const state = store.getState();
    expect(state.engineState?.status).toBe('locked');
    expect(state.openLoop).toBeNull();
    expect(state.loops).toEqual([]);
    expect(state.spaces).toEqual([]);
    expect(state.composerTexts).toEqual({});
    expect(state.drafts).toEqual({});
  });

  it('a refused lock says why', async () => {
    const api = createFakeKeelApi();
    api.lock.mockResolvedValueOnce(
      fail({ code: 'invalid-input', message: 'Keel can lock only once a passphrase is set.' }),
    );
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    await store.getState().lockNow();
    expect(store.getState().notices[0]?.error.message).toMatch(/only once a passphrase/);
    expect(store.getState().engineState?.status).toBe('open');
  });
});

describe('the passphrase', () => {
  it('turning encryption on keeps the workspace as it is and says it is encrypted', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    api.listSpaces.mockClear();
    const result = await store.getState().setPassphrase('a long passphrase');
    expect(result.ok).toBe(true);
    expect(api.setPassphrase).toHaveBeenCalledWith({ passphrase: 'a long passphrase' });
    expect(store.getState().engineState?.encrypted).toBe(true);
    expect(store.getState().openLoop?.id).toBe('loop-1');
    expect(api.listSpaces).not.toHaveBeenCalled();
  });

  it('changing it sends the current one; a wrong current one is returned to the form', async () => {
    const api = createFakeKeelApi();
    api.setPassphrase.mockResolvedValueOnce(
      fail({
        code: 'invalid-input',
        message: 'That is not your current passphrase.',
        field: 'currentPassphrase',
      }),
    );
    const store = createKeelStore(api);
    await store.getState().applyEngineState({ status: 'open', encrypted: true });
    const result = await store.getState().setPassphrase('new passphrase', 'old one');
    expect(api.setPassphrase).toHaveBeenCalledWith({
      passphrase: 'new passphrase',
      currentPassphrase: 'old one',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.field).toBe('currentPassphrase');
  });

  it('turning it off asks the engine with the current passphrase', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState({ status: 'open', encrypted: true });
    await store.getState().removePassphrase('old one');
    expect(api.removePassphrase).toHaveBeenCalledWith({ currentPassphrase: 'old one' });
    expect(store.getState().engineState?.encrypted).toBe(false);
  });
});

describe('backups', () => {
  it('lists them, and Back up now puts the new one first', async () => {
    const api = createFakeKeelApi();
    api.listBackups.mockResolvedValue(ok([backup()]));
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    await store.getState().loadBackups();
    expect(store.getState().backups).toEqual([backup()]);

    const made = backup({ id: 'backup-2', reason: 'manual', createdAt: '2025-01-02T10:00:00.000Z' });
    api.backupNow.mockResolvedValueOnce(ok(made));
    api.listBackups.mockResolvedValue(ok([made, backup()]));
    const result = await store.getState().backupNow();
    expect(result.ok).toBe(true);
    expect(store.getState().backups?.[0]).toEqual(made);
    expect(store.getState().engineState?.latestBackup).toEqual(made);
  });

  it('restoring the whole folder loads the workspace again from disk', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    store.getState().setComposerText('loop-1', 'Typed before the restore');
    api.listSpaces.mockClear();
    api.getLoop.mockClear();
    const result = await store.getState().restoreBackup('backup-1');
    expect(result.ok).toBe(true);
    expect(api.restoreBackup).toHaveBeenCalledWith({ backupId: 'backup-1' });
    expect(api.listSpaces).toHaveBeenCalled();
    expect(api.getLoop).toHaveBeenCalledWith({ loopId: 'loop-1' });
    expect(store.getState().composerTexts).toEqual({});
  });

  it('a damaged start restored from its latest backup opens the workspace', async () => {
    const api = createFakeKeelApi();
    const damaged: EngineState = {
      status: 'damaged',
      encrypted: false,
      problem: 'The catalog (catalog.json) could not be read; it was moved aside.',
      latestBackup: backup(),
    };
    api.getEngineState.mockResolvedValueOnce(ok(damaged));
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().engineState?.status).toBe('damaged'));
    expect(api.listSpaces).not.toHaveBeenCalled();

    await store.getState().restoreBackup('backup-1');
    expect(store.getState().engineState?.status).toBe('open');
    expect(store.getState().spaces).toHaveLength(1);
    stop();
  });

  it('an import that turns out encrypted shows the lock screen', async () => {
    const api = createFakeKeelApi();
    api.importArchive.mockResolvedValueOnce(ok(locked));
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    const archive = new Blob(['PK archive']);
    const result = await store.getState().importArchive(archive);
    expect(result.ok).toBe(true);
    expect(api.upload).toHaveBeenCalledWith(archive, 'archive');
    expect(api.importArchive).toHaveBeenCalledWith({ file: expect.stringMatching(/^up-/) });
    expect(store.getState().engineState?.status).toBe('locked');
    expect(store.getState().spaces).toEqual([]);
  });
});

describe('a damaged loop', () => {
  const corrupt = fail({
    code: 'storage-corrupt',
    message: 'The loop file loops/loop-2.json could not be read; it was moved aside.',
  });

  it('is said where the loop would be, not as a passing notice', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    api.getLoop.mockResolvedValueOnce(corrupt);
    await store.getState().openLoopById('loop-2');
    expect(store.getState().damagedLoop).toEqual({
      loopId: 'loop-2',
      error: { code: 'storage-corrupt', message: expect.stringContaining('loop-2.json') },
    });
    expect(store.getState().notices).toEqual([]);
    store.getState().closeLoop();
    expect(store.getState().damagedLoop).toBeNull();
  });

  it('is restored from the latest backup and opened again', async () => {
    const api = createFakeKeelApi();
    api.listBackups.mockResolvedValue(ok([backup({ id: 'backup-new' }), backup({ id: 'backup-old' })]));
    api.listLoops.mockResolvedValue(ok([makeSummary({ id: 'loop-2' })]));
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    api.getLoop.mockResolvedValueOnce(corrupt);
    await store.getState().openLoopById('loop-2');

    api.getLoop.mockResolvedValueOnce(ok(makeLoop({ id: 'loop-2', title: 'Restored' })));
    const result = await store.getState().restoreLoop('loop-2');
    expect(result.ok).toBe(true);
    expect(api.restoreBackup).toHaveBeenCalledWith({ backupId: 'backup-new', loopId: 'loop-2' });
    expect(store.getState().damagedLoop).toBeNull();
    expect(store.getState().openLoop?.title).toBe('Restored');
  });

  it('without any backup says there is none', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    const result = await store.getState().restoreLoop('loop-2');
    expect(result.ok).toBe(false);
    expect(api.restoreBackup).not.toHaveBeenCalled();
  });
});

describe('the outbound record', () => {
  it('lists every request newest first', async () => {
    const api = createFakeKeelApi();
    const first = {
      at: '2025-01-01T10:00:00.000Z',
      method: 'GET',
      origin: 'http://127.0.0.1:11434',
      path: '/api/tags',
      bytesSent: 0,
    };
    const second = {
      ...first,
      at: '2025-01-01T10:01:00.000Z',
      method: 'POST',
      path: '/api/chat',
      model: 'llama3.2',
      bytesSent: 900,
    };
    api.getOutboundLog.mockResolvedValueOnce(ok([first, second]));
    const store = createKeelStore(api);
    await store.getState().loadOutboundLog();
    expect(store.getState().outboundLog).toEqual([second, first]);
  });
});

describe('background problems', () => {
  it('lists what failed in the background, and says so when they cannot be asked for', async () => {
    const api = createFakeKeelApi();
    const problem = { at: '2025-01-01T10:00:00.000Z', what: 'the daily backup', message: 'the disk is full' };
    api.getBackgroundProblems.mockResolvedValueOnce(ok([problem]));
    const store = createKeelStore(api);
    await store.getState().loadBackgroundProblems();
    expect(store.getState().backgroundProblems).toEqual([problem]);
    api.getBackgroundProblems.mockResolvedValueOnce(
      fail({ code: 'connection-lost', message: 'Keel’s engine is not answering.' }),
    );
    await store.getState().loadBackgroundProblems();
    expect(store.getState().backgroundProblemsError?.code).toBe('connection-lost');
    expect(store.getState().backgroundProblems).toEqual([problem]);
  });
});

describe('a disk failure while sending', () => {
  it('keeps the composer text and says what happened in words', async () => {
    const api = createFakeKeelApi();
    api.addTurn.mockResolvedValueOnce(
      fail({ code: 'storage-failed', message: 'Keel could not save: the disk is full. Nothing was lost.' }),
    );
    const store = createKeelStore(api);
    await store.getState().applyEngineState(open);
    store.getState().setComposerText('loop-1', 'A paragraph I care about');
    const sent = await store.getState().requestMove('explore');
    expect(sent).toBe(false);
    expect(store.getState().composerTexts['loop-1']).toBe('A paragraph I care about');
    expect(api.requestMove).not.toHaveBeenCalled();
    expect(store.getState().notices[0]?.error).toEqual({
      code: 'storage-failed',
      message: 'Keel could not save: the disk is full. Nothing was lost.',
    });
    expect(store.getState().sendingLoopId).toBeNull();
  });
});
