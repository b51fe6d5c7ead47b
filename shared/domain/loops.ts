/**
 * Keel's domain, in the product's own words (see DESIGN.md): spaces hold loops; a loop has an
 * intent, a timeline of turns, a draft and (once the person decides) a decision. The schemas are
 * the single definition: the engine validates every file it reads with them and the types are
 * inferred from them.
 */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import { ledgerEntrySchema, type Decision, type DecisionInput } from './ledger';
import { passageRefSchema } from './sources';

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

/** What every turn has, whoever wrote it. */
const turnBase = {
  id: idSchema,
  loopId: idSchema,
  move: z.enum(moves),
  text: z.string(),
  status: z.enum(turnStatuses),
  createdAt: isoDate,
  updatedAt: isoDate,
};

/** The person's own turn: what they said, framed or decided. */
export const personTurnSchema = z.object({
  ...turnBase,
  author: z.literal('person'),
  /** For a person's "remember …" turn: the memory it made, merged into, or superseded. */
  remembered: z.object({ id: z.string(), action: z.enum(['added', 'merged', 'superseded']) }).optional(),
});

/** An AI turn: one move's answer, with how it was made, steered and what it was given. */
export const aiTurnSchema = z.object({
  ...turnBase,
  author: z.literal('ai'),
  /** For AI turns: the person's direction for this move ("bolder", "for a board audience"). */
  steer: z.string().optional(),
  /** For AI turns from thinking models: kept apart from the answer, never put into the draft. */
  thinking: z.string().optional(),
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
  /** For a patterns move: the period of journal entries it looked across (`YYYY-MM-DD`). */
  period: z.object({ from: z.string(), to: z.string() }).optional(),
});

/** A turn of a loop's timeline: the person's or the AI's (`author` tells which). */
export const turnSchema = z.discriminatedUnion('author', [personTurnSchema, aiTurnSchema]);

/**
 * The other kind of turn's fields, marked as never there: reading one from any turn gives
 * undefined, and setting one on the wrong kind does not compile (narrow on `author` first).
 */
type Without<Own, Other> = { [K in Exclude<keyof Other, keyof Own>]?: never };
type PersonTurnFields = z.infer<typeof personTurnSchema>;
type AiTurnFields = z.infer<typeof aiTurnSchema>;
export type PersonTurn = PersonTurnFields & Without<PersonTurnFields, AiTurnFields>;
export type AiTurn = AiTurnFields & Without<AiTurnFields, PersonTurnFields>;
export type Turn = PersonTurn | AiTurn;

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
  /** The space it belongs to (offered there only, and synced with it); missing: every space. */
  spaceId: z.string().optional(),
});
export type LoopTemplate = z.infer<typeof loopTemplateSchema>;

// ---- what the person asks of loops, in the product's terms (the contract's inputs must fit them) ----

/** A new space as the person names it. */
export interface NewSpace {
  name: string;
  kind?: SpaceKind;
  description?: string;
}

/** A new loop in a space, optionally framed already or started from a template. */
export interface NewLoop {
  spaceId: string;
  title: string;
  intent?: Partial<Intent>;
  templateId?: string;
}

/** The person's own turn in a loop's timeline. */
export interface PersonTurnInput {
  loopId: string;
  text: string;
  move?: PersonMove;
}

/** A period of journal entries, `YYYY-MM-DD` to `YYYY-MM-DD`, both included. */
export interface Period {
  from: string;
  to: string;
}

/** The AI move the person asks for, with what steers it. */
export interface MoveRequest {
  loopId: string;
  move: AiMove;
  steer?: string;
  /** For a challenge: the decision the person is about to record, so it is what gets challenged. */
  decision?: Partial<DecisionInput>;
  /** For patterns: the journal entries to look across. */
  period?: Period;
}

/** How the person steers an AI turn (null clears the steering). */
export interface TurnSteer {
  loopId: string;
  turnId: string;
  state: SteeringState | null;
  reason?: string;
}

/** A loop's framing kept as the person's own template. */
export interface NewTemplate {
  loopId: string;
  name: string;
  description?: string;
  firstMove?: AiMove;
  /** Offered in every space rather than the loop's own only (the default). */
  everySpace?: boolean;
}

/** The draft as the person saves it; with `keepVersion`, also kept as a version to go back to. */
export interface DraftSave {
  loopId: string;
  text: string;
  keepVersion?: boolean;
  /** What the kept version is called. */
  note?: string;
}

/** The hunks of a refine's proposal the person takes into the draft (by index; none, some or all). */
export interface AppliedRefine {
  loopId: string;
  turnId: string;
  hunks: number[];
}

/** A loop as a document to save: Markdown or Word, with its timeline when asked. */
export interface LoopExport {
  loopId: string;
  format: 'markdown' | 'docx';
  includeTimeline?: boolean;
}
