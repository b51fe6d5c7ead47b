import { aiMoves, type AiMove, type AppInfo } from '../../../../shared/domain';

/** The AI's moves as commands: short names, in the order of their Alt+1…5 shortcuts. */
export const moveCommandLabels: Record<AiMove, string> = {
  explore: 'Explore',
  challenge: 'Challenge',
  synthesize: 'Synthesize',
  ask: 'Ask',
  refine: 'Refine',
  patterns: 'Patterns',
};

/**
 * The move for an Alt+digit key press. `event.code` names the physical key, so it works on a Mac,
 * where Option+1 types "¡" and `event.key` is no help.
 */
export function moveForShortcut(event: {
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}): AiMove | undefined {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  const match = /^(?:Digit|Numpad)([1-5])$/.exec(event.code);
  return match ? aiMoves[Number(match[1]) - 1] : undefined;
}

/** How the shortcut of a move is written on this machine: "Alt+2", or "⌥2" on a Mac. */
export function moveShortcutLabel(move: AiMove, platform?: AppInfo['platform']): string {
  const digit = aiMoves.indexOf(move) + 1;
  return isMac(platform) ? `⌥${digit}` : `Alt+${digit}`;
}

/** The shortcut as `aria-keyshortcuts` spells it. */
export function moveKeyShortcut(move: AiMove): string {
  return `Alt+${aiMoves.indexOf(move) + 1}`;
}

export function isMac(platform?: AppInfo['platform']): boolean {
  if (platform) return platform === 'mac';
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);
}
