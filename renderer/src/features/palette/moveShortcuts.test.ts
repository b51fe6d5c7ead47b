import { describe, expect, it } from 'vitest';
import { moveForShortcut, moveShortcutLabel } from './moveShortcuts';

const keys = { altKey: true, ctrlKey: false, metaKey: false, shiftKey: false };

describe('move shortcuts', () => {
  it('Alt+1…5 are explore, challenge, synthesize, ask, refine, by physical key', () => {
    expect(
      ['Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5'].map((code) => moveForShortcut({ ...keys, code })),
    ).toEqual(['explore', 'challenge', 'synthesize', 'ask', 'refine']);
    expect(moveForShortcut({ ...keys, code: 'Numpad5' })).toBe('refine');
  });

  it('other keys and other modifiers are not moves', () => {
    expect(moveForShortcut({ ...keys, code: 'Digit6' })).toBeUndefined();
    expect(moveForShortcut({ ...keys, altKey: false, code: 'Digit1' })).toBeUndefined();
    expect(moveForShortcut({ ...keys, ctrlKey: true, code: 'Digit1' })).toBeUndefined();
    expect(moveForShortcut({ ...keys, shiftKey: true, code: 'Digit1' })).toBeUndefined();
  });

  it('is written the way each system writes it', () => {
    expect(moveShortcutLabel('challenge', 'linux')).toBe('Alt+2');
    expect(moveShortcutLabel('refine', 'mac')).toBe('⌥5');
  });
});
