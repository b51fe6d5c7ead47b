import type { Migration } from '../DocumentAdapter';

/**
 * Catalog 1 → 2: the ledger's entries hold the reasons of forecast updates and the outcome review.
 * The entries of version 1 had neither, so they are dropped: the ledger indexes each loop again from
 * its file, which holds them, the first time it is opened.
 */
export const toVersion2: Migration = (document) => ({
  ...document,
  loops: Array.isArray(document.loops)
    ? document.loops.map((loop: unknown) => {
        if (!isRecord(loop)) return loop;
        const { ledger: _ledger, ...rest } = loop;
        return rest;
      })
    : document.loops,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
