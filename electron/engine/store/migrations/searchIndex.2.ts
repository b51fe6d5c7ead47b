import type { Migration } from '../DocumentAdapter';

/**
 * Search index 1 → 2: sources came to search. A version-1 file written before then has no list of
 * indexed sources, which means none was indexed yet (every source is indexed on the next search);
 * one written since keeps its list.
 */
export const toVersion2: Migration = (document) => ({
  ...document,
  sources:
    typeof document.sources === 'object' && document.sources !== null && !Array.isArray(document.sources)
      ? document.sources
      : {},
});
