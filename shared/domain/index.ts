/**
 * Keel's domain, in the product's own words (see DESIGN.md), one file per concept: spaces, loops,
 * turns and drafts (`loops`), decisions and the ledger (`ledger`), memory, sources, search, models
 * and settings, trust (backups, the engine's state) and sync. Import it whole from `shared/domain`.
 */
export * from './common';
export * from './loops';
export * from './ledger';
export * from './memory';
export * from './sources';
export * from './search';
export * from './models';
export * from './trust';
export * from './sync';
