/**
 * Keel's domain, in the product's own words (see DESIGN.md): spaces hold loops; a loop has an
 * intent, a timeline of turns, a draft and (once the person decides) a decision. The schemas are
 * the single definition: the engine validates every file it reads with them and the types are
 * inferred from them.
 */
import { z } from 'zod';

export const personMoves = ['frame', 'say', 'steer', 'edit', 'decide', 'learn'] as const;
/** `patterns` looks across a journal's entries of a period; it belongs to journal spaces. */
export const aiMoves = ['explore', 'challenge', 'synthesize', 'ask', 'refine', 'patterns'] as const;
export const moves = [...personMoves, ...aiMoves] as const;
export type PersonMove = (typeof personMoves)[number];
export type AiMove = (typeof aiMoves)[number];
export type Move = (typeof moves)[number];
export function isAiMove(move: Move): move is AiMove {
  return (aiMoves as readonly string[]).includes(move);
}

export const spaceKinds = ['client', 'plan', 'journal', 'general'] as const;
export type SpaceKind = (typeof spaceKinds)[number];

/** Ids are opaque strings made by the engine; the pattern keeps them safe as file names. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must be an id made by Keel (lowercase letters, digits and dashes)');

const isoDate = z.string().min(10).max(40);

export const spaceSchema = z.object({
  id: idSchema,
  name: z.string(),
  kind: z.enum(spaceKinds),
  description: z.string().default(''),
  archived: z.boolean(),
  /** Models for this space only; absent means the global choice in settings. */
  chatModel: z.string().optional(),
  /** The model runtime for this space only; absent means the global choice in settings. */
  runtime: z.enum(['automatic', 'ollama', 'builtin']).optional(),
  embeddingModel: z.string().optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Space = z.infer<typeof spaceSchema>;

export const loopStages = ['frame', 'explore', 'challenge', 'refine', 'decide', 'learn'] as const;
export type LoopStage = (typeof loopStages)[number];

/** How a forecast resolved, by the person: `ambiguous` ones are kept but left out of every score. */
export const forecastOutcomes = ['yes', 'no', 'ambiguous'] as const;
export type ForecastOutcome = (typeof forecastOutcomes)[number];

/** A later probability the person gave a forecast before it resolved, and why. */
export const forecastUpdateSchema = z.object({
  probability: z.number().int().min(1).max(99),
  reason: z.string(),
  at: isoDate,
});
export type ForecastUpdate = z.infer<typeof forecastUpdateSchema>;

/**
 * A statement about the future the person can score later: a probability (1–99 %), a date by
 * which it resolves and the words that say how. Only the person writes, updates or resolves one.
 */
export const forecastSchema = z.object({
  id: idSchema,
  statement: z.string(),
  /** The first probability (the gut call), kept as it was whatever the updates say. */
  probability: z.number().int().min(1).max(99),
  /** `YYYY-MM-DD`, or empty when the person set none. */
  resolveBy: z.string(),
  /** What makes it resolve yes ("churn in Q3 under 3 % in the board pack"). */
  criteria: z.string(),
  createdAt: isoDate,
  updates: z.array(forecastUpdateSchema),
  resolution: z.object({ outcome: z.enum(forecastOutcomes), note: z.string(), at: isoDate }).optional(),
});
export type Forecast = z.infer<typeof forecastSchema>;

/** The person's grading of a decision, process apart from outcome ("good call, bad luck"). */
export const decisionGradeSchema = z.object({
  process: z.enum(['good', 'poor']),
  outcome: z.enum(['good', 'bad']),
  note: z.string(),
  at: isoDate,
});
export type DecisionGrade = z.infer<typeof decisionGradeSchema>;

/** The person's decision. Only the person writes it: no AI move has a way to create or change one. */
export const decisionSchema = z.object({
  choice: z.string(),
  rationale: z.string(),
  optionsSetAside: z.string(),
  /** 0–100: how sure the person is. */
  confidence: z.number().int().min(0).max(100),
  /** What the person expects to happen, so it can be compared with what did. */
  prediction: z.string(),
  /** `YYYY-MM-DD`, or empty when the person set none. */
  reviewDate: z.string(),
  decidedAt: isoDate,
  /** Set when the loop was reopened after this decision. */
  reopenedAt: isoDate.optional(),
  /**
   * What happened and what was learned, written by the person in the same form as the forecasts'
   * resolutions (reviews recorded before that form also said how it went against the prediction).
   */
  review: z
    .object({
      outcome: z.string(),
      /** How it went against the prediction and the confidence (reviews of the old, separate form). */
      comparedWithPrediction: z.enum(['better', 'as-predicted', 'worse']).optional(),
      /** Empty when the person wrote no lesson. */
      lesson: z.string(),
      reviewedAt: isoDate,
      memoryId: z.string().optional(),
    })
    .optional(),
  /** The forecasts the decision rests on, in the order written. */
  forecasts: z.array(forecastSchema),
  grade: decisionGradeSchema.optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

/**
 * What the ledger lists of one decision, kept in the catalog beside its loop so the ledger page
 * never opens a loop file. Long texts are cut; the loop file holds them whole.
 */
export const ledgerEntrySchema = z.object({
  choice: z.string(),
  confidence: z.number().int().min(0).max(100),
  decidedAt: isoDate,
  reviewDate: z.string(),
  /** Set when the loop was reopened after it (a past decision). */
  reopenedAt: isoDate.optional(),
  reviewed: z.boolean(),
  /** What happened and what was learned (cut), once the person wrote the outcome review. */
  review: z.object({ outcome: z.string(), lesson: z.string(), at: isoDate }).optional(),
  grade: decisionGradeSchema.optional(),
  /** Each forecast with its updates and their reasons (cut), so the page shows the history. */
  forecasts: z.array(forecastSchema),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** What the catalog knows of a loop: enough to list it without opening its file. */
export const loopSummarySchema = z.object({
  id: idSchema,
  spaceId: idSchema,
  title: z.string(),
  archived: z.boolean(),
  stage: z.enum(loopStages),
  turnCount: z.number().int().nonnegative(),
  decided: z.boolean(),
  /** The decision's review date (`YYYY-MM-DD`) while its review is not recorded yet. */
  reviewDue: z.string().optional(),
  /** The loop's decisions (past ones first) as the ledger lists them; absent until the ledger indexed the loop. */
  ledger: z.array(ledgerEntrySchema).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type LoopSummary = z.infer<typeof loopSummarySchema>;

/** What the person is trying to achieve. Every part is optional but prompted. */
export const intentSchema = z.object({
  goal: z.string().default(''),
  context: z.string().default(''),
  constraints: z.string().default(''),
  goodLooksLike: z.string().default(''),
});
export type Intent = z.infer<typeof intentSchema>;

/** How the person steered an AI turn. Set-aside turns leave the model's context; pinned ones always stay in it. */
export const steeringStates = ['kept', 'set-aside', 'pinned'] as const;
export type SteeringState = (typeof steeringStates)[number];

export const steeringSchema = z.object({
  state: z.enum(steeringStates),
  /** Why the person set it aside ("too generic", "wrong market"), when they said. */
  reason: z.string().optional(),
  at: isoDate,
});
export type Steering = z.infer<typeof steeringSchema>;

export const turnStatuses = ['streaming', 'complete', 'stopped', 'failed', 'interrupted'] as const;
export type TurnStatus = (typeof turnStatuses)[number];

export const turnErrorSchema = z.object({ code: z.string(), message: z.string() });

/** Figures Ollama reports at the end of a reply (durations already in milliseconds). */
export const turnStatsSchema = z.object({
  promptTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  totalMs: z.number().optional(),
  loadMs: z.number().optional(),
  numCtx: z.number().optional(),
  doneReason: z.string().optional(),
  /** How many of the oldest turns were left out so the prompt fits the model's context. */
  omittedTurns: z.number().optional(),
  /**
   * Ollama's silent cut, detected: `prompt` when it counted far fewer prompt tokens than were sent
   * (the front of the prompt was dropped), `answer` when the answer hit the length limit.
   */
  truncated: z.enum(['prompt', 'answer']).optional(),
});
export type TurnStats = z.infer<typeof turnStatsSchema>;

/**
 * A passage of a source as a turn records it: which passage, and where it sits in the source (a PDF's
 * page, a document's section, a table's rows). `removed` once the person removed the source: its
 * location is then wiped from the turn too.
 */
export const passageRefSchema = z.object({
  label: z.string(),
  sourceId: z.string(),
  index: z.number().int().nonnegative(),
  page: z.number().int().positive().optional(),
  section: z.string().optional(),
  removed: z.literal(true).optional(),
});
export type PassageRef = z.infer<typeof passageRefSchema>;

export const turnSchema = z.object({
  id: idSchema,
  loopId: idSchema,
  author: z.enum(['person', 'ai']),
  move: z.enum(moves),
  text: z.string(),
  /** For AI turns: the person's direction for this move ("bolder", "for a board audience"). */
  steer: z.string().optional(),
  /** For AI turns from thinking models: kept apart from the answer, never put into the draft. */
  thinking: z.string().optional(),
  status: z.enum(turnStatuses),
  error: turnErrorSchema.optional(),
  model: z.string().optional(),
  stats: turnStatsSchema.optional(),
  steering: steeringSchema.optional(),
  /** Earlier steerings of this turn, oldest first: kept when two computers steered it differently. */
  steeringHistory: z.array(steeringSchema).optional(),
  /** Present once the person edited the AI's text: what the AI had written, and when it changed. */
  edited: z.object({ originalText: z.string(), at: isoDate }).optional(),
  /**
   * Regenerated versions of one move form a group: every later version names the first one here.
   * The first version carries `chosenVersion`, the id the person kept (absent: the newest).
   */
  versionOf: idSchema.optional(),
  chosenVersion: idSchema.optional(),
  /** For a refine turn: the draft it revised, so its hunks can be shown and taken later. */
  refineBase: z.string().optional(),
  /** For a refine turn: which of its hunks the person took, and when. */
  applied: z.object({ hunks: z.array(z.number().int().nonnegative()), at: isoDate }).optional(),
  /** For a challenge of a decision not yet recorded: the decision it questioned. */
  challengedDecision: z.string().optional(),
  /** The memories this AI turn was given (ids; a forgotten one is gone from the data folder). */
  memoriesUsed: z.array(z.object({ id: z.string(), pinned: z.boolean() })).optional(),
  /**
   * The passages of the person's sources this AI turn was given, labelled as the prompt labelled
   * them ([P1]…). An empty list: the turn was given none. Absent on turns made before sources.
   */
  passages: z.array(passageRefSchema).optional(),
  /** For a person's "remember …" turn: the memory it made, merged into, or superseded. */
  remembered: z.object({ id: z.string(), action: z.enum(['added', 'merged', 'superseded']) }).optional(),
  /** For a patterns move: the period of journal entries it looked across (`YYYY-MM-DD`). */
  period: z.object({ from: z.string(), to: z.string() }).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Turn = z.infer<typeof turnSchema>;

/** A snapshot of the draft the person can go back to. */
export const draftVersionSchema = z.object({
  id: idSchema,
  text: z.string(),
  /** What made it: the person saving, a refine taken, or a restore (which first keeps what it replaces). */
  source: z.enum(['saved', 'refine', 'before-restore', 'before-refine']),
  note: z.string().optional(),
  createdAt: isoDate,
});
export type DraftVersion = z.infer<typeof draftVersionSchema>;

/** The draft as the workspace sees it: the text and its versions, newest last. */
export interface DraftState {
  draft: string;
  versions: DraftVersion[];
}

/** The draft column's width limits, in CSS pixels: any wider leaves the timeline a slot. */
export const draftWidthLimits = { min: 280, max: 760, default: 400 } as const;

/**
 * How the person arranged a loop on screen, kept in the loop's file so it opens the same way next
 * time (on any machine the data folder goes to). Every part is optional: unset means the default.
 */
export const loopLayoutSchema = z
  .object({
    /** The draft column's width in CSS pixels, once the person resized it. */
    draftWidth: z.number().int().min(draftWidthLimits.min).max(draftWidthLimits.max).optional(),
    /** The draft column folded away, leaving the timeline the whole width. */
    draftCollapsed: z.boolean().optional(),
    /** The intent shown in full rather than as its one summary line. */
    intentExpanded: z.boolean().optional(),
  })
  .strict();
export type LoopLayout = z.infer<typeof loopLayoutSchema>;

/** A change to a loop's layout: the parts given replace those kept; a null width means the default again. */
export const loopLayoutChangeSchema = loopLayoutSchema.extend({
  draftWidth: loopLayoutSchema.shape.draftWidth.unwrap().nullable().optional(),
});
export type LoopLayoutChange = z.infer<typeof loopLayoutChangeSchema>;

/** A loop as the workspace sees it when it is open. */
export interface Loop extends LoopSummary {
  intent: Intent;
  turns: Turn[];
  draft: string;
  draftVersions: DraftVersion[];
  decision?: Decision;
  /** Decisions recorded before the loop was reopened, oldest first. */
  pastDecisions: Decision[];
  /** The first move its template suggests, until the AI has made one. */
  suggestedMove?: AiMove;
  /** How the person arranged the loop on screen; missing or empty means the defaults. */
  layout?: LoopLayout;
}

/** A starting point for a loop: an intent and a suggested first move. */
export const loopTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** The kinds of space it suits best (it may be used in any). */
  kinds: z.array(z.enum(spaceKinds)),
  title: z.string(),
  intent: intentSchema,
  firstMove: z.enum(aiMoves),
  builtIn: z.boolean(),
  createdAt: isoDate.optional(),
});
export type LoopTemplate = z.infer<typeof loopTemplateSchema>;

export interface AppInfo {
  version: string;
  dataDir: string;
  ollamaHost: string;
  /** True when the model host is on this machine; false means prompts leave it. */
  hostIsLocal: boolean;
  /** The operating system, for advice such as how to start Ollama. */
  platform: 'mac' | 'windows' | 'linux';
  /** Where the workspace is running: the desktop window or a browser on the loopback web host. */
  shell: 'desktop' | 'web';
}

export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];

export const settingsSchema = z.object({
  /** The chat model the person chose; empty until they choose, and Keel picks an installed one. */
  chatModel: z.string().default(''),
  /** The embedding model the person chose; empty until they choose, and Keel picks an installed one. */
  embeddingModel: z.string().default(''),
  theme: z.enum(themes),
  /** How long Ollama keeps a model loaded after a request (Ollama's `keep_alive`: "5m", "1h", "-1"). */
  keepAlive: z.string().default('10m'),
  /** The model host chosen in settings; empty means OLLAMA_HOST or the default. */
  ollamaHost: z.string().default(''),
  /** A host that is not this machine is used only once the person allowed it here. */
  allowRemoteHost: z.boolean().default(false),
  /** Which runtime runs the models: Ollama when it answers (automatic), Ollama, or Keel's built-in one. */
  runtime: z.enum(['automatic', 'ollama', 'builtin']).default('automatic'),
  /** GGUF model files elsewhere on disk the person pointed Keel at, for the built-in runtime. */
  modelFiles: z.array(z.string().min(1).max(4096)).max(200).default([]),
  /** How many daily backups of the data folder to keep. */
  backupKeep: z.number().int().min(1).max(100).default(7),
  /** With encryption on: lock after this many idle minutes (0: only when asked). */
  lockAfterMinutes: z.number().int().min(0).max(1440).default(15),
  /** In the desktop window: a system notification when forecasts come due to be resolved. */
  notifyDueForecasts: z.boolean().default(true),
});
export type Settings = z.infer<typeof settingsSchema>;

export interface InstalledModel {
  name: string;
  size: number;
  family: string;
  parameterSize: string;
  quantization: string;
}

/** An installed model with what `/api/show` says it can do. */
export interface ModelInfo extends InstalledModel {
  /** Ollama's capabilities: `completion` (chat), `embedding`, `thinking`, `tools`, `vision`… */
  capabilities: string[];
  contextLength?: number;
  /** What Keel can use it for. */
  canChat: boolean;
  canEmbed: boolean;
}

/** One step of a model download, as the progress bar shows it. */
export interface PullProgress {
  model: string;
  state: 'pulling' | 'done' | 'failed' | 'cancelled';
  /** Ollama's own status line ("pulling manifest", "verifying sha256 digest", …). */
  status: string;
  completedBytes: number;
  totalBytes: number;
  /** 0–100, or undefined while the size is not known yet. */
  percent?: number;
  bytesPerSecond?: number;
  secondsLeft?: number;
  error?: { code: string; message: string };
  /** `builtin`: a GGUF file for Keel's own runtime (from the catalog); absent: Ollama's pull. */
  runtime?: 'builtin';
}

/** What a model in Keel's catalog is for. */
export const catalogModelKinds = ['chat', 'thinking', 'embedding'] as const;
export type CatalogModelKind = (typeof catalogModelKinds)[number];

/** A model Keel's built-in runtime can download, as the person is shown it. */
export interface CatalogModel {
  id: string;
  name: string;
  kind: CatalogModelKind;
  fileName: string;
  bytes: number;
  license: string;
  /** The longest context the model was trained for, in tokens. */
  contextLength: number;
  /** About how much memory it takes to run, in bytes. */
  memoryBytes: number;
  /** The host the file comes from (the download may be redirected to that host's CDN). */
  host: string;
  /** True once the file is in the models folder. */
  installed: boolean;
}

/** Which catalog models fit this machine, and why, in a sentence. */
export interface ModelRecommendation {
  chat: string;
  embedding: string;
  reason: string;
}

/** The catalog with what this machine can run. */
export interface ModelCatalog {
  models: CatalogModel[];
  recommended: ModelRecommendation;
  memoryBytes: number;
  /** The graphics processor node-llama-cpp found ("Apple Metal", "CUDA"…), or null. */
  gpu: string | null;
  /** Every host a model download may contact (the catalog's hosts and their CDNs). */
  downloadHosts: string[];
}

/** A model being loaded into memory ahead of the first move. */
export interface ModelWarmup {
  model: string;
  state: 'loading' | 'ready' | 'failed';
  elapsedMs: number;
  message?: string;
}

/** How full the model's context will be for the next request in a loop. */
export interface ContextUsage {
  model: string;
  numCtx: number;
  estimatedTokens: number;
  reserveForAnswer: number;
  omittedTurns: number;
}

/**
 * The connection to Ollama as a person should understand it:
 * - `connected`: Ollama answers and the chosen chat model is installed;
 * - `not-running`: nothing listens at the (local) host: start Ollama;
 * - `unreachable`: the host did not answer in time or is not an Ollama server;
 * - `no-models`: Ollama runs but has no model yet;
 * - `model-missing`: Ollama runs but the chosen chat model is not installed;
 * - `remote-not-allowed`: the host is another machine and the person has not allowed it.
 */
export type ModelConnection =
  'connected' | 'not-running' | 'unreachable' | 'no-models' | 'model-missing' | 'remote-not-allowed';

export interface ModelStatus {
  connection: ModelConnection;
  /** Which runtime serves the models: Ollama's, or Keel's built-in one (absent: Ollama). */
  runtime?: 'ollama' | 'builtin';
  host: string;
  hostIsLocal: boolean;
  version?: string;
  /** The chat model moves use: the person's choice, or the installed one Keel picked. */
  chatModel: string;
  /** Present when Keel picked the chat model because the person has not chosen one: why this one. */
  chatModelPicked?: string;
  /** The embedding model memory and sources use, when one is chosen or installed. */
  embeddingModel?: string;
  /** Present when Keel picked the embedding model: why this one. */
  embeddingModelPicked?: string;
  models: InstalledModel[];
  /** A sentence telling a first-time user exactly what to do next. */
  advice: string;
  /** Where the host came from, so the person knows what to change. */
  hostSource: 'settings' | 'OLLAMA_HOST' | 'default';
  /** A model to pull with one click when none is usable. */
  recommendedModel?: string;
  checkedAt: string;
}

/** `llama3.2` and `llama3.2:latest` name the same model, as in Ollama (names are case-insensitive). */
export function sameModel(a: string, b: string): boolean {
  const full = (name: string) => (name.includes(':') ? name : `${name}:latest`).toLowerCase();
  return full(a) === full(b);
}

/** A copy of the data folder Keel can restore (files are copied as they are: encrypted stays encrypted). */
export interface BackupInfo {
  id: string;
  createdAt: string;
  reason: 'daily' | 'manual' | 'before-restore' | 'before-import';
  files: number;
  bytes: number;
}

/**
 * Whether the workspace can be used:
 * - `open`: working;
 * - `locked`: the data is encrypted and waits for the passphrase;
 * - `damaged`: a file Keel needs to start could not be read (it was moved aside); restore a backup.
 */
export interface EngineState {
  status: 'open' | 'locked' | 'damaged';
  encrypted: boolean;
  /** What could not be read, in words, when damaged. */
  problem?: string;
  /** The newest backup, to offer when something is damaged. */
  latestBackup?: BackupInfo;
  /**
   * After an import: the archive's settings that decide where data goes or what is trusted, where
   * they differ from the ones Keel kept. They apply only once the person confirms them.
   */
  importedSettings?: Partial<Pick<Settings, GuardedSetting>>;
}

/** Settings an imported archive never sets by itself: where data goes, what is trusted, what is kept. */
export const guardedSettings = ['ollamaHost', 'allowRemoteHost', 'backupKeep', 'lockAfterMinutes'] as const;
export type GuardedSetting = (typeof guardedSettings)[number];

/** One request the engine sent (or refused to send) over the network. */
export interface OutboundRecord {
  at: string;
  method: string;
  origin: string;
  path: string;
  bytesSent: number;
  bytesReceived?: number;
  durationMs?: number;
  model?: string;
  status?: number;
  /** True when Keel refused to send it because the host is not allowed, or refused the host's redirect. */
  refused?: boolean;
  /** Where the model host tried to redirect this request (origin and path); Keel did not follow it. */
  redirectTo?: string;
}

/** A failure of work Keel did in the background (a backup, indexing, vectors), for Settings → Diagnostics. */
export interface BackgroundProblem {
  at: string;
  /** What Keel was doing, in words ("the daily backup"). */
  what: string;
  /** What went wrong, as the failure said it. */
  message: string;
}

export const memoryKinds = ['preference', 'principle', 'context', 'lesson', 'decision'] as const;
export type MemoryKind = (typeof memoryKinds)[number];
/** How a memory came to be: said outright, accepted at Learn, a decision review, steering feedback, a journal pattern. */
export const memorySources = ['said', 'learn', 'review', 'steering', 'pattern'] as const;
export type MemorySource = (typeof memorySources)[number];

/** Where a memory may be used. Scope is a wall: a space's memory never reaches another space's loop. */
export const memoryScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('everywhere') }),
  z.object({ type: z.literal('space'), spaceId: idSchema }),
  z.object({ type: z.literal('loop'), spaceId: idSchema, loopId: idSchema }),
]);
export type MemoryScope = z.infer<typeof memoryScopeSchema>;

export const memoryItemSchema = z.object({
  id: idSchema,
  kind: z.enum(memoryKinds),
  text: z.string(),
  scope: memoryScopeSchema,
  source: z.object({
    type: z.enum(memorySources),
    loopId: idSchema.optional(),
    turnIds: z.array(idSchema).optional(),
  }),
  createdAt: isoDate,
  revisedAt: isoDate,
  lastUsedAt: isoDate.optional(),
  useCount: z.number().int().nonnegative(),
  pinned: z.boolean(),
  /** Earlier texts, oldest first: what the person believed before, and until when. */
  history: z.array(
    z.object({
      text: z.string(),
      until: isoDate,
      change: z.enum(['merged', 'superseded', 'edited']),
    }),
  ),
  /** Where the person said it was not relevant, with the words of that request (it ranks lower for similar ones). */
  notRelevant: z.array(z.object({ loopId: idSchema, terms: z.array(z.string()), at: isoDate })),
  /** The turns it was given to, newest last (the last 50). */
  usedIn: z.array(z.object({ loopId: idSchema, turnId: idSchema, at: isoDate })),
});
export type MemoryItem = z.infer<typeof memoryItemSchema>;

/** What happened when a memory was captured: a new item, merged into one that said the same, or superseding one it contradicts. */
export interface MemoryOutcome {
  action: 'added' | 'merged' | 'superseded';
  item: MemoryItem;
  /** The text that was there before a merge or supersession. */
  previousText?: string;
  /** How it was decided: the quick lexical check or, for close calls, the model. */
  decidedBy: 'lexical' | 'model';
}

/** A lesson the AI proposes at Learn; nothing is stored until the person accepts it. */
export interface LessonProposal {
  kind: MemoryKind;
  text: string;
  scope: 'everywhere' | 'space' | 'loop';
  /** The turns it came from. */
  turnIds: string[];
}

/** A decision whose review date has come. */
/** One decision as the ledger page lists it: its loop, its space and what the catalog keeps of it. */
export interface LedgerRow {
  loopId: string;
  spaceId: string;
  spaceName: string;
  spaceKind: SpaceKind;
  title: string;
  /** False for a decision made before its loop was reopened. */
  current: boolean;
  entry: LedgerEntry;
}

/** A forecast whose resolution date has come, as the due notification names it. */
export interface DueForecast {
  loopId: string;
  title: string;
  forecastId: string;
  statement: string;
  resolveBy: string;
}

export interface DueReview {
  loopId: string;
  spaceId: string;
  title: string;
  decision: Decision;
}

/** A preference Keel noticed in the person's steering; stored only once accepted. */
export interface MemorySuggestion {
  id: string;
  kind: MemoryKind;
  text: string;
  spaceId: string;
  /** The set-aside turns and their reasons that suggested it. */
  evidence: { loopId: string; turnId: string; reason: string }[];
}

/** What search finds: loops (title and intent), turns, drafts, decisions and memories. */
export const searchKinds = ['loop', 'turn', 'draft', 'decision', 'memory', 'source'] as const;
export type SearchKind = (typeof searchKinds)[number];

export interface SearchResult {
  kind: SearchKind;
  spaceId: string;
  /** The loop to open (absent for a memory kept everywhere or in a space). */
  loopId?: string;
  /** The turn to open the loop at. */
  turnId?: string;
  memoryId?: string;
  /** For a source: which one, and the passage the words were found in. */
  sourceId?: string;
  passageIndex?: number;
  /** The loop's title, or the memory's kind. */
  title: string;
  /** A few words around the first match. */
  snippet: string;
  at: string;
  score: number;
}

/** The kinds of file (and pasted text) Keel reads as sources. */
export const sourceFormats = ['pdf', 'docx', 'markdown', 'text', 'csv', 'html'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

/** Whether a space's source is pinned to a loop (always in context when it fits) or left out of it. */
export const sourceLoopStates = ['auto', 'pinned', 'left-out'] as const;
export type SourceLoopState = (typeof sourceLoopStates)[number];

/**
 * One of the person's documents, read on this machine. It belongs to a space, and to one loop of it
 * when `loopId` is set; a copy of the original sits in the data folder.
 */
export interface Source {
  id: string;
  spaceId: string;
  /** Set when the source was added to one loop rather than to the whole space. */
  loopId?: string;
  /** What the person calls it (the file name at first; they can rename it). */
  name: string;
  /** The file's name as it was added. */
  fileName: string;
  format: SourceFormat;
  mimeType: string;
  /** Size of the original file, in bytes. */
  bytes: number;
  /** A PDF's pages. */
  pages?: number;
  /** How many sections (headings, pages, row groups) its passages are located by. */
  sections: number;
  passages: number;
  addedAt: string;
  /** How many AI turns were given passages of it. */
  usedInTurns: number;
  lastUsedAt?: string;
  /** Loops it is pinned to, and loops it is left out of. */
  pinnedIn: string[];
  leftOutOf: string[];
  /** Whether its passages have vectors from the embedding model (for search by meaning). */
  embedded: boolean;
}

/** A passage of a source, with its place in it. */
export interface SourcePassage {
  sourceId: string;
  index: number;
  page?: number;
  section?: string;
  text: string;
}

/** How the reading of a source is going (sent a few times a second at most). */
export interface SourceProgress {
  /** The id the workspace gave the upload, so it knows which file this is. */
  uploadId: string;
  name: string;
  stage: 'reading' | 'indexing' | 'embedding' | 'saving';
  /** Pages or passages done so far, out of `total` (0 when not known yet). */
  done: number;
  total: number;
}

/** Where a space's sync stands, as its settings show it. */
export const syncStates = ['off', 'connecting', 'up-to-date', 'syncing', 'offline', 'paused'] as const;
export type SyncState = (typeof syncStates)[number];

/** What sync could not merge by itself and kept both sides of, for the person to see. */
export interface SyncConflictNote {
  at: string;
  loopId?: string;
  what: 'draft' | 'intent' | 'decision';
  message: string;
}

export interface SyncStatus {
  spaceId: string;
  state: SyncState;
  /** The server's origin and the database's name (never the credentials). */
  origin?: string;
  database?: string;
  /** When this space last took or gave a change, and which computer made it ("this computer" or its name). */
  lastSyncedAt?: string;
  lastSyncedBy?: string;
  /** Changes made here that the server does not hold yet. */
  pending: number;
  conflicts: SyncConflictNote[];
  /** Why it is offline or stopped, in words. */
  problem?: string;
}
