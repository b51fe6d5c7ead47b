import type { AppInfo } from '../../../../shared/domain';

/** The key that goes with shortcuts on this machine: ⌘ on a Mac, Ctrl elsewhere. */
export function modifierKeyLabel(platform?: AppInfo['platform']): string {
  if (platform) return platform === 'mac' ? '⌘' : 'Ctrl';
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl';
}
