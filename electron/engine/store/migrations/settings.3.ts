import type { Migration } from '../DocumentAdapter';

/**
 * Settings 2 → 3: the model runtime became a choice (automatic: Ollama when it answers, else Keel's
 * built-in runtime); a file from before keeps what it did then only as far as Ollama answers, so it
 * starts on automatic, with no model files pointed at.
 */
export const toVersion3: Migration = (document) => ({ ...document, runtime: 'automatic', modelFiles: [] });
