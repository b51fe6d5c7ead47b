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
import { documentSpec, type DocumentOf, type DocumentSpec } from './DocumentAdapter';
import { catalogMigrations } from './migrations/catalog';
import { loopMigrations } from './migrations/loop';
import { settingsMigrations } from './migrations/settings';

export const catalogSpec = documentSpec(
  'the list of spaces and loops (catalog.json)',
  z.object({ version: z.literal(2), spaces: z.array(spaceSchema), loops: z.array(loopSummarySchema) }),
  catalogMigrations,
);
export type CatalogDocument = DocumentOf<typeof catalogSpec>;

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

export const settingsSpec = documentSpec(
  'your settings (settings.json)',
  settingsSchema.extend({ version: z.literal(3) }),
  settingsMigrations,
);
export type SettingsDocument = DocumentOf<typeof settingsSpec>;

export const templatesSpec = documentSpec(
  'your loop templates (templates.json)',
  z.object({ version: z.literal(1), templates: z.array(loopTemplateSchema) }),
);
export type TemplatesDocument = DocumentOf<typeof templatesSpec>;
