import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { value } from '../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../tests/helpers/engineSession';
import { Diagnostics } from './Diagnostics';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Diagnostics', () => {
  it('keeps the latest background problems, newest first, and logs each', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const diagnostics = new Diagnostics();
    for (let at = 1; at <= 52; at += 1) diagnostics.note(`backup ${at}`, new Error(`disk full ${at}`));
    const recent = diagnostics.recent();
    expect(recent).toHaveLength(50);
    expect(recent[0]).toMatchObject({ what: 'backup 52', message: 'disk full 52' });
    expect(recent.at(-1)).toMatchObject({ what: 'backup 3' });
    expect(logged).toHaveBeenCalledTimes(52);
  });
});

describe('background problems, through the engine', () => {
  const t = engineForEachTest();

  it('lists a daily backup that failed, in words, instead of keeping it silent', async () => {
    value(await t.engine.call('createSpace', { name: 'Acme', kind: 'client' }));
    await t.engine.close();
    // A file where the backups folder should be: no backup can be made there.
    await rm(join(t.dataDir, 'backups'), { recursive: true, force: true });
    await writeFile(join(t.dataDir, 'backups'), 'not a folder');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    t.engine = await t.open({ firstBackupDelayMs: 10 });

    await vi.waitFor(async () => {
      const problems = value(await t.engine.call('getBackgroundProblems', {}));
      expect(problems).toEqual([expect.objectContaining({ what: 'the daily backup' })]);
      expect(problems[0]!.message).toMatch(/could not make a backup/);
    });
  });
});
