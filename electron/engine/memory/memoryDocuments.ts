/**
 * The files of the memory: one per scope (`memory/everywhere.json`, `memory/space-<id>.json`,
 * loop-scoped items in their space's file), their vectors beside them (`*.vectors.json`), and the
 * steering Keel noticed (`memory/signals.json`).
 */
import { z } from 'zod';
import { memoryItemSchema, memoryKinds } from '../../../shared/domain';
import { documentSpec } from '../store/DocumentAdapter';
import { memoriesMigrations } from '../store/migrations/memories';

const shardSchema = z.object({ version: z.literal(2), items: z.array(memoryItemSchema) });
export type Shard = z.infer<typeof shardSchema>;
export const shardSpec = (key: string) =>
  documentSpec<Shard>(`your memories (memory/${key}.json)`, shardSchema, memoriesMigrations);

const vectorSchema = z.object({
  version: z.literal(1),
  model: z.string(),
  vectors: z.record(z.string(), z.array(z.number())),
});
export type VectorShard = z.infer<typeof vectorSchema>;
export const vectorSpec = (key: string) =>
  documentSpec<VectorShard>(`the vectors of your memories (memory/${key}.vectors.json)`, vectorSchema);

const signalSchema = z.object({
  version: z.literal(1),
  setAside: z.array(
    z.object({
      spaceId: z.string(),
      loopId: z.string(),
      turnId: z.string(),
      reason: z.string(),
      at: z.string(),
    }),
  ),
  suggestions: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(memoryKinds),
      text: z.string(),
      spaceId: z.string(),
      evidence: z.array(z.object({ loopId: z.string(), turnId: z.string(), reason: z.string() })),
    }),
  ),
  /** Reason groups the person dismissed, so they are not suggested again. */
  dismissed: z.array(z.string()),
});
export type Signals = z.infer<typeof signalSchema>;
export const signalSpec = documentSpec<Signals>(
  'the steering Keel noticed (memory/signals.json)',
  signalSchema,
);
