/** Settings and models: which runtime and models, downloads, warming, the model status. */
import { z } from 'zod';
import {
  idSchema,
  themes,
  type ModelCatalog,
  type ModelInfo,
  type ModelStatus,
  type ModelWarmup,
  type PullProgress,
  type Settings,
  type Space,
} from '../domain';
import { call, none, limits } from './spec';

/** Ollama model names: `name`, `name:tag`, `namespace/name:tag`. */
const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(limits.modelName)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9._-]+)?$/,
    'is not a model name (like llama3.2 or qwen3:4b)',
  );

/** A model's id in Keel's catalog of built-in models. */
const catalogIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, "is not a model in Keel's catalog");

export const modelsCalls = {
  /** The person's settings (chat model, theme). */
  getSettings: call<Settings>()(none),

  /**
   * Changes some settings and returns all of them. A chat model must be able to chat and an
   * embedding model must embed; a model host must parse. The model is warmed once chosen.
   */
  updateSettings: call<Settings>()(
    z
      .object({
        /** '' goes back to the model Keel picks from what is installed. */
        chatModel: modelNameSchema.or(z.literal('')).optional(),
        embeddingModel: modelNameSchema.or(z.literal('')).optional(),
        theme: z.enum(themes).optional(),
        keepAlive: z
          .string()
          .trim()
          .regex(/^(-1|0|\d+(\.\d+)?(s|m|h))$/, 'must be like 5m, 1h, 0 (unload at once) or -1 (keep loaded)')
          .optional(),
        ollamaHost: z.string().trim().max(limits.name).optional(),
        allowRemoteHost: z.boolean().optional(),
        backupKeep: z.number().int().min(1, 'keep at least one backup').max(100).optional(),
        lockAfterMinutes: z.number().int().min(0).max(1440).optional(),
        notifyDueForecasts: z.boolean().optional(),
        /** Which runtime runs the models: automatic (Ollama when it answers), Ollama, or built-in. */
        runtime: z.enum(['automatic', 'ollama', 'builtin']).optional(),
      })
      .strict(),
  ),

  /**
   * Points Keel at a GGUF model file already on disk, for the built-in runtime: it is checked (a
   * model llama.cpp can read), remembered in settings and listed under its file name.
   */
  useModelFile: call<{ name: string }>()(
    z
      .object({
        path: z
          .string()
          .trim()
          .min(1, 'cannot be empty')
          .max(4096)
          .regex(/\.gguf$/i, 'must be a .gguf model file'),
      })
      .strict(),
  ),

  /**
   * The installed models, with what each can do (chat, embed, think) and its context length, of the
   * runtime in use, or of `runtime` (a space's own runtime).
   */
  listModels: call<ModelInfo[]>()(
    z.object({ runtime: z.enum(['automatic', 'ollama', 'builtin']).optional() }).strict(),
  ),

  /** Sets (or, with null, clears) the models of one space; absent fields stay as they are. */
  setSpaceModels: call<Space>()(
    z
      .object({
        spaceId: idSchema,
        chatModel: modelNameSchema.nullable().optional(),
        embeddingModel: modelNameSchema.nullable().optional(),
        /** The model runtime for this space; null goes back to the global choice. */
        runtime: z.enum(['automatic', 'ollama', 'builtin']).nullable().optional(),
      })
      .strict(),
  ),

  /**
   * Starts downloading a model into Ollama. Resolves at once; progress arrives as `pull.progress`
   * events, the last one `done`, `failed` or `cancelled`. Asking again resumes an interrupted pull.
   */
  pullModel: call<PullProgress>()(z.object({ model: modelNameSchema }).strict()),

  /** Cancels a download in progress (what was downloaded stays, so a later pull resumes). */
  cancelPull: call<PullProgress>()(z.object({ model: modelNameSchema }).strict()),

  /** Keel's catalog of models for its built-in runtime, which are installed, and the one that fits this machine, with why. */
  getModelCatalog: call<ModelCatalog>()(none),

  /**
   * Starts downloading a catalog model for the built-in runtime; called only from the person's click.
   * Resolves at once; progress arrives as `pull.progress` events with `runtime: 'builtin'`, the last
   * one `done`, `failed` or `cancelled`. Asking again resumes an interrupted download.
   */
  downloadModel: call<PullProgress>()(z.object({ id: catalogIdSchema }).strict()),

  /** Cancels a built-in model download (what arrived is kept, so downloading again resumes). */
  cancelModelDownload: call<PullProgress>()(z.object({ id: catalogIdSchema }).strict()),

  /** Loads a model into memory ahead of the first move; `model.warmup` events tell how it goes. */
  warmModel: call<ModelWarmup>()(
    z.object({ model: modelNameSchema.optional(), spaceId: idSchema.optional() }).strict(),
  ),

  /** Checks the model host and the chosen chat model, and says what to do if something is missing. */
  getModelStatus: call<ModelStatus>()(none, { background: true }),
} as const;
