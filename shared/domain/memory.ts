/** Memory: what Keel keeps of the person, how it was captured, lessons and suggestions. */
import { z } from 'zod';
import { idSchema, isoDate } from './common';

export const memoryKinds = ['preference', 'principle', 'context', 'lesson', 'decision'] as const;
export type MemoryKind = (typeof memoryKinds)[number];
/** How a memory came to be: said outright, accepted at Learn, a decision review, steering feedback, a journal pattern. */
export const memoryOrigins = ['said', 'learn', 'review', 'steering', 'pattern'] as const;
export type MemoryOrigin = (typeof memoryOrigins)[number];

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
  /** Where it came from (what the memory page calls its source). */
  origin: z.object({
    type: z.enum(memoryOrigins),
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

/** A preference Keel noticed in the person's steering; stored only once accepted. */
export interface MemorySuggestion {
  id: string;
  kind: MemoryKind;
  text: string;
  spaceId: string;
  /** The set-aside turns and their reasons that suggested it. */
  evidence: { loopId: string; turnId: string; reason: string }[];
}

// ---- what the person asks of memory, in the product's terms ----

/** Which memories to list: a space's (its own and everywhere), a kind, an origin, words. */
export interface MemoryFilter {
  spaceId?: string;
  kind?: MemoryKind;
  origin?: MemoryOrigin;
  query?: string;
}

/** Something the person says outright to remember (or a suggestion or pattern they keep). */
export interface RememberInput {
  text: string;
  kind?: MemoryKind;
  scope: MemoryScope;
  origin?: 'said' | 'pattern' | 'steering';
  loopId?: string;
  turnId?: string;
  /** The suggestion accepted, which then leaves the suggestions. */
  suggestionId?: string;
}

/** The person's change to a memory: its text (the earlier one stays in history), kind, scope or pin. */
export interface MemoryChange {
  memoryId: string;
  text?: string;
  kind?: MemoryKind;
  scope?: MemoryScope;
  pinned?: boolean;
}

/** A memory the person said was not relevant to a turn. */
export interface NotRelevantNote {
  memoryId: string;
  loopId: string;
  turnId: string;
}

/** A proposed lesson the person keeps, as proposed or edited. */
export interface AcceptedLesson {
  loopId: string;
  kind: MemoryKind;
  text: string;
  scope: LessonProposal['scope'];
  turnIds: string[];
}
