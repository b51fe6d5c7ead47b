/** Spaces, loops, turns, moves, steering, drafts, templates and export. */
import { z } from 'zod';
import {
  aiMoves,
  idSchema,
  loopLayoutChangeSchema,
  personMoves,
  spaceKinds,
  steeringStates,
  daySchema,
  type ContextUsage,
  type DraftState,
  type Loop,
  type LoopLayout,
  type LoopTemplate,
  type LoopSummary,
  type Space,
  type Turn,
} from '../domain';
import { decisionInputSchema } from './ledger';
import { call, none, limits, nameSchema } from './spec';

const intentInputSchema = z.object({
  goal: z.string().max(limits.intentField).optional(),
  context: z.string().max(limits.intentField).optional(),
  constraints: z.string().max(limits.intentField).optional(),
  goodLooksLike: z.string().max(limits.intentField).optional(),
});

export const loopsCalls = {
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
            from: daySchema,
            to: daySchema,
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

  /** Stops an AI move that is still streaming; the text so far is kept and the turn marked stopped. */
  stopMove: call<Turn>()(z.object({ loopId: idSchema, turnId: idSchema }).strict()),

  /** How full the model's context will be if this loop asks for a move now. */
  getContextUsage: call<ContextUsage>()(z.object({ loopId: idSchema }).strict()),

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

  /** The built-in templates and the person's own (each of a space's own names its space). */
  listTemplates: call<LoopTemplate[]>()(none),

  /** Saves a loop's framing (its intent and a first move) as the person's own template. */
  saveTemplate: call<LoopTemplate>()(
    z
      .object({
        loopId: idSchema,
        name: nameSchema,
        description: z.string().trim().max(limits.intentField).optional(),
        firstMove: z.enum(aiMoves).optional(),
        everySpace: z.boolean().optional(),
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
} as const;
