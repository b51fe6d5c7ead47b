/** Loop templates: Keel's built-in ones and the person's own, saved from a loop's framing. */
import type { NewTemplate } from '../../../shared/domain';
import type { CallArgs } from '../../../shared/contract';
import { isAiMove, type LoopTemplate } from '../../../shared/domain';
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
  constructor(
    private readonly loops: LoopService,
    private readonly document: Document<TemplatesDocument>,
  ) {}

  list(): LoopTemplate[] {
    return [...builtInTemplates, ...this.document.data.templates].map((template) => ({ ...template }));
  }

  async save({ loopId, name, description, firstMove }: CallArgs<'saveTemplate'>): Promise<LoopTemplate> {
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
    };
    this.document.data.templates.push(template);
    try {
      await this.document.save();
    } catch (error) {
      this.document.data.templates.pop();
      throw error;
    }
    return { ...template };
  }

  async delete({ templateId }: CallArgs<'deleteTemplate'>): Promise<{ deleted: string }> {
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
    const [removed] = templates.splice(index, 1);
    try {
      await this.document.save();
    } catch (error) {
      templates.splice(index, 0, removed!);
      throw error;
    }
    return { deleted: templateId };
  }
}
