import type { Migration } from '../DocumentAdapter';

/**
 * Settings 1 → 2: version 1 wrote Keel's defaults (llama3.2, nomic-embed-text) into every new
 * settings file, so they cannot be told from a choice; an empty model means "not chosen" from
 * version 2 on, and Keel then picks an installed model (the default itself when it is installed,
 * as before).
 */
export const toVersion2: Migration = (document) => ({
  ...document,
  chatModel: document.chatModel === 'llama3.2' ? '' : document.chatModel,
  embeddingModel: document.embeddingModel === 'nomic-embed-text' ? '' : document.embeddingModel,
});
