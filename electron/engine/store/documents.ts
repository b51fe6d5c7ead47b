/**
 * The documents Keel keeps in the data folder, each small and versioned:
 * - `catalog.json`: every space and a summary of every loop, the only file read at start-up;
 * - `loops/<loop id>.json`: one loop's intent, turns and draft, read when the loop is opened;
 * - `settings.json`: the person's settings;
 * - `templates.json`: the person's own loop templates.
 */
import { z } from 'zod';
import {
  aiMoves,
  decisionSchema,
  type Decision,
  draftVersionSchema,
  intentSchema,
  loopLayoutSchema,
  loopTemplateSchema,
  loopSummarySchema,
  settingsSchema,
  spaceSchema,
  turnSchema,
} from '../../../shared/domain';
import { documentSpec, type DocumentSpec } from './DocumentAdapter';
import { catalogMigrations } from './migrations/catalog';
import { loopMigrations } from './migrations/loop';
import { settingsMigrations } from './migrations/settings';

export const catalogSchema = z.object({
  version: z.literal(2),
  spaces: z.array(spaceSchema),
  loops: z.array(loopSummarySchema),
});
export type CatalogDocument = z.infer<typeof catalogSchema>;

export const catalogSpec = documentSpec<CatalogDocument>(
  'the list of spaces and loops (catalog.json)',
  catalogSchema,
  catalogMigrations,
);

export const loopDocumentSchema = z.object({
  version: z.literal(3),
  id: z.string(),
  intent: intentSchema,
  turns: z.array(turnSchema),
  draft: z.string(),
  draftVersions: z.array(draftVersionSchema),
  decision: decisionSchema.optional(),
  pastDecisions: z.array(decisionSchema),
  suggestedMove: z.enum(aiMoves).optional(),
  /** Added without a new version: older files simply have none, which means the default layout. */
  layout: loopLayoutSchema.optional(),
});
/**
 * A loop's file with its decisions writable. Only the decision service may name this type (an
 * import rule in eslint.config.js says so): everywhere else a loop's decisions are read-only.
 */
export type WritableLoopDocument = z.infer<typeof loopDocumentSchema>;

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * A loop's file as the engine handles it. Its decision and past decisions (forecasts, updates,
 * resolutions, grades) are read-only to the compiler: only the person's own calls, through the
 * decision service, change them, so no model-facing code can create, update or resolve one.
 */
export type LoopDocument = Omit<WritableLoopDocument, 'decision' | 'pastDecisions'> & {
  readonly decision?: DeepReadonly<Decision>;
  readonly pastDecisions: readonly DeepReadonly<Decision>[];
};

/** A copy of a loop's decision that the caller may keep and change (a fresh copy, so the file's stays as it is). */
export function decisionCopy(decision: DeepReadonly<Decision>): Decision {
  return structuredClone(decision) as Decision;
}

export function loopSpec(title: string): DocumentSpec<LoopDocument> {
  return documentSpec(`the loop "${title}"`, loopDocumentSchema, loopMigrations);
}

export const settingsDocumentSchema = settingsSchema.extend({ version: z.literal(3) });
export type SettingsDocument = z.infer<typeof settingsDocumentSchema>;

export const settingsSpec = documentSpec<SettingsDocument>(
  'your settings (settings.json)',
  settingsDocumentSchema,
  settingsMigrations,
);

export const templatesDocumentSchema = z.object({
  version: z.literal(1),
  templates: z.array(loopTemplateSchema),
});
export type TemplatesDocument = z.infer<typeof templatesDocumentSchema>;

export const templatesSpec = documentSpec<TemplatesDocument>(
  'your loop templates (templates.json)',
  templatesDocumentSchema,
);
