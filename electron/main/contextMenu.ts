/**
 * The right-click menu: cut, copy, paste and select all, and the spelling checker's suggestions
 * where it runs (macOS, see `usesLocalSpellchecker`). Electron shows no menu of its own, so without
 * this a right-click did nothing. The menu's content is a pure function of Chromium's
 * `context-menu` parameters so it is tested without Electron.
 */
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';

/** The parameters of Chromium's `context-menu` event the menu reads. */
export type MenuContext = Pick<
  ContextMenuParams,
  'isEditable' | 'selectionText' | 'editFlags' | 'misspelledWord' | 'dictionarySuggestions'
>;

/** At most this many spelling suggestions, as Chromium's own menu does. */
const maxSuggestions = 5;

/**
 * The menu for one right-click: spelling suggestions first (over a misspelled word in a field),
 * then cut, copy, paste and select all in a field, or copy and select all elsewhere. Items that
 * cannot act now (copy with nothing selected) are shown disabled, so the menu keeps its shape.
 */
export function contextMenuTemplate(
  context: MenuContext,
  replaceMisspelling: (word: string) => void,
): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  const flags = context.editFlags;
  if (context.isEditable && context.misspelledWord) {
    const suggestions = context.dictionarySuggestions.slice(0, maxSuggestions);
    for (const suggestion of suggestions) {
      items.push({ label: suggestion, click: () => replaceMisspelling(suggestion) });
    }
    if (suggestions.length === 0) items.push({ label: 'No spelling suggestions', enabled: false });
    items.push({ type: 'separator' });
  }
  if (context.isEditable) {
    items.push(
      { label: 'Cut', role: 'cut', enabled: flags.canCut },
      { label: 'Copy', role: 'copy', enabled: flags.canCopy },
      { label: 'Paste', role: 'paste', enabled: flags.canPaste },
      { type: 'separator' },
      { label: 'Select All', role: 'selectAll', enabled: flags.canSelectAll },
    );
  } else {
    items.push(
      { label: 'Copy', role: 'copy', enabled: context.selectionText.trim() !== '' && flags.canCopy },
      { label: 'Select All', role: 'selectAll', enabled: flags.canSelectAll },
    );
  }
  return items;
}

/** What `attachContextMenu` needs of a webContents. */
export interface MenuTarget {
  on(event: 'context-menu', listener: (event: unknown, params: MenuContext) => void): unknown;
  replaceMisspelling(word: string): void;
}

/** Shows the menu on every right-click in `contents`; `popup` builds and shows it (`Menu`). */
export function attachContextMenu(
  contents: MenuTarget,
  popup: (template: MenuItemConstructorOptions[]) => void,
): void {
  contents.on('context-menu', (_event, params) => {
    popup(contextMenuTemplate(params, (word) => contents.replaceMisspelling(word)));
  });
}
