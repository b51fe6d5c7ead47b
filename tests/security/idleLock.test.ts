/**
 * The lock lives in the engine, not only in the page: with no window open, an engine left alone
 * for the person's idle minutes drops its keys by itself and answers `locked` from then on.
 */
import { describe, expect, it } from 'vitest';
import { recordEvents, value } from '../helpers/engineHarness';
import { engineForEachTest } from '../helpers/engineSession';

// One "minute" of the idle-lock setting lasts 100 ms here.
const t = engineForEachTest({ scryptCost: { N: 2 ** 10, r: 8, p: 1 }, idleMinuteMs: 100 });
const passphrase = 'correct horse battery';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the idle lock in the engine', () => {
  it('locks by itself with no client, tells every window, and then answers “locked”', async () => {
    const space = value(await t.engine.call('createSpace', { name: 'Acme', kind: 'client' }));
    value(await t.engine.call('setPassphrase', { passphrase }));
    value(await t.engine.call('updateSettings', { lockAfterMinutes: 2 }));
    const events = recordEvents(t.engine);

    const locked = await events.next('engine.state', (event) => event.state.status === 'locked', 5_000);
    expect(locked.state).toMatchObject({ status: 'locked', encrypted: true });
    expect(await t.engine.call('listLoops', { spaceId: space.id })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('listSpaces', {})).map((s) => s.name)).toEqual(['Acme']);
  });

  it('counts every call the person makes, but not the page’s own status checks', async () => {
    value(await t.engine.call('createSpace', { name: 'Acme', kind: 'client' }));
    value(await t.engine.call('setPassphrase', { passphrase }));
    value(await t.engine.call('updateSettings', { lockAfterMinutes: 3 }));
    // 600 ms of calls, one every 100 ms: twice the 300 ms limit, and still open.
    for (let n = 0; n < 6; n += 1) {
      await sleep(100);
      value(await t.engine.call('listSpaces', {}));
    }
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
    // Status checks alone do not keep it open.
    for (let n = 0; n < 6; n += 1) {
      await sleep(100);
      await t.engine.call('getModelStatus', {});
      await t.engine.call('getEngineState', {});
    }
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('locked');
  });

  it('never locks when the setting is 0, or without a passphrase', async () => {
    value(await t.engine.call('createSpace', { name: 'Acme', kind: 'client' }));
    value(await t.engine.call('updateSettings', { lockAfterMinutes: 1 }));
    await sleep(400);
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
    value(await t.engine.call('setPassphrase', { passphrase }));
    value(await t.engine.call('updateSettings', { lockAfterMinutes: 0 }));
    await sleep(400);
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
  });
});
