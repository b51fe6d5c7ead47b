/** Memory: what Keel keeps of the person, lessons and suggestions. */
import { z } from 'zod';
import {
  idSchema,
  memoryKinds,
  memoryScopeSchema,
  memoryOrigins,
  type LessonProposal,
  type MemoryItem,
  type MemoryOutcome,
  type MemorySuggestion,
} from '../domain';
import { call, none, limits } from './spec';

export const memoryCalls = {
  /** Memories, filtered by space (its own and everywhere), kind, origin and words; newest revised first. */
  listMemories: call<MemoryItem[]>()(
    z
      .object({
        spaceId: idSchema.optional(),
        kind: z.enum(memoryKinds).optional(),
        origin: z.enum(memoryOrigins).optional(),
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
        origin: z.enum(['said', 'pattern', 'steering']).optional(),
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

  /** Preferences Keel noticed in how the person sets turns aside, waiting to be accepted or dismissed. */
  listMemorySuggestions: call<MemorySuggestion[]>()(none),

  /** Dismisses a suggestion; it does not come back for the same reasons. */
  dismissMemorySuggestion: call<{ dismissed: string }>()(
    z.object({ suggestionId: z.string().max(100) }).strict(),
  ),
} as const;
