/**
 * The one contract between the workspace and the engine. Every call is listed here once, with the
 * zod schema its input must pass and the type of its result; every event the engine sends is listed
 * in `eventTypes`. The Electron IPC host, the preload bridge, the loopback web host and the
 * workspace's clients are all built by iterating `contract`: no call name is typed anywhere else.
 */
import { z } from 'zod';
import {
  aiMoves,
  idSchema,
  loopLayoutChangeSchema,
  personMoves,
  spaceKinds,
  themes,
  type AppInfo,
  type BackupInfo,
  type ContextUsage,
  type EngineState,
  type ModelCatalog,
  type OutboundRecord,
  type BackgroundProblem,
  type DraftState,
  type DueForecast,
  type DueReview,
  type LedgerRow,
  type LessonProposal,
  type MemoryItem,
  type MemoryOutcome,
  type MemorySuggestion,
  type SearchResult,
  type Source,
  type SourcePassage,
  type Loop,
  type LoopLayout,
  type LoopTemplate,
  type LoopSummary,
  type ModelInfo,
  type ModelStatus,
  type ModelWarmup,
  type PullProgress,
  type Settings,
  type Space,
  type SyncStatus,
  type Turn,
} from './domain';
import {
  forecastOutcomes,
  memoryKinds,
  memoryScopeSchema,
  memorySources,
  searchKinds,
  sourceFormats,
  sourceLoopStates,
  steeringStates,
} from './domain';
import type { SourceProgress } from './domain';
import type { Result } from './errors';

/** Size limits on every input: a person never types more; anything larger is a mistake or an attack. */
export const limits = {
  name: 200,
  turnText: 100_000,
  intentField: 20_000,
  steer: 2_000,
  draft: 500_000,
  decisionField: 20_000,
  modelName: 200,
  /** The largest request body the web host accepts for a call, in bytes (files travel as uploads). */
  requestBytes: 1_000_000,
  /** A call that carries pasted text (`addSource`): its characters as escaped JSON, well below V8's largest string. */
  textRequestBytes: 16_000_000,
  passphrase: 1_024,
  memoryText: 4_000,
  /** The largest archive Keel receives and imports, in bytes (as uploaded, compressed). */
  archiveBytes: 1024 * 1024 * 1024,
  /** The most an archive may unpack to, all its files together, in bytes. */
  archiveUnpackedBytes: 4 * 1024 * 1024 * 1024,
  /** The most files an archive may hold (a plain zip's own limit is 65,535). */
  archiveEntries: 65_000,
  /** The largest source file Keel reads, in bytes. */
  sourceBytes: 50 * 1024 * 1024,
  /** The longest pasted text kept as a source, in characters. */
  sourceText: 2_000_000,
  /** The longest link address Keel opens outside itself. */
  linkUrl: 2_048,
} as const;

/** An upload's id as the engine gives it (`up-` and 22 random characters). */
const uploadIdSchema = z.string().regex(/^up-[A-Za-z0-9_-]{22}$/, 'is not an upload Keel gave');

const nameSchema = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(limits.name, `must be at most ${limits.name} characters`);

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

const intentInputSchema = z.object({
  goal: z.string().max(limits.intentField).optional(),
  context: z.string().max(limits.intentField).optional(),
  constraints: z.string().max(limits.intentField).optional(),
  goodLooksLike: z.string().max(limits.intentField).optional(),
});

const dateInputSchema = z
  .string()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, 'must be a date like 2027-03-31')
  .default('');

/** A probability the person states: a whole percentage from 1 to 99 (certainty cannot be scored). */
const probabilitySchema = z
  .number()
  .int('must be a whole percentage')
  .min(1, 'must be at least 1 %')
  .max(99, 'must be at most 99 %');

export const forecastInputSchema = z
  .object({
    statement: z.string().trim().min(1, 'cannot be empty: say what you expect').max(limits.decisionField),
    probability: probabilitySchema,
    resolveBy: dateInputSchema,
    criteria: z.string().trim().max(limits.decisionField).default(''),
  })
  .strict();

const decisionInputSchema = z.object({
  choice: z.string().trim().min(1, 'cannot be empty: say what you chose').max(limits.decisionField),
  rationale: z.string().max(limits.decisionField).default(''),
  optionsSetAside: z.string().max(limits.decisionField).default(''),
  confidence: z.number().int('must be a whole percentage').min(0).max(100),
  prediction: z.string().max(limits.decisionField).default(''),
  reviewDate: dateInputSchema,
  /** The forecasts the decision rests on, each to be resolved and scored later. */
  forecasts: z.array(forecastInputSchema).max(20, 'at most 20 forecasts').default([]),
});

/** A call's specification: its input schema, and its result type carried as a phantom. */
export interface CallSpec<I extends z.ZodType, R> {
  readonly input: I;
  readonly result?: R;
}

function call<R>() {
  return <I extends z.ZodType>(input: I): CallSpec<I, R> => ({ input });
}

const none = z.object({}).strict();

/** A model's id in Keel's catalog of built-in models. */
const catalogIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,80}$/, "is not a model in Keel's catalog");

export const contract = {
  /** Facts about this installation: version, data folder, model host and which shell runs the workspace. */
  getAppInfo: call<AppInfo>()(none),

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

  /** Whether the workspace is open, locked (encrypted, waiting for the passphrase) or damaged. */
  getEngineState: call<EngineState>()(none),

  /** Unlocks encrypted data with the passphrase; a wrong one changes nothing. */
  unlock: call<EngineState>()(z.object({ passphrase: z.string().min(1).max(limits.passphrase) }).strict()),

  /** Locks now: the keys are forgotten until the passphrase is given again. */
  lock: call<EngineState>()(none),

  /**
   * Turns encryption on with a passphrase, or changes it (then the current one is asked for): a
   * new key is made and every file re-encrypted, with no moment when data could be lost.
   */
  setPassphrase: call<EngineState>()(
    z
      .object({
        passphrase: z
          .string()
          .min(8, 'must be at least 8 characters; a few unrelated words make a good one')
          .max(limits.passphrase),
        currentPassphrase: z.string().max(limits.passphrase).optional(),
      })
      .strict(),
  ),

  /** Turns encryption off: every file is written plain again. Asks for the passphrase. */
  removePassphrase: call<EngineState>()(
    z.object({ currentPassphrase: z.string().min(1).max(limits.passphrase) }).strict(),
  ),

  /** The backups of the data folder, newest first. */
  listBackups: call<BackupInfo[]>()(none),

  /** Makes a backup of the data folder now. */
  backupNow: call<BackupInfo>()(none),

  /**
   * Restores a backup: the whole data folder, or with `loopId` only that loop's file. What is
   * replaced is backed up first, so a restore can itself be undone.
   */
  restoreBackup: call<EngineState>()(
    z.object({ backupId: z.string().max(100), loopId: idSchema.optional() }).strict(),
  ),

  /** Memories, filtered by space (its own and everywhere), kind, source and words; newest revised first. */
  listMemories: call<MemoryItem[]>()(
    z
      .object({
        spaceId: idSchema.optional(),
        kind: z.enum(memoryKinds).optional(),
        source: z.enum(memorySources).optional(),
        query: z.string().trim().max(limits.name).optional(),
      })
      .strict(),
  ),

  /** One memory, with its history and where it was used. */
  getMemory: call<MemoryItem>()(z.object({ memoryId: idSchema }).strict()),

  /**
   * Remembers something the person said outright (or a pattern they kept). It is consolidated: a
   * repeat merges into the item it repeats, a contradiction supersedes the old text (kept in history).
   */
  remember: call<MemoryOutcome>()(
    z
      .object({
        text: z.string().trim().min(1, 'cannot be empty').max(limits.memoryText),
        kind: z.enum(memoryKinds).optional(),
        scope: memoryScopeSchema,
        source: z.enum(['said', 'pattern', 'steering']).optional(),
        loopId: idSchema.optional(),
        turnId: idSchema.optional(),
        /** Accepting a suggestion from steering feedback: it is then removed from the suggestions. */
        suggestionId: z.string().max(100).optional(),
      })
      .strict(),
  ),

  /** Edits a memory (its earlier text stays in history), pins or unpins it, or changes its kind or scope. */
  updateMemory: call<MemoryItem>()(
    z
      .object({
        memoryId: idSchema,
        text: z.string().trim().min(1, 'cannot be empty').max(limits.memoryText).optional(),
        kind: z.enum(memoryKinds).optional(),
        scope: memoryScopeSchema.optional(),
        pinned: z.boolean().optional(),
      })
      .strict(),
  ),

  /** Forgets a memory: the item and its vector are deleted from the data folder for good. */
  forgetMemory: call<{ forgotten: string }>()(z.object({ memoryId: idSchema }).strict()),

  /** Says a memory was not relevant to a turn; it then ranks lower for similar requests. */
  markMemoryNotRelevant: call<MemoryItem>()(
    z.object({ memoryId: idSchema, loopId: idSchema, turnId: idSchema }).strict(),
  ),

  /** Asks the AI to propose lessons from a loop (structured output); nothing is stored yet. */
  proposeLessons: call<LessonProposal[]>()(z.object({ loopId: idSchema }).strict()),

  /** Keeps one proposed lesson (as proposed or edited by the person) as a memory. */
  acceptLesson: call<MemoryOutcome>()(
    z
      .object({
        loopId: idSchema,
        kind: z.enum(memoryKinds),
        text: z.string().trim().min(1, 'cannot be empty').max(limits.memoryText),
        scope: z.enum(['everywhere', 'space', 'loop']),
        turnIds: z.array(idSchema).max(100),
      })
      .strict(),
  ),

  /** Decisions whose review date has come and that have no review yet. */
  listDueReviews: call<DueReview[]>()(none),

  /** Preferences Keel noticed in how the person sets turns aside, waiting to be accepted or dismissed. */
  listMemorySuggestions: call<MemorySuggestion[]>()(none),

  /** Dismisses a suggestion; it does not come back for the same reasons. */
  dismissMemorySuggestion: call<{ dismissed: string }>()(
    z.object({ suggestionId: z.string().max(100) }).strict(),
  ),

  /**
   * Searches everything: loops (title and intent), turns, drafts, decisions and memories, best
   * first, with optional filters by space, kind and date (`YYYY-MM-DD`, inclusive).
   */
  search: call<SearchResult[]>()(
    z
      .object({
        query: z.string().trim().min(1, 'cannot be empty').max(limits.name),
        spaceId: idSchema.optional(),
        kinds: z.array(z.enum(searchKinds)).max(searchKinds.length).optional(),
        from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-01')
          .optional(),
        to: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-30')
          .optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
  ),

  /**
   * Adds one of the person's documents (`file`: the id an upload of its bytes returned) or pasted text to a space, or to one loop of
   * it. It is read on this machine, cut into passages located by page or section, indexed, and a
   * copy kept in the data folder. Resolves once it is in; `source.progress` events (with the
   * caller's `uploadId`) tell how a large file goes. A file that cannot be read fails with
   * `source-unreadable` and a message naming it and why. The same file added again is not copied
   * twice: the result says it was already there.
   */
  addSource: call<{ source: Source; alreadyAdded: boolean }>()(
    z
      .object({
        spaceId: idSchema,
        loopId: idSchema.optional(),
        fileName: nameSchema,
        /** Guessed from the file name when absent. */
        format: z.enum(sourceFormats).optional(),
        mimeType: z.string().max(limits.name).optional(),
        file: uploadIdSchema.optional(),
        text: z.string().max(limits.sourceText, `must be at most ${limits.sourceText} characters`).optional(),
        uploadId: z.string().max(100).optional(),
      })
      .strict()
      .refine((input) => (input.file === undefined) !== (input.text === undefined), {
        message: 'needs either the file or the pasted text',
        path: ['file'],
      }),
  ),

  /**
   * The sources of a space (with `loopId`: those a loop can draw from, its space's and its own),
   * oldest first.
   */
  listSources: call<Source[]>()(z.object({ spaceId: idSchema, loopId: idSchema.optional() }).strict()),

  /** A source's passages in order, for reading it at a place. */
  readSource: call<{ source: Source; passages: SourcePassage[] }>()(
    z.object({ sourceId: idSchema }).strict(),
  ),

  /** The original file as it was added (base64), to open it in another application. */
  getSourceFile: call<{ fileName: string; mimeType: string; base64: string }>()(
    z.object({ sourceId: idSchema }).strict(),
  ),

  /** Renames a source (what Keel and the citations call it; the copy of the file is unchanged). */
  renameSource: call<Source>()(z.object({ sourceId: idSchema, name: nameSchema }).strict()),

  /**
   * Removes a source for good: its copy, passages and vectors are deleted from the data folder and
   * its backups, it leaves the index, and turns that cited it keep only "a removed source".
   */
  removeSource: call<{ removed: string }>()(z.object({ sourceId: idSchema }).strict()),

  /** Pins a source to a loop (always in context when it fits), leaves it out of the loop, or neither. */
  setSourceInLoop: call<Source>()(
    z.object({ sourceId: idSchema, loopId: idSchema, state: z.enum(sourceLoopStates) }).strict(),
  ),

  /**
   * Starts syncing a space through a CouchDB-protocol server the person runs: everything of the
   * space is sealed on this computer with a key from the sync passphrase before it is sent.
   */
  setUpSync: call<SyncStatus>()(
    z
      .object({
        spaceId: idSchema,
        url: z.string().trim().min(1).max(2000),
        database: z.string().trim().min(1).max(200),
        username: z.string().max(limits.name).optional(),
        password: z.string().max(1000).optional(),
        passphrase: z.string().min(1).max(1000),
      })
      .strict(),
  ),

  /** Joins a space another computer syncs, with the same server, database, credentials and passphrase. */
  joinSync: call<SyncStatus>()(
    z
      .object({
        url: z.string().trim().min(1).max(2000),
        database: z.string().trim().min(1).max(200),
        username: z.string().max(limits.name).optional(),
        password: z.string().max(1000).optional(),
        passphrase: z.string().min(1).max(1000),
      })
      .strict(),
  ),

  /** Where a space's sync stands (`off` when it does not sync). */
  getSyncStatus: call<SyncStatus>()(z.object({ spaceId: idSchema }).strict()),

  /** Every space that syncs, with its server: what the Privacy page lists. */
  listSync: call<SyncStatus[]>()(none),

  /** Pauses a space's sync (nothing goes out or comes in) or resumes it. */
  pauseSync: call<SyncStatus>()(z.object({ spaceId: idSchema, paused: z.boolean() }).strict()),

  /** Stops syncing a space and forgets its server and credentials; the space stays on this computer. */
  leaveSync: call<SyncStatus>()(z.object({ spaceId: idSchema }).strict()),

  /** Every request Keel sent (or refused to send) over the network since it started. */
  getOutboundLog: call<OutboundRecord[]>()(none),

  /** The recent failures of background work (backups, indexing, vectors), newest first. */
  getBackgroundProblems: call<BackgroundProblem[]>()(none),

  /** The whole data folder as one archive (encrypted files stay encrypted), base64-encoded. */
  exportArchive: call<ArchiveDownload>()(none),

  /**
   * Replaces the data folder with an archive made by `exportArchive` (`file`: the id its upload
   * returned). The archive is checked whole first; only then is the current data backed up (that
   * backup is never pruned) and replaced. Refused while locked; encrypted data is replaced only with
   * its passphrase. An encrypted archive opens locked, with its own passphrase. Settings that decide
   * where data goes or what is trusted keep the person's values; the archive's differing ones wait
   * in `EngineState.importedSettings` until `settleImportedSettings`.
   */
  importArchive: call<EngineState>()(
    z
      .object({ file: uploadIdSchema, currentPassphrase: z.string().max(limits.passphrase).optional() })
      .strict(),
  ),

  /** Takes the imported archive's settings (`adopt: true`) or keeps the current ones; either way the question closes. */
  settleImportedSettings: call<EngineState>()(z.object({ adopt: z.boolean() }).strict()),

  /** The installed models, with what each can do (chat, embed, think) and its context length. */
  listModels: call<ModelInfo[]>()(none),

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

  /**
   * Desktop only (the window's main process answers it): the system's open dialog for a GGUF file,
   * then `useModelFile` with the chosen path. Null when the person closes the dialog.
   */
  chooseModelFile: call<{ name: string } | null>()(none),

  /** Loads a model into memory ahead of the first move; `model.warmup` events tell how it goes. */
  warmModel: call<ModelWarmup>()(
    z.object({ model: modelNameSchema.optional(), spaceId: idSchema.optional() }).strict(),
  ),

  /** How full the model's context will be if this loop asks for a move now. */
  getContextUsage: call<ContextUsage>()(z.object({ loopId: idSchema }).strict()),

  /** Checks the model host and the chosen chat model, and says what to do if something is missing. */
  getModelStatus: call<ModelStatus>()(none),

  /** Lists spaces, oldest first; archived ones only when asked. */
  listSpaces: call<Space[]>()(z.object({ includeArchived: z.boolean().optional() }).strict()),

  /** Creates a space: a client, a plan, a journal, or a general space. */
  createSpace: call<Space>()(
    z
      .object({
        name: nameSchema,
        kind: z.enum(spaceKinds).optional(),
        description: z.string().max(limits.intentField).optional(),
      })
      .strict(),
  ),

  /** Renames a space. */
  renameSpace: call<Space>()(z.object({ spaceId: idSchema, name: nameSchema }).strict()),

  /** Archives a space (hidden from the sidebar, nothing deleted) or brings it back. */
  archiveSpace: call<Space>()(z.object({ spaceId: idSchema, archived: z.boolean() }).strict()),

  /** Lists loops, newest activity first, of one space or of all; archived ones only when asked. */
  listLoops: call<LoopSummary[]>()(
    z.object({ spaceId: idSchema.optional(), includeArchived: z.boolean().optional() }).strict(),
  ),

  /** Starts a loop in a space, optionally with its intent already framed. */
  createLoop: call<Loop>()(
    z
      .object({
        spaceId: idSchema,
        title: nameSchema,
        intent: intentInputSchema.optional(),
        /** A template's id: its intent fills what `intent` leaves out and its first move is suggested. */
        templateId: z.string().max(limits.name).optional(),
      })
      .strict(),
  ),

  /** Opens a loop: its intent, timeline and draft. */
  getLoop: call<Loop>()(z.object({ loopId: idSchema }).strict()),

  /** Renames a loop. */
  renameLoop: call<LoopSummary>()(z.object({ loopId: idSchema, title: nameSchema }).strict()),

  /** Archives a loop (nothing deleted) or brings it back. */
  archiveLoop: call<LoopSummary>()(z.object({ loopId: idSchema, archived: z.boolean() }).strict()),

  /** Replaces the loop's intent (every field the person left out is kept as it was). */
  updateIntent: call<Loop>()(z.object({ loopId: idSchema, intent: intentInputSchema }).strict()),

  /**
   * Keeps how the person arranged the loop on screen (draft width, draft or intent folded): the
   * parts given replace those kept, the others stay; a null width puts the default back. Resolves
   * with the whole layout once it is on disk.
   */
  setLoopLayout: call<LoopLayout>()(z.object({ loopId: idSchema, layout: loopLayoutChangeSchema }).strict()),

  /** Adds the person's own turn to the timeline. Resolves once it is saved to disk. */
  addTurn: call<Turn>()(
    z
      .object({
        loopId: idSchema,
        text: z.string().trim().min(1, 'cannot be empty').max(limits.turnText),
        move: z.enum(personMoves).optional(),
      })
      .strict(),
  ),

  /**
   * Asks the AI for one move. Resolves at once with the new AI turn (status `streaming`); its text
   * then arrives as `turn.delta` events and it ends with one `turn.finished` event.
   */
  requestMove: call<Turn>()(
    z
      .object({
        loopId: idSchema,
        move: z.enum(aiMoves),
        steer: z.string().trim().max(limits.steer).optional(),
        /** For a challenge: the decision the person is about to record, so it is what gets challenged. */
        decision: decisionInputSchema.partial().optional(),
        /** For patterns: the period of journal entries to look across (`YYYY-MM-DD`, inclusive). */
        period: z
          .object({
            from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-01'),
            to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-30'),
          })
          .optional(),
      })
      .strict(),
  ),

  /**
   * Asks for the same move again (optionally with a steer); the new version streams like any move and
   * the earlier versions stay reachable. Resolves with the new version.
   */
  regenerateTurn: call<Turn>()(
    z
      .object({ loopId: idSchema, turnId: idSchema, steer: z.string().trim().max(limits.steer).optional() })
      .strict(),
  ),

  /** Keeps one version of a regenerated move: it is the one shown and sent to the model. Resolves with it. */
  chooseVersion: call<Turn>()(z.object({ loopId: idSchema, turnId: idSchema }).strict()),

  /**
   * Steers an AI turn: keep it, set it aside (with an optional reason; it leaves the model's
   * context), pin it (it always stays in context), or clear the steering with null.
   */
  steerTurn: call<Turn>()(
    z
      .object({
        loopId: idSchema,
        turnId: idSchema,
        state: z.enum(steeringStates).nullable(),
        reason: z.string().trim().max(limits.steer).optional(),
      })
      .strict(),
  ),

  /** Replaces an AI turn's text with the person's edit; the turn is marked as edited and the original kept. */
  editTurn: call<Turn>()(
    z
      .object({
        loopId: idSchema,
        turnId: idSchema,
        text: z.string().trim().min(1, 'cannot be empty').max(limits.turnText),
      })
      .strict(),
  ),

  /** Saves the draft as the person wrote it; with `keepVersion`, also keeps it as a version to go back to. */
  saveDraft: call<DraftState>()(
    z
      .object({
        loopId: idSchema,
        text: z.string().max(limits.draft, `must be at most ${limits.draft} characters`),
        keepVersion: z.boolean().optional(),
        note: z.string().trim().max(limits.name).optional(),
      })
      .strict(),
  ),

  /** Brings back an earlier version of the draft; the draft it replaces is kept as a version first. */
  restoreDraftVersion: call<DraftState>()(z.object({ loopId: idSchema, versionId: idSchema }).strict()),

  /**
   * Takes some hunks of a refine's proposal into the draft (all of them, some, or with an empty list
   * none). The draft before is kept as a version.
   */
  applyRefine: call<DraftState & { turn: Turn }>()(
    z
      .object({
        loopId: idSchema,
        turnId: idSchema,
        hunks: z.array(z.number().int().nonnegative()).max(10_000),
      })
      .strict(),
  ),

  /** Records the person's decision. Only this call writes a decision, and only the person makes it. */
  recordDecision: call<Loop>()(decisionInputSchema.extend({ loopId: idSchema }).strict()),

  /** Changes a forecast's probability before it resolves, with the reason; the history is kept. Only the person's call. */
  updateForecast: call<Loop>()(
    z
      .object({
        loopId: idSchema,
        forecastId: idSchema,
        probability: probabilitySchema,
        reason: z.string().trim().min(1, 'cannot be empty: say what changed').max(limits.decisionField),
      })
      .strict(),
  ),

  /**
   * Resolves a decision in one form, as the person wrote it: each forecast they settle (yes, no or
   * ambiguous, left out of scores, with a note) and the outcome review (what happened, what was
   * learned), which is written once; the lesson is kept as a memory when the person asks. Every
   * part is written together or none is. Only the person's call.
   */
  resolveDecision: call<{ loop: Loop; memory?: MemoryOutcome }>()(
    z
      .object({
        loopId: idSchema,
        /** Which decision of the loop (its `decidedAt`); the current one when absent. */
        decidedAt: z.string().max(40).optional(),
        resolutions: z
          .array(
            z
              .object({
                forecastId: idSchema,
                outcome: z.enum(forecastOutcomes),
                note: z.string().trim().max(limits.decisionField).default(''),
              })
              .strict(),
          )
          .max(20, 'at most 20 forecasts')
          .default([]),
        review: z
          .object({
            outcome: z.string().trim().min(1, 'cannot be empty: say what happened').max(limits.decisionField),
            lesson: z.string().trim().max(limits.memoryText).default(''),
            /** Keep the lesson as a memory of the decision's space (when there is one). */
            keepLesson: z.boolean().default(true),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),

  /** Grades a decision's process apart from its outcome ("good call, bad luck"). Only the person's call. */
  gradeDecision: call<Loop>()(
    z
      .object({
        loopId: idSchema,
        /** Which decision of the loop (its `decidedAt`); the current one when absent. */
        decidedAt: z.string().max(40).optional(),
        process: z.enum(['good', 'poor']),
        outcome: z.enum(['good', 'bad']),
        note: z.string().trim().max(limits.decisionField).default(''),
      })
      .strict(),
  ),

  /**
   * Every decision across the spaces with its forecasts, from the catalog alone (no loop file is
   * read once the ledger has indexed them); the page scores and filters them itself.
   */
  getLedger: call<LedgerRow[]>()(none),

  /** Reopens a decided loop; its decision stays in the loop's history. */
  reopenLoop: call<Loop>()(z.object({ loopId: idSchema }).strict()),

  /** The built-in templates and the person's own. */
  listTemplates: call<LoopTemplate[]>()(none),

  /** Saves a loop's framing (its intent and a first move) as the person's own template. */
  saveTemplate: call<LoopTemplate>()(
    z
      .object({
        loopId: idSchema,
        name: nameSchema,
        description: z.string().trim().max(limits.intentField).optional(),
        firstMove: z.enum(aiMoves).optional(),
      })
      .strict(),
  ),

  /** Deletes one of the person's own templates (the built-in ones stay). */
  deleteTemplate: call<{ deleted: string }>()(z.object({ templateId: idSchema }).strict()),

  /**
   * A loop as a document: the intent, the draft, the decision and, if asked, the timeline, in
   * Markdown or Word. The bytes come back base64-encoded with a file name to save them under.
   */
  exportLoop: call<{ fileName: string; mimeType: string; base64: string }>()(
    z
      .object({
        loopId: idSchema,
        format: z.enum(['markdown', 'docx']),
        includeTimeline: z.boolean().optional(),
      })
      .strict(),
  ),

  /**
   * Opens a link from an answer in the person's browser or mail program, once the workspace has
   * shown the full address and the person confirmed it. Only http, https and mailto. The desktop
   * window answers this call (its main process checks the address again); the engine does not.
   */
  openExternal: call<{ opened: string }>()(
    z
      .object({ url: z.string().min(1, 'cannot be empty').max(limits.linkUrl, 'is too long to open') })
      .strict(),
  ),

  /** Stops an AI move that is still streaming; the text so far is kept and the turn marked stopped. */
  stopMove: call<Turn>()(z.object({ loopId: idSchema, turnId: idSchema }).strict()),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export const callNames = Object.keys(contract) as CallName[];

/** What a caller passes (before defaults and trimming). */
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
/** What the engine receives once the input passed its schema. */
export type CallArgs<N extends CallName> = z.output<Contract[N]['input']>;
export type CallResult<N extends CallName> = Contract[N] extends CallSpec<z.ZodType, infer R> ? R : never;

/** Calls that work without an open workspace (while locked or damaged): app facts, the vault, backups, the archive. */
export const engineCalls = [
  'getAppInfo',
  'getEngineState',
  'unlock',
  'lock',
  'setPassphrase',
  'removePassphrase',
  'listBackups',
  'backupNow',
  'restoreBackup',
  'getOutboundLog',
  'getBackgroundProblems',
  'exportArchive',
  'importArchive',
  'settleImportedSettings',
  'openExternal',
  'chooseModelFile',
] as const satisfies readonly CallName[];
export type EngineCall = (typeof engineCalls)[number];
export type WorkspaceCall = Exclude<CallName, EngineCall>;

/** Whether a call needs the open workspace (every call but `engineCalls`). */
export function needsWorkspace(name: CallName): name is WorkspaceCall {
  return !(engineCalls as readonly CallName[]).includes(name);
}

/** Calls a page makes on its own (status checks): they are not the person at work, so the idle lock ignores them. */
const backgroundCalls: readonly string[] = [
  'getAppInfo',
  'getEngineState',
  'getModelStatus',
  'getOutboundLog',
  'getBackgroundProblems',
] satisfies readonly CallName[];

export function isBackgroundCall(name: string): boolean {
  return backgroundCalls.includes(name);
}

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** Every event the engine sends to the workspace. */
export interface KeelEventMap {
  /** An AI move began: the turn exists (status `streaming`) and is saved. */
  'turn.started': { loopId: string; turn: Turn };
  /** More text of a streaming AI turn: `text` and `thinking` are appended to what came before. */
  'turn.delta': { loopId: string; turnId: string; text: string; thinking?: string };
  /** An AI move ended (complete, stopped or failed) and its final turn is saved. */
  'turn.finished': { loopId: string; turn: Turn };
  /** The model connection changed. */
  'model.status': { status: ModelStatus };
  /** A model download moved on (at most a few times a second). */
  'pull.progress': { progress: PullProgress };
  /** A model is loading into memory, or finished loading. */
  'model.warmup': { warmup: ModelWarmup };
  /** The workspace opened, locked, or found a damaged file. */
  'engine.state': { state: EngineState };
  /** A source being added moved on (reading pages, indexing, embedding). */
  'source.progress': { progress: SourceProgress };
  /** Forecasts came due to be resolved (each once a session); the desktop shell may notify. */
  'forecasts.due': { forecasts: DueForecast[] };
  /** A space's sync moved on: its status, and the loops another computer changed (to show them again). */
  'sync.status': { status: SyncStatus; loopIds: string[] };
}
export type KeelEventType = keyof KeelEventMap;
/** Every event type, as a record so the compiler insists each one of `KeelEventMap` is listed. */
const eventTypeSet: Record<KeelEventType, true> = {
  'turn.started': true,
  'turn.delta': true,
  'turn.finished': true,
  'model.status': true,
  'pull.progress': true,
  'model.warmup': true,
  'engine.state': true,
  'source.progress': true,
  'forecasts.due': true,
  'sync.status': true,
};
export const eventTypes = Object.keys(eventTypeSet) as readonly KeelEventType[];
export type KeelEvent = { [T in KeelEventType]: { type: T } & KeelEventMap[T] }[KeelEventType];
export type KeelEventListener = (event: KeelEvent) => void;

/**
 * The workspace's view of the engine: one method per call, each resolving to a `Result`, and one
 * way to listen to events. `window.keel` (desktop) and the web client both implement it.
 */
export type KeelApi = { [N in CallName]: (input: CallInput<N>) => Promise<Result<CallResult<N>>> } & {
  onEvent(listener: KeelEventListener): () => void;
  /**
   * Sends a file's bytes to the engine as bytes (never as text inside a call), for `importArchive`
   * (`purpose: 'archive'`) or `addSource` (`'source'`). The id it returns is good for one call, soon.
   */
  upload(data: Blob | ArrayBuffer, purpose: UploadPurpose): Promise<Result<UploadReceipt>>;
  /**
   * The bytes of a file the engine made for the person (`exportArchive`'s `file`), as bytes, never
   * as text inside a call. Good once, soon after the call that made it.
   */
  download(file: string): Promise<Result<Blob>>;
};

/** An archive of the data folder, waiting for `download(file)`. */
export interface ArchiveDownload {
  fileName: string;
  mimeType: string;
  /** The id `download` takes. */
  file: string;
  bytes: number;
}

/** A download's id as the engine gives it (`dl-` and 22 random characters). */
export const downloadIdPattern = /^dl-[A-Za-z0-9_-]{22}$/;

/** What an upload is for; each has its own size limit. */
export const uploadPurposes = ['archive', 'source'] as const;
export type UploadPurpose = (typeof uploadPurposes)[number];
export interface UploadReceipt {
  /** The id to pass as `file`. */
  file: string;
  bytes: number;
}
/** The most bytes an upload for each purpose may carry. */
export const uploadLimits: Record<UploadPurpose, number> = {
  archive: limits.archiveBytes,
  source: limits.sourceBytes,
};
/** The IPC channel of the desktop window's upload (bytes, never base64). */
export const ipcUploadChannel = 'keel:upload';
/** The IPC channel of the desktop window's download of a file the engine made (bytes, never base64). */
export const ipcDownloadChannel = 'keel:download';

/** The engine's side: one handler per call, receiving validated input and throwing `KeelError`s. */
export type KeelHandlers = { [N in CallName]: (input: CallArgs<N>) => Promise<CallResult<N>> };

/** The name of the IPC channel that carries one call (generated, never typed by hand). */
export function ipcChannel(name: CallName): string {
  return `keel:call:${name}`;
}
export const ipcEventChannel = 'keel:event';
