import { describe, expect, it } from 'vitest';
import { memoryKinds } from '../../../shared/domain';
import { lessonsAnswer, lessonsSchema } from './lessons';

/** The schema Keel sent the model by hand before it was generated from zod. */
const handKept = {
  type: 'object',
  properties: {
    lessons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: [...memoryKinds] },
          text: { type: 'string' },
          scope: { type: 'string', enum: ['everywhere', 'space', 'loop'] },
          turns: { type: 'array', items: { type: 'string' } },
        },
        required: ['kind', 'text', 'scope', 'turns'],
      },
    },
  },
  required: ['lessons'],
};

describe('the lessons schema', () => {
  it('asks the model for exactly the shape the hand-kept schema asked for', () => {
    expect(lessonsSchema).toEqual(handKept);
  });

  it('accepts the lessons it accepted and refuses what it refused', () => {
    const lesson = { kind: 'preference', text: 'I like short memos.', scope: 'space', turns: ['T1'] };
    expect(lessonsAnswer.safeParse({ lessons: [lesson] }).success).toBe(true);
    expect(lessonsAnswer.safeParse({ lessons: [] }).success).toBe(true);
    expect(lessonsAnswer.safeParse({}).success).toBe(false);
    expect(lessonsAnswer.safeParse({ lessons: [{ ...lesson, kind: 'hunch' }] }).success).toBe(false);
    expect(lessonsAnswer.safeParse({ lessons: [{ ...lesson, scope: 'team' }] }).success).toBe(false);
    const { turns: _turns, ...withoutTurns } = lesson;
    expect(lessonsAnswer.safeParse({ lessons: [withoutTurns] }).success).toBe(false);
  });
});
