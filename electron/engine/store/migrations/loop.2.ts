import type { Migration } from '../DocumentAdapter';

/** Loop 1 → 2: draft versions and decisions arrived; a version-1 loop had neither. */
export const toVersion2: Migration = (document) => ({ ...document, draftVersions: [], pastDecisions: [] });
