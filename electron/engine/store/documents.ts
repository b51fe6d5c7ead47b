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
import type { DocumentSpec } from './DocumentAdapter';

export const catalogSchema = z.object({
  version: z.literal(2),
  spaces: z.array(spaceSchema),
  loops: z.array(loopSummarySchema),
});
export type CatalogDocument = z.infer<typeof catalogSchema>;

/**
 * Catalog migrations, indexed by the version they upgrade from:
 * - 0 → 1: none (every catalog was written with version 1).
 * - 1 → 2: the ledger's entries hold the reasons of forecast updates and the outcome review. The
 *   entries of version 1 had neither, so they are dropped: the ledger indexes each loop again from
 *   its file, which holds them, the first time it is opened.
 */
export const catalogMigrations: DocumentSpec<CatalogDocument>['migrations'] = [
  (document) => document,
  (document) => ({
    ...document,
    loops: Array.isArray(document.loops)
      ? document.loops.map((loop: unknown) => {
          if (!isRecord(loop)) return loop;
          const { ledger: _ledger, ...rest } = loop;
          return rest;
        })
      : document.loops,
  }),
];

export const catalogSpec: DocumentSpec<CatalogDocument> = {
  label: 'the list of spaces and loops (catalog.json)',
  schema: catalogSchema,
  version: 2,
  migrations: catalogMigrations,
};

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

/**
 * Loop file migrations, indexed by the version they upgrade from:
 * - 1 → 2: draft versions and decisions arrived; a version-1 loop had neither.
 * - 2 → 3: decisions hold forecasts; a decision's prediction and confidence become its one forecast.
 */
export const loopMigrations: DocumentSpec<LoopDocument>['migrations'] = [
  (document) => document,
  (document) => ({ ...document, draftVersions: [], pastDecisions: [] }),
  (document) => ({
    ...document,
    ...(isRecord(document.decision) ? { decision: withForecasts(document.decision) } : {}),
    pastDecisions: Array.isArray(document.pastDecisions)
      ? document.pastDecisions.map((decision) => (isRecord(decision) ? withForecasts(decision) : decision))
      : document.pastDecisions,
  }),
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A version-2 decision's prediction, at its confidence, becomes a forecast resolving on its review
 * date. A confidence of 0 or 100 is moved to 1 or 99: certainty cannot be scored. Its id is made
 * from the decision's time so the migration gives the same id each time the file is read.
 */
function withForecasts(decision: Record<string, unknown>): Record<string, unknown> {
  const prediction = typeof decision.prediction === 'string' ? decision.prediction.trim() : '';
  const confidence = typeof decision.confidence === 'number' ? decision.confidence : 50;
  const decidedAt = typeof decision.decidedAt === 'string' ? decision.decidedAt : '';
  const forecasts = prediction
    ? [
        {
          id: `fc-${decidedAt.replace(/[^0-9]/g, '').slice(0, 40) || 'migrated'}-1`,
          statement: prediction,
          probability: Math.min(99, Math.max(1, Math.round(confidence))),
          resolveBy: typeof decision.reviewDate === 'string' ? decision.reviewDate : '',
          criteria: '',
          createdAt: decidedAt,
          updates: [],
        },
      ]
    : [];
  return { ...decision, forecasts };
}

export function loopSpec(title: string): DocumentSpec<LoopDocument> {
  return { label: `the loop "${title}"`, schema: loopDocumentSchema, version: 3, migrations: loopMigrations };
}

export const settingsDocumentSchema = settingsSchema.extend({ version: z.literal(3) });
export type SettingsDocument = z.infer<typeof settingsDocumentSchema>;

/**
 * Settings file migrations, indexed by the version they upgrade from:
 * - 1 → 2: version 1 wrote Keel's defaults (llama3.2, nomic-embed-text) into every new settings
 *   file, so they cannot be told from a choice; an empty model means "not chosen" from version 2 on,
 *   and Keel then picks an installed model (the default itself when it is installed, as before).
 * - 2 → 3: the model runtime became a choice (automatic: Ollama when it answers, else Keel's built-in
 *   runtime); a file from before keeps what it did then only as far as Ollama answers, so it starts
 *   on automatic, with no model files pointed at.
 */
export const settingsMigrations: DocumentSpec<SettingsDocument>['migrations'] = [
  (document) => document,
  (document) => ({
    ...document,
    chatModel: document.chatModel === 'llama3.2' ? '' : document.chatModel,
    embeddingModel: document.embeddingModel === 'nomic-embed-text' ? '' : document.embeddingModel,
  }),
  (document) => ({ ...document, runtime: 'automatic', modelFiles: [] }),
];

export const settingsSpec: DocumentSpec<SettingsDocument> = {
  label: 'your settings (settings.json)',
  schema: settingsDocumentSchema,
  version: 3,
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
