import type { ModelUse } from './modelOptions';

/**
 * The two models Keel works with and the setting that holds each: one writes the AI's moves, one
 * turns text into numbers for memory search. Global and per-space pickers show them alike.
 */
export const modelRoles = [
  { use: 'chat', setting: 'chatModel', label: 'Chat model' },
  { use: 'embed', setting: 'embeddingModel', label: 'Embedding model' },
] as const satisfies readonly { use: ModelUse; setting: 'chatModel' | 'embeddingModel'; label: string }[];
