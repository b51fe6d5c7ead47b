/**
 * A loop's layout (draft width, draft or intent folded) is kept in the loop's own file: it survives
 * a restart, bad values are refused at the door, and it does not count as a change to the loop.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';

const t = engineForEachTest();

async function twoLoops() {
  const space = value(await t.engine.call('createSpace', { name: 'Acme Corp', kind: 'client' }));
  const first = value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Pricing' }));
  const second = value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Hiring' }));
  return { first, second };
}

describe('loop layout', () => {
  it('is kept per loop in its file and survives a restart', async () => {
    const { first, second } = await twoLoops();
    expect(first.layout).toBeUndefined();

    expect(
      value(await t.engine.call('setLoopLayout', { loopId: first.id, layout: { draftWidth: 520 } })),
    ).toEqual({ draftWidth: 520 });
    // A second call changes only what it names.
    expect(
      value(await t.engine.call('setLoopLayout', { loopId: first.id, layout: { draftCollapsed: true } })),
    ).toEqual({ draftWidth: 520, draftCollapsed: true });

    const onDisk = JSON.parse(await readFile(join(t.dataDir, 'loops', `${first.id}.json`), 'utf8')) as {
      layout?: unknown;
    };
    expect(onDisk.layout).toEqual({ draftWidth: 520, draftCollapsed: true });

    await t.engine.close();
    t.engine = await t.open();
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).layout).toEqual({
      draftWidth: 520,
      draftCollapsed: true,
    });
    // A null width is the default width again.
    expect(
      value(await t.engine.call('setLoopLayout', { loopId: first.id, layout: { draftWidth: null } })),
    ).toEqual({ draftCollapsed: true });
    // The other loop keeps its own (none).
    expect(value(await t.engine.call('getLoop', { loopId: second.id })).layout).toBeUndefined();
  });

  it('does not move the loop up the list', async () => {
    const { first, second } = await twoLoops();
    const before = value(await t.engine.call('listLoops', {}));
    expect(before.map((loop) => loop.id)).toEqual([second.id, first.id]);
    value(await t.engine.call('setLoopLayout', { loopId: first.id, layout: { intentExpanded: true } }));
    const after = value(await t.engine.call('listLoops', {}));
    expect(after.map((loop) => loop.id)).toEqual([second.id, first.id]);
    expect(after.find((loop) => loop.id === first.id)?.updatedAt).toBe(first.updatedAt);
  });

  it('refuses widths out of range, unknown parts and unknown loops', async () => {
    const { first } = await twoLoops();
    for (const layout of [{ draftWidth: 20 }, { draftWidth: 5000 }, { draftWidth: 400.5 }, { wide: true }]) {
      const result = await t.engine.call('setLoopLayout', { loopId: first.id, layout });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    const missing = await t.engine.call('setLoopLayout', {
      loopId: 'lp-00000000-0000-4000-8000-000000000000',
      layout: {},
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).layout).toBeUndefined();
  });
});
