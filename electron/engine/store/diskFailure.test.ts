/**
 * A full disk or a read-only folder, as the engine meets them: the write fails with the system's
 * error code. (The test runs as root in CI, where permissions cannot make a folder read-only, so
 * the failure is injected at the one function every write goes through.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';

const failure = vi.hoisted(() => ({ code: undefined as string | undefined }));

vi.mock('./atomicWrite', async (importOriginal) => {
  const original = await importOriginal<typeof import('./atomicWrite')>();
  return {
    ...original,
    writeFileAtomic: async (path: string, data: string | Uint8Array) => {
      if (failure.code && path.includes('loops')) {
        throw Object.assign(new Error(`${failure.code}: simulated`), { code: failure.code });
      }
      return original.writeFileAtomic(path, data);
    },
  };
});

beforeEach(() => {
  failure.code = undefined;
});
afterEach(() => {
  failure.code = undefined;
});

const t = engineForEachTest();

describe('when the disk refuses a write', () => {
  it.each([
    ['ENOSPC', /the disk is full/],
    ['EROFS', /cannot be written to \(it is read-only/],
  ])(
    '%s: says so in words, acknowledges nothing it did not save, and loses nothing saved',
    async (code, words) => {
      const space = value(await t.engine.call('createSpace', { name: 'Acme' }));
      const loop = value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Pricing' }));
      value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Saved before the disk filled.' }));

      failure.code = code;
      const refused = await t.engine.call('addTurn', {
        loopId: loop.id,
        text: 'Typed while the disk was full.',
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'storage-failed' } });
      if (!refused.ok) {
        expect(refused.error.message).toMatch(words);
        expect(refused.error.message).toMatch(/Nothing saved earlier was lost/);
      }
      const draft = await t.engine.call('saveDraft', { loopId: loop.id, text: 'A draft' });
      expect(draft).toMatchObject({ ok: false, error: { code: 'storage-failed' } });
      // What the person sees matches the disk: the refused turn and draft are not in the loop.
      const during = value(await t.engine.call('getLoop', { loopId: loop.id }));
      expect(during.turns.map((turn) => turn.text)).toEqual(['Saved before the disk filled.']);
      expect(during.draft).toBe('');

      failure.code = undefined;
      value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Typed while the disk was full.' }));
      await t.engine.close();
      t.engine = await t.open();
      const after = value(await t.engine.call('getLoop', { loopId: loop.id }));
      expect(after.turns.map((turn) => turn.text)).toEqual([
        'Saved before the disk filled.',
        'Typed while the disk was full.',
      ]);
    },
  );

  it('a regenerated version that cannot be saved leaves the version the person kept', async () => {
    const space = value(await t.engine.call('createSpace', { name: 'Acme' }));
    const loop = value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Pricing' }));
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Where could we grow?' }));
    const finished = async () => {
      for (;;) {
        const turns = value(await t.engine.call('getLoop', { loopId: loop.id })).turns;
        if (turns.every((turn) => turn.status !== 'streaming')) return turns;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const first = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await finished();
    value(await t.engine.call('regenerateTurn', { loopId: loop.id, turnId: first.id }));
    await finished();
    value(await t.engine.call('chooseVersion', { loopId: loop.id, turnId: first.id }));

    failure.code = 'ENOSPC';
    const refused = await t.engine.call('regenerateTurn', { loopId: loop.id, turnId: first.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'storage-failed' } });
    failure.code = undefined;
    // The next save of the loop writes what it holds: the kept version must still be there.
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'A later note.' }));
    await t.engine.close();
    t.engine = await t.open();
    const kept = value(await t.engine.call('getLoop', { loopId: loop.id })).turns.find(
      (turn) => turn.id === first.id,
    );
    expect(kept?.chosenVersion).toBe(first.id);
  });
});
