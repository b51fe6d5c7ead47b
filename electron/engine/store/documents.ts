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
  draftVersionSchema,
  intentSchema,
  loopTemplateSchema,
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
  version: z.literal(2),
  id: z.string(),
  intent: intentSchema,
  turns: z.array(turnSchema),
  draft: z.string(),
  draftVersions: z.array(draftVersionSchema),
  decision: decisionSchema.optional(),
  pastDecisions: z.array(decisionSchema),
  suggestedMove: z.enum(aiMoves).optional(),
});
export type LoopDocument = z.infer<typeof loopDocumentSchema>;

/**
 * Loop file migrations, indexed by the version they upgrade from:
 * - 1 → 2: draft versions and decisions arrived; a version-1 loop had neither.
 */
export const loopMigrations: DocumentSpec<LoopDocument>['migrations'] = [
  (document) => document,
  (document) => ({ ...document, draftVersions: [], pastDecisions: [] }),
];

export function loopSpec(title: string): DocumentSpec<LoopDocument> {
  return { label: `the loop "${title}"`, schema: loopDocumentSchema, version: 2, migrations: loopMigrations };
}

export const settingsDocumentSchema = settingsSchema.extend({ version: z.literal(2) });
export type SettingsDocument = z.infer<typeof settingsDocumentSchema>;

/**
 * Settings file migrations, indexed by the version they upgrade from:
 * - 1 → 2: version 1 wrote Keel's defaults (llama3.2, nomic-embed-text) into every new settings
 *   file, so they cannot be told from a choice; an empty model means "not chosen" from version 2 on,
 *   and Keel then picks an installed model (the default itself when it is installed, as before).
 */
export const settingsMigrations: DocumentSpec<SettingsDocument>['migrations'] = [
  (document) => document,
  (document) => ({
    ...document,
    chatModel: document.chatModel === 'llama3.2' ? '' : document.chatModel,
    embeddingModel: document.embeddingModel === 'nomic-embed-text' ? '' : document.embeddingModel,
  }),
];

export const settingsSpec: DocumentSpec<SettingsDocument> = {
  label: 'your settings (settings.json)',
  schema: settingsDocumentSchema,
  version: 2,
  migrations: settingsMigrations,
};

export const templatesDocumentSchema = z.object({
  version: z.literal(1),
  templates: z.array(loopTemplateSchema),
});
export type TemplatesDocument = z.infer<typeof templatesDocumentSchema>;

export const templatesSpec: DocumentSpec<TemplatesDocument> = {
  label: 'your loop templates (templates.json)',
  schema: templatesDocumentSchema,
  version: 1,
  migrations: [],
};
