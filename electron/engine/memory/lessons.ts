/**
 * Learn: the lessons the AI proposes from a loop, for the person to accept, edit or reject. The
 * shape asked of the model (a JSON schema sent as `format`) is generated from the same zod schema
 * that checks its answer, so the two cannot drift apart.
 */
import { z } from 'zod';
import { memoryKinds, type LessonProposal } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { currentVersionIds, reachesModel } from '../../../shared/loopLogic';
import type { LoopService } from '../loops/LoopService';
import type { ModelChoice, ModelService } from '../model/ModelService';

export const lessonsAnswer = z.object({
  lessons: z.array(
    z.object({
      kind: z.enum(memoryKinds),
      text: z.string(),
      scope: z.enum(['everywhere', 'space', 'loop']),
      turns: z.array(z.string()),
    }),
  ),
});

/** The JSON schema the model answers in (the `$schema` line left out: Ollama needs only the shape). */
export const lessonsSchema: Record<string, unknown> = (() => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(lessonsAnswer, { io: 'input' });
  return schema;
})();

/** Asks the chat model for at most five lessons from a loop's turns, each with the turns it came from. */
export async function proposeLessons(
  loops: LoopService,
  models: ModelService,
  choice: (spaceId: string) => Promise<ModelChoice>,
  loopId: string,
): Promise<LessonProposal[]> {
  const { summary, document } = await loops.open(loopId);
  const current = currentVersionIds(document.data.turns);
  const turns = document.data.turns.filter((turn) => reachesModel(turn, current));
  if (turns.length === 0) {
    throw new KeelError('invalid-input', 'This loop has nothing to learn from yet: work in it first.');
  }
  const refs = new Map(turns.map((turn, index) => [`T${index + 1}`, turn.id]));
  const transcript = turns
    .map(
      (turn, index) =>
        `[T${index + 1}] ${turn.author === 'person' ? 'Me' : `You (${turn.move})`}: ${turn.text.slice(0, 2000)}`,
    )
    .join('\n\n');
  const decision = document.data.decision;
  const { chatModel, keepAlive } = await choice(summary.spaceId);
  const answer = await models.structured(chatModel, {
    messages: [
      {
        role: 'system',
        content:
          'You help a person draw lessons from a piece of their own work, to remember for later work. Propose at most ' +
          'five short lessons, each one sentence in the first person, specific and reusable: what they prefer, a principle ' +
          'they hold, context about this client or subject, or a lesson from the outcome. For each, name the turns it came ' +
          'from by their labels (T1, T2…) and whether it holds everywhere, in this space, or only this loop. Answer in JSON.',
      },
      {
        role: 'user',
        content: `Loop: ${summary.title}\nGoal: ${document.data.intent.goal}\n${decision ? `Decision: ${decision.choice}\n` : ''}\n${transcript}`,
      },
    ],
    format: lessonsSchema,
    numCtx: await models.numCtxFor(chatModel),
    keepAlive,
  });
  const parsed = lessonsAnswer.safeParse(answer);
  if (!parsed.success) {
    throw new KeelError(
      'ollama-error',
      'The model’s lessons did not come in the shape Keel asked for. Try again.',
    );
  }
  return parsed.data.lessons
    .filter((lesson) => lesson.text.trim() !== '')
    .slice(0, 5)
    .map((lesson) => ({
      kind: lesson.kind,
      text: lesson.text.trim(),
      scope: lesson.scope,
      turnIds: lesson.turns
        .map((ref) => refs.get(ref.trim().toUpperCase()))
        .filter((id): id is string => !!id),
    }));
}
