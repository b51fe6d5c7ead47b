/**
 * The models Keel's built-in runtime offers to download, and which of them fits this machine.
 *
 * Every entry is pinned: the URL names a fixed revision of the Hugging Face repository, and the size
 * and SHA-256 are those Hugging Face publishes for the file at that revision (its Git LFS pointer).
 * A download that does not match both is refused (see ModelDownloads.ts). Where each value was
 * confirmed is noted beside the entry; nothing here is guessed, since a wrong hash would refuse a
 * good file.
 */
import { z } from 'zod';
import type { CatalogModelKind, ModelRecommendation } from '../../../../shared/domain';

export interface CatalogEntry {
  /** Keel's name for it, also what the download and the installed list are keyed by. */
  id: string;
  name: string;
  kind: CatalogModelKind;
  /** The name it gets in the models folder. */
  fileName: string;
  url: string;
  /** Exact size in bytes: no more is ever written. */
  bytes: number;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  license: string;
  contextLength: number;
  /** About what running it takes: the weights plus a working context and llama.cpp's buffers. */
  memoryBytes: number;
}

export interface ModelCatalogSource {
  entries: readonly CatalogEntry[];
  /**
   * Every origin a download may contact: the model host and the CDN it redirects to. Prompts never
   * go to any of them (model traffic goes only to the model host, through outboundFetch.ts).
   */
  origins: readonly string[];
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/**
 * Hugging Face serves `resolve/` from its own host, then redirects to its file servers: Xet storage
 * for newer uploads, its CDN edges, or the older LFS CDN (the hosts its firewall guidance names;
 * Hugging Face may add others, and a redirect to one not listed here is refused, never followed).
 */
const huggingFaceOrigins = [
  'https://huggingface.co',
  'https://cas-bridge.xethub.hf.co',
  'https://transfer.xethub.hf.co',
  'https://us.aws.cdn.hf.co',
  'https://cdn-lfs.hf.co',
  'https://cdn-lfs-us-1.hf.co',
  'https://cdn-lfs-eu-1.hf.co',
  'https://cdn-lfs.huggingface.co',
  'https://cdn-lfs-us-1.huggingface.co',
];

const resolve = (repo: string, revision: string, file: string) =>
  `https://huggingface.co/${repo}/resolve/${revision}/${file}`;

export const builtinCatalog: ModelCatalogSource = {
  origins: huggingFaceOrigins,
  entries: [
    {
      // SHA-256 from the file's page at this revision on huggingface.co (Git LFS details, 808 MB);
      // the exact byte count 807,694,464 from two independent published catalogs pinning that hash.
      id: 'llama-3.2-1b-instruct',
      name: 'Llama 3.2 1B Instruct',
      kind: 'chat',
      fileName: 'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
      url: resolve(
        'bartowski/Llama-3.2-1B-Instruct-GGUF',
        'd52af3776f99ddf220e5ffd3f93b2a4e4df105be',
        'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
      ),
      bytes: 807_694_464,
      sha256: '6f85a640a97cf2bf5b8e764087b1e83da0fdb51d7c9fab7d0fece9385611df83',
      license: 'Llama 3.2 Community License',
      contextLength: 131_072,
      memoryBytes: 1.5 * GB,
    },
    {
      // SHA-256 from the file's page at this revision (2.02 GB); 2,019,377,696 bytes from two catalogs.
      id: 'llama-3.2-3b-instruct',
      name: 'Llama 3.2 3B Instruct',
      kind: 'chat',
      fileName: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
      url: resolve(
        'bartowski/Llama-3.2-3B-Instruct-GGUF',
        'c346bfc2029e79ba6d7edf026cf01fe44242db0d',
        'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
      ),
      bytes: 2_019_377_696,
      sha256: '6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff',
      license: 'Llama 3.2 Community License',
      contextLength: 131_072,
      memoryBytes: 3.5 * GB,
    },
    {
      // The repository re-uploaded this file several times; this revision (4f0c246) is the one whose
      // page shows this SHA-256 (4.92 GB); 4,920,739,232 bytes from three published pins of that hash.
      id: 'llama-3.1-8b-instruct',
      name: 'Llama 3.1 8B Instruct',
      kind: 'chat',
      fileName: 'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      url: resolve(
        'bartowski/Meta-Llama-3.1-8B-Instruct-GGUF',
        '4f0c246f125fc7594238ebe7beb1435a8335f519',
        'Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
      ),
      bytes: 4_920_739_232,
      sha256: '7b064f5842bf9532c91456deda288a1b672397a54fa729aa665952863033557c',
      license: 'Llama 3.1 Community License',
      contextLength: 131_072,
      memoryBytes: 6.5 * GB,
    },
    {
      // Qwen's own GGUF; size and hash agree in several independent pins of this revision (not read
      // from the huggingface.co page itself).
      id: 'qwen3-4b',
      name: 'Qwen3 4B (thinks before answering)',
      kind: 'thinking',
      fileName: 'Qwen3-4B-Q4_K_M.gguf',
      url: resolve('Qwen/Qwen3-4B-GGUF', 'bc640142c66e1fdd12af0bd68f40445458f3869b', 'Qwen3-4B-Q4_K_M.gguf'),
      bytes: 2_497_280_256,
      sha256: '7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5',
      license: 'Apache-2.0',
      contextLength: 32_768,
      memoryBytes: 4.5 * GB,
    },
    {
      // Nomic's own GGUF; size and hash agree in several independent pins of this revision (not read
      // from the huggingface.co page itself). The GGUF's trained context is 2,048 tokens.
      id: 'nomic-embed-text-v1.5',
      name: 'Nomic Embed Text v1.5 (for memory search)',
      kind: 'embedding',
      fileName: 'nomic-embed-text-v1.5.Q8_0.gguf',
      url: resolve(
        'nomic-ai/nomic-embed-text-v1.5-GGUF',
        '0188c9bf409793f810680a5a431e7b899c46104c',
        'nomic-embed-text-v1.5.Q8_0.gguf',
      ),
      bytes: 146_146_432,
      sha256: '3e24342164b3d94991ba9692fdc0dd08e3fd7362e0aacc396a9a5c54a544c3b7',
      license: 'Apache-2.0',
      contextLength: 2_048,
      memoryBytes: 300 * MB,
    },
  ],
};

const catalogEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/),
    name: z.string().min(1).max(200),
    kind: z.enum(['chat', 'thinking', 'embedding']),
    // A plain file name: never a path out of the models folder.
    fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.gguf$/),
    url: z.string().url(),
    bytes: z.number().int().positive(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    license: z.string().min(1).max(200),
    contextLength: z.number().int().positive(),
    memoryBytes: z.number().positive(),
  })
  .strict();

const catalogSourceSchema = z
  .object({
    entries: z.array(catalogEntrySchema).min(1).max(50),
    origins: z.array(z.string().url()).min(1).max(20),
  })
  .strict();

/**
 * Reads a catalog given from outside (tests point Keel at a local fake model host this way): the
 * same shape as the built-in one, every URL on one of its own origins.
 */
export function parseCatalogSource(value: unknown): ModelCatalogSource {
  const source = catalogSourceSchema.parse(value);
  const origins = source.origins.map((origin) => new URL(origin).origin);
  for (const entry of source.entries) {
    if (!origins.includes(new URL(entry.url).origin)) {
      throw new Error(`The catalog entry ${entry.id} downloads from a host the catalog does not name.`);
    }
  }
  return { entries: source.entries, origins };
}

/**
 * The catalog entry a file in the models folder came from (by its file name), so the installed list
 * can name it and know what it is for; undefined for a file the person added themselves.
 */
export function catalogEntryFor(
  fileName: string,
  source: ModelCatalogSource = builtinCatalog,
): CatalogEntry | undefined {
  return source.entries.find((entry) => entry.fileName === fileName);
}

/** The graphics processor node-llama-cpp found, as far as choosing a model needs it. */
export interface GpuInfo {
  /** node-llama-cpp's name for it: `metal`, `cuda` or `vulkan`. */
  kind: 'metal' | 'cuda' | 'vulkan';
  /** Its own memory in bytes (Metal shares the machine's memory). */
  vramBytes?: number;
}

export interface MachineInfo {
  memoryBytes: number;
  gpu: GpuInfo | null;
}

/** What part of the machine's memory a model may take and leave the person's other apps room. */
const shareOfMemory = 0.5;
/** On Apple silicon the graphics processor uses the same memory: a little more of it is fair. */
const shareOfUnifiedMemory = 0.6;
/** Without a graphics processor a bigger model answers slower than a person reads. */
const largestForProcessorOnly = 4 * GB;

export function gpuLabel(gpu: GpuInfo | null): string | null {
  if (!gpu) return null;
  switch (gpu.kind) {
    case 'metal':
      return 'Apple Metal';
    case 'cuda':
      return 'NVIDIA CUDA';
    case 'vulkan':
      return 'Vulkan';
  }
}

/** "16 GB": memory as a person reads it on their machine's spec sheet. */
export function memoryLabel(bytes: number): string {
  const gb = bytes / GB;
  return gb >= 10 ? `${Math.round(gb)} GB` : `${Number(gb.toFixed(1))} GB`;
}

/**
 * The chat model (the largest that fits) and embedding model to offer first, with the reason shown
 * to the person. Pure: the machine's memory and graphics processor come in as values.
 */
export function recommendModels(machine: MachineInfo, entries: readonly CatalogEntry[]): ModelRecommendation {
  const chats = entries
    .filter((entry) => entry.kind === 'chat')
    .sort((a, b) => a.memoryBytes - b.memoryBytes);
  const embeddings = entries
    .filter((entry) => entry.kind === 'embedding')
    .sort((a, b) => a.memoryBytes - b.memoryBytes);
  const smallest = chats[0] ?? entries[0];
  if (!smallest) throw new Error('The model catalog is empty.');
  const embedding = embeddings[0]?.id ?? '';
  const memory = memoryLabel(machine.memoryBytes);
  const gpu = machine.gpu;

  // A discrete graphics card with enough memory of its own runs the model fast.
  if (gpu && gpu.kind !== 'metal' && gpu.vramBytes !== undefined) {
    const vramBudget = gpu.vramBytes * 0.9;
    const onCard = [...chats].reverse().find((entry) => entry.memoryBytes <= vramBudget);
    if (onCard && onCard.memoryBytes <= machine.memoryBytes * shareOfMemory + vramBudget) {
      return {
        chat: onCard.id,
        embedding,
        reason: `Fits in your graphics card's ${memoryLabel(gpu.vramBytes)} (${gpuLabel(gpu)}), so it answers quickly.`,
      };
    }
  }

  const unified = gpu?.kind === 'metal';
  const budget = machine.memoryBytes * (unified ? shareOfUnifiedMemory : shareOfMemory);
  const limit = gpu ? Infinity : largestForProcessorOnly;
  const fits = [...chats]
    .reverse()
    .find((entry) => entry.memoryBytes <= budget && entry.memoryBytes <= limit);
  if (!fits) {
    return {
      chat: smallest.id,
      embedding,
      reason: `The smallest model: your ${memory} of memory is tight for it, so close other apps if answers are slow.`,
    };
  }
  const larger = chats.find((entry) => entry.memoryBytes > fits.memoryBytes);
  const why = unified
    ? `Fits in your ${memory}, which your Mac's graphics processor shares, with room for your other apps.`
    : `Fits in your ${memory} with room for your other apps.`;
  const processorOnly =
    !gpu && larger && larger.memoryBytes <= budget
      ? ' No graphics processor was found, and a larger model would answer slower than you read.'
      : '';
  return { chat: fits.id, embedding, reason: `${why}${processorOnly}` };
}
