import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { attachContextMenu, contextMenuTemplate, type MenuContext } from './contextMenu';

const allFlags = {
  canUndo: true,
  canRedo: true,
  canCut: true,
  canCopy: true,
  canPaste: true,
  canDelete: true,
  canSelectAll: true,
  canEditRichly: false,
};

function context(more: Partial<MenuContext> = {}): MenuContext {
  return {
    isEditable: false,
    selectionText: '',
    editFlags: allFlags,
    misspelledWord: '',
    dictionarySuggestions: [],
    ...more,
  };
}

const labels = (items: MenuItemConstructorOptions[]) =>
  items.map((item) =>
    item.type === 'separator' ? '—' : `${item.label}${item.enabled === false ? ' (off)' : ''}`,
  );

describe('contextMenuTemplate', () => {
  it('offers cut, copy, paste and select all in a field, as the field allows', () => {
    const items = contextMenuTemplate(
      context({ isEditable: true, editFlags: { ...allFlags, canCut: false, canCopy: false } }),
      vi.fn(),
    );
    expect(labels(items)).toEqual(['Cut (off)', 'Copy (off)', 'Paste', '—', 'Select All']);
    expect(items.map((item) => item.role)).toEqual(['cut', 'copy', 'paste', undefined, 'selectAll']);
  });

  it('offers copy of selected text and select all outside a field', () => {
    expect(labels(contextMenuTemplate(context({ selectionText: 'an idea' }), vi.fn()))).toEqual([
      'Copy',
      'Select All',
    ]);
    expect(labels(contextMenuTemplate(context({ selectionText: '  ' }), vi.fn()))).toEqual([
      'Copy (off)',
      'Select All',
    ]);
  });

  it('puts spelling suggestions first, and each replaces the misspelled word', () => {
    const replace = vi.fn();
    const items = contextMenuTemplate(
      context({
        isEditable: true,
        misspelledWord: 'recieve',
        dictionarySuggestions: ['receive', 'relieve', 'reprieve', 'receiver', 'recite', 'revive'],
      }),
      replace,
    );
    expect(labels(items).slice(0, 6)).toEqual(['receive', 'relieve', 'reprieve', 'receiver', 'recite', '—']);
    items[0]?.click?.({} as never, undefined, {} as never);
    expect(replace).toHaveBeenCalledExactlyOnceWith('receive');
  });

  it('says when the spelling checker has no suggestion', () => {
    const items = contextMenuTemplate(context({ isEditable: true, misspelledWord: 'qzxv' }), vi.fn());
    expect(labels(items)[0]).toBe('No spelling suggestions (off)');
  });
});

describe('attachContextMenu', () => {
  it('pops the menu up on every right-click, wired to the webContents', () => {
    let listener: ((event: unknown, params: MenuContext) => void) | undefined;
    const contents = {
      on: vi.fn((_name: 'context-menu', handler: typeof listener) => (listener = handler)),
      replaceMisspelling: vi.fn(),
    };
    const popup = vi.fn();
    attachContextMenu(contents, popup);
    expect(contents.on).toHaveBeenCalledWith('context-menu', expect.any(Function));
    listener?.({}, context({ isEditable: true, misspelledWord: 'teh', dictionarySuggestions: ['the'] }));
    const template = popup.mock.calls[0]?.[0] as MenuItemConstructorOptions[];
    template[0]?.click?.({} as never, undefined, {} as never);
    expect(contents.replaceMisspelling).toHaveBeenCalledWith('the');
  });
});
