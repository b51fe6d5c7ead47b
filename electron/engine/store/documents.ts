/**
 * The documents Keel keeps in the data folder, each small and versioned:
 * - `catalog.json`: every space and a summary of every loop, the only file read at start-up;
 * - `loops/<loop id>.json`: one loop's intent, turns and draft, read when the loop is opened;
 * - `settings.json`: the person's settings.
 */
import { z } from 'zod';
import {
  intentSchema,
  loopSummarySchema,
  settingsSchema,
  spaceSchema,
  turnSchema,
} from '../../../shared/domain';
import type { DocumentSpec } from './DocumentAdapter';

export const catalogSchema = z.object({
  version: z.literal(1),
  spaces: z.array(spaceSchema),
  loops: z.array(loopSummarySchema),
});
export type CatalogDocument = z.infer<typeof catalogSchema>;

export const catalogSpec: DocumentSpec<CatalogDocument> = {
  label: 'the list of spaces and loops (catalog.json)',
  schema: catalogSchema,
  version: 1,
  migrations: [],
};

export const loopDocumentSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  intent: intentSchema,
  turns: z.array(turnSchema),
  draft: z.string(),
});
export type LoopDocument = z.infer<typeof loopDocumentSchema>;

export function loopSpec(title: string): DocumentSpec<LoopDocument> {
  return { label: `the loop "${title}"`, schema: loopDocumentSchema, version: 1, migrations: [] };
}

export const settingsDocumentSchema = settingsSchema.extend({ version: z.literal(1) });
export type SettingsDocument = z.infer<typeof settingsDocumentSchema>;

export const settingsSpec: DocumentSpec<SettingsDocument> = {
  label: 'your settings (settings.json)',
  schema: settingsDocumentSchema,
  version: 1,
  migrations: [],
};
