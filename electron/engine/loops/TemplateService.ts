/**
 * Loop templates: Keel's built-in ones and the person's own, saved from a loop's framing. A saved
 * one belongs to its loop's space (offered there, and synced with it) unless the person keeps it
 * for every space (it then stays on this computer).
 */
import { Emitter } from '../../../shared/async';
import { isAiMove, loopTemplateSchema, type LoopTemplate, type NewTemplate } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { builtInTemplates } from '../../../shared/templates';
import { newId, now } from '../ids';
import type { Document } from '../store/Store';
import type { TemplatesDocument } from '../store/documents';
import type { LoopService } from './LoopService';

/** The built-in starting points and the person's own. */
export interface Templates {
  list(): LoopTemplate[];
  save(template: NewTemplate): Promise<LoopTemplate>;
  delete(which: { templateId: string }): Promise<{ deleted: string }>;
}

export class TemplateService implements Templates {
  /** A space's own template was saved or deleted here (its id and space). */
  private readonly changed = new Emitter<{ spaceId: string; templateId: string }>();
  /** A space's template arrived from another computer (new, changed or deleted there). */
  private readonly arrived = new Emitter<{ spaceId: string; templateId: string }>();

  constructor(
    private readonly loops: LoopService,
    private readonly document: Document<TemplatesDocument>,
  ) {}

  list(): LoopTemplate[] {
    return [...builtInTemplates, ...this.document.data.templates].map((template) => ({ ...template }));
  }

  onTemplateChanged(listener: (change: { spaceId: string; templateId: string }) => void): () => void {
    return this.changed.subscribe(listener);
  }

  /** Hears of each template sync brought from another computer, e.g. to list the templates again. */
  onTemplateArrived(listener: (change: { spaceId: string; templateId: string }) => void): () => void {
    return this.arrived.subscribe(listener);
  }

  async save({ loopId, name, description, firstMove, everySpace }: NewTemplate): Promise<LoopTemplate> {
    const { summary, document } = await this.loops.open(loopId);
    const space = this.loops.listSpaces({ includeArchived: true }).find((s) => s.id === summary.spaceId);
    // Refine and synthesize need something to work on, which a fresh loop does not have yet.
    const suggested =
      document.data.turns
        .map((turn) => turn.move)
        .filter(isAiMove)
        .find((move) => move !== 'refine' && move !== 'synthesize') ?? document.data.suggestedMove;
    const template: LoopTemplate = {
      id: newId('tp'),
      name,
      description: description ?? `Saved from the loop “${summary.title}”.`,
      kinds: space ? [space.kind] : [],
      title: summary.title,
      intent: { ...document.data.intent },
      firstMove: firstMove ?? suggested ?? (space?.kind === 'journal' ? 'ask' : 'explore'),
      builtIn: false,
      createdAt: now(),
      ...(everySpace ? {} : { spaceId: summary.spaceId }),
    };
    this.document.data.templates.push(template);
    try {
      await this.document.save();
    } catch (error) {
      this.document.data.templates.pop();
      throw error;
    }
    if (template.spaceId) this.changed.emit({ spaceId: template.spaceId, templateId: template.id });
    return { ...template };
  }

  async delete({ templateId }: { templateId: string }): Promise<{ deleted: string }> {
    const templates = this.document.data.templates;
    const index = templates.findIndex((template) => template.id === templateId);
    if (index === -1) {
      const builtIn = builtInTemplates.some((template) => template.id === templateId);
      throw new KeelError(
        builtIn ? 'invalid-input' : 'not-found',
        builtIn ? 'Keel’s own templates cannot be deleted.' : 'That template no longer exists.',
        { field: 'templateId' },
      );
    }
    const removed = await this.removeAt(index);
    if (removed.spaceId) this.changed.emit({ spaceId: removed.spaceId, templateId });
    return { deleted: templateId };
  }

  // ---- sync (a space's own templates only; those for every space never leave this computer) ----

  /** The templates that belong to a space. */
  spaceTemplates(spaceId: string): LoopTemplate[] {
    return this.document.data.templates
      .filter((template) => template.spaceId === spaceId)
      .map((template) => structuredClone(template));
  }

  /** Writes a space's template as another computer sent it (new, or replacing this one's copy). */
  async putSynced(spaceId: string, templateId: string, sent: unknown): Promise<void> {
    const parsed = loopTemplateSchema.safeParse(sent);
    if (!parsed.success) {
      throw new KeelError(
        'sync-failed',
        'A template on the sync server is not one Keel can read. Update Keel on this computer; nothing was changed here.',
      );
    }
    const template = parsed.data;
    if (template.id !== templateId || template.spaceId !== spaceId || template.builtIn) {
      throw new KeelError('sync-failed', 'A template on the sync server belongs to another space.');
    }
    const templates = this.document.data.templates;
    const index = templates.findIndex((candidate) => candidate.id === template.id);
    const before = index === -1 ? undefined : templates[index];
    if (before && before.spaceId !== spaceId) {
      throw new KeelError('sync-failed', 'A template on the sync server belongs to another space.');
    }
    const copy = structuredClone(template);
    if (index === -1) templates.push(copy);
    else templates[index] = copy;
    try {
      await this.document.save();
    } catch (error) {
      if (index === -1) templates.pop();
      else templates[index] = before!;
      throw error;
    }
    this.arrived.emit({ spaceId, templateId });
  }

  /** Removes a space's template that another computer deleted (gone here already is fine). */
  async removeSynced(spaceId: string, templateId: string): Promise<void> {
    const templates = this.document.data.templates;
    const index = templates.findIndex(
      (template) => template.id === templateId && template.spaceId === spaceId,
    );
    if (index === -1) return;
    await this.removeAt(index);
    this.arrived.emit({ spaceId, templateId });
  }

  /** Takes the person's template at `index` out of the file; a failed write puts it back. */
  private async removeAt(index: number): Promise<LoopTemplate> {
    const templates = this.document.data.templates;
    const [removed] = templates.splice(index, 1);
    try {
      await this.document.save();
    } catch (error) {
      templates.splice(index, 0, removed!);
      throw error;
    }
    return removed!;
  }
}
