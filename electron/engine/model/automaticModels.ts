/**
 * Which installed model Keel uses until the person chooses one, and why, in words the status bar
 * can show. The rule (also in the README):
 * - chat: Keel's default (llama3.2, any size of it) when it is installed; otherwise the largest chat
 *   model whose file fits in half of this computer's memory (a bigger model thinks better, and half
 *   leaves room for the context and everything else); otherwise the smallest chat model there is;
 * - embeddings: Keel's default (nomic-embed-text) when installed, otherwise the smallest embedding
 *   model (they differ little in quality and a small one is quick).
 * Embedding-only models never write answers, so they are never picked for chat.
 */
import type { ModelInfo } from '../../../shared/domain';

export const recommendedChatModel = 'llama3.2';
export const recommendedEmbeddingModel = 'nomic-embed-text';

export interface PickedModel {
  name: string;
  /** Why this one, for the status bar: "Keel's default", "the largest that fits in 16 GB". */
  reason: string;
}

export interface AutomaticModels {
  chat?: PickedModel;
  embedding?: PickedModel;
}

/** `llama3.2:3b` → `llama3.2`; names are case-insensitive in Ollama. */
function baseName(name: string): string {
  return name.toLowerCase().split(':')[0] ?? '';
}

function bySizeThenName(a: ModelInfo, b: ModelInfo): number {
  return a.size - b.size || a.name.localeCompare(b.name);
}

/**
 * The family's `:latest` when installed, by its short name (`llama3.2` is `llama3.2:latest` in
 * Ollama, and the short name is the one people write), else its largest size.
 */
function preferred(family: ModelInfo[], shortName: string): string | undefined {
  if (family.some((model) => model.name.toLowerCase().endsWith(':latest'))) return shortName;
  return [...family].sort(bySizeThenName).at(-1)?.name;
}

function gigabytes(bytes: number): string {
  return `${Math.round(bytes / 2 ** 30)} GB`;
}

export function pickAutomaticModels(models: readonly ModelInfo[], memoryBytes: number): AutomaticModels {
  const picked: AutomaticModels = {};
  // A model whose capabilities Ollama did not report (an old Ollama) is taken for a chat model.
  const chatModels = models.filter(
    (model) => model.canChat || (model.capabilities.length === 0 && !model.canEmbed),
  );
  const embeddingModels = models.filter((model) => model.canEmbed);

  const defaultChat = preferred(
    chatModels.filter((model) => baseName(model.name) === recommendedChatModel),
    recommendedChatModel,
  );
  if (defaultChat) {
    picked.chat = { name: defaultChat, reason: 'Keel’s default chat model' };
  } else if (chatModels.length > 0) {
    const fitting = chatModels.filter((model) => model.size <= memoryBytes / 2).sort(bySizeThenName);
    const largest = fitting.at(-1);
    if (largest) {
      picked.chat = {
        name: largest.name,
        reason: `the largest chat model that fits in this computer’s ${gigabytes(memoryBytes)}`,
      };
    } else {
      const smallest = [...chatModels].sort(bySizeThenName)[0]!;
      picked.chat = {
        name: smallest.name,
        reason: `the smallest chat model installed (none fits easily in this computer’s ${gigabytes(memoryBytes)})`,
      };
    }
  }

  const defaultEmbedding = preferred(
    embeddingModels.filter((model) => baseName(model.name) === recommendedEmbeddingModel),
    recommendedEmbeddingModel,
  );
  const embedding = defaultEmbedding ?? [...embeddingModels].sort(bySizeThenName)[0]?.name;
  if (embedding) {
    picked.embedding = {
      name: embedding,
      reason: defaultEmbedding ? 'Keel’s default embedding model' : 'the smallest embedding model installed',
    };
  }
  return picked;
}
