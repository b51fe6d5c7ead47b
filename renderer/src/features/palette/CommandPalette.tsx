import { useEffect, useId, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { useShallow } from 'zustand/react/shallow';
import { aiMoves } from '../../../../shared/domain';
import { streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { Dialog } from '../common/Dialog';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { downloadFile } from '../export/downloadFile';
import { aiMoveLabels } from '../loop/aiMoveLabels';
import { filterCommands } from './filterCommands';
import {
  isMac,
  moveCommandLabels,
  moveForShortcut,
  moveKeyShortcut,
  moveShortcutLabel,
} from './moveShortcuts';

interface Command {
  id: string;
  label: string;
  keywords?: string;
  /** What it does, or why it cannot run now. */
  hint?: string;
  /** The shortcut as shown ("Alt+2") and as `aria-keyshortcuts` spells it. */
  shortcut?: { label: string; aria: string };
  /** Set when the command cannot run now; the hint says why. */
  disabled?: boolean;
  /** Runs once the palette has closed (focus is back in the page), unless it changes the palette's view. */
  run: () => void;
  /** Keeps the palette open (it shows another list). */
  stays?: boolean;
}

type View = 'commands' | 'spaces' | 'shortcuts';

/** The parts of the loop view that fold away, each with its Alt key (the loop view handles the keys). */
const layoutToggles = [
  {
    part: 'intent',
    key: 'I',
    label: 'Fold or show the intent',
    keywords: 'intent goal collapse expand summary',
    hint: 'One line with the goal, or the whole intent',
  },
  {
    part: 'draft',
    key: 'D',
    label: 'Hide or show the draft',
    keywords: 'draft column panel collapse expand tab layout',
    hint: 'Gives the timeline the whole width, or brings the draft back',
  },
] as const;

/** True while any modal dialog is open: keyboard shortcuts then belong to it. */
function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Where the composer's text box is; the composer belongs to the loop view. */
function focusComposer() {
  document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
}

function KeyboardShortcuts({ modifierKey, mac }: { modifierKey: string; mac: boolean }) {
  const alt = mac ? '⌥' : 'Alt+';
  const rows: [string, string][] = [
    [`${modifierKey}+K`, 'Open the command palette'],
    [`${alt}1 … ${alt}5`, 'Ask for a move: explore, challenge, synthesize, ask, refine'],
    ['Enter', 'Send (in the composer); Shift+Enter for a new line'],
    [`${modifierKey}+Enter`, 'Add a note without asking the AI'],
    ['Esc', 'Stop the AI while it writes; close a dialog'],
    [`${modifierKey}+S`, 'Save the draft as a version (in the draft)'],
    [`${alt}I`, 'Fold the intent to one line, or show it whole'],
    [`${alt}D`, 'Hide or show the draft beside the timeline (its tab in a narrow window)'],
    [`${modifierKey}+Shift+F`, 'Search everything (also / outside a text box)'],
    [`${modifierKey}+N`, 'New loop'],
    [`${modifierKey}+,`, 'Open or close settings'],
    [`${modifierKey}+L`, 'Lock Keel (with encryption on)'],
  ];
  return (
    <table className="shortcut-table" aria-label="Keyboard shortcuts">
      <tbody>
        {rows.map(([keys, action]) => (
          <tr key={keys}>
            <th scope="row">
              <kbd>{keys}</kbd>
            </th>
            <td>{action}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The palette's contents: a text box filtering a list of commands (or of spaces, or the shortcuts). */
function PaletteBody({ onClose }: { onClose: () => void }) {
  const inputId = useId();
  const listId = useId();
  const optionIdPrefix = useId();
  const [view, setView] = useState<View>('commands');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  const openLoop = useKeel((state) => state.openLoop);
  const loops = useKeel(useShallow((state) => state.loops));
  const spaces = useKeel(useShallow((state) => state.spaces));
  const busy = useKeel(
    (state) => state.sendingLoopId !== null || streamingTurn(state.openLoop) !== undefined,
  );
  const streaming = useKeel((state) => streamingTurn(state.openLoop) !== undefined);
  const platform = useKeel((state) => state.appInfo?.platform);
  const targetSpaceId = useKeel(
    (state) => state.openLoop?.spaceId ?? state.currentSpaceId ?? state.spaces[0]?.id,
  );
  const actions = useKeel(
    useShallow((state) => ({
      requestMove: state.requestMove,
      stop: state.stop,
      openLoopById: state.openLoopById,
      selectSpace: state.selectSpace,
      closeLoop: state.closeLoop,
      openDialog: state.openDialog,
      openSettings: state.openSettings,
      requestDraftFocus: state.requestDraftFocus,
      requestLayoutToggle: state.requestLayoutToggle,
      exportLoop: state.exportLoop,
      showError: state.showError,
      cycleTheme: state.cycleTheme,
      lockNow: state.lockNow,
      openMemory: state.openMemory,
      openSearch: state.openSearch,
      openLedger: state.openLedger,
      showSourcesPanel: state.showSourcesPanel,
    })),
  );
  const encrypted = useKeel((state) => state.engineState?.encrypted === true);
  const modifierKey = modifierKeyLabel(platform);
  const mac = isMac(platform);

  const spaceName = (spaceId: string) => spaces.find((space) => space.id === spaceId)?.name ?? '';

  const commands: Command[] = [];
  if (openLoop) {
    for (const move of aiMoves) {
      // Patterns needs a period of journal entries: the journal's composer asks for it.
      if (move === 'patterns') continue;
      commands.push({
        id: `move-${move}`,
        label: moveCommandLabels[move],
        keywords: `${aiMoveLabels[move].label} move ai`,
        hint: busy ? 'The AI is still writing: wait for it or stop it first.' : aiMoveLabels[move].hint,
        shortcut: { label: moveShortcutLabel(move, platform), aria: moveKeyShortcut(move) },
        disabled: busy,
        run: () => void actions.requestMove(move),
      });
    }
    commands.push({
      id: 'stop',
      label: 'Stop the AI',
      hint: streaming ? 'Keep what it wrote so far, marked stopped.' : 'The AI is not writing now.',
      shortcut: { label: 'Esc', aria: 'Escape' },
      disabled: !streaming,
      run: () => void actions.stop(),
    });
  }
  for (const loop of loops) {
    commands.push({
      id: `loop-${loop.id}`,
      label: `Go to loop: ${loop.title}`,
      keywords: spaceName(loop.spaceId),
      hint: loop.id === openLoop?.id ? `${spaceName(loop.spaceId)} · open now` : spaceName(loop.spaceId),
      run: () => void actions.openLoopById(loop.id),
    });
  }
  if (spaces.length > 0) {
    commands.push({
      id: 'go-to-space',
      label: 'Go to space…',
      hint: 'A space’s start page',
      run: () => {
        setView('spaces');
        setQuery('');
        setActive(0);
      },
      stays: true,
    });
  }
  commands.push(
    {
      id: 'new-loop',
      label: 'New loop',
      hint: targetSpaceId ? `In ${spaceName(targetSpaceId)}` : 'Make a space first',
      shortcut: { label: `${modifierKey}+N`, aria: mac ? 'Meta+N' : 'Control+N' },
      run: () =>
        actions.openDialog(
          targetSpaceId ? { kind: 'new-loop', spaceId: targetSpaceId } : { kind: 'new-space' },
        ),
    },
    {
      id: 'new-space',
      label: 'New space',
      hint: 'A client, a plan, a journal…',
      run: () => actions.openDialog({ kind: 'new-space' }),
    },
    {
      id: 'settings',
      label: 'Open settings',
      hint: 'Models, downloads and the model host',
      shortcut: { label: `${modifierKey}+,`, aria: mac ? 'Meta+,' : 'Control+,' },
      run: () => actions.openSettings(),
    },
    {
      id: 'search',
      label: 'Search everything',
      keywords: 'find loops turns drafts decisions memories sources',
      hint: 'Loops, turns, drafts, decisions, memories and sources, in every space',
      shortcut: { label: `${modifierKey}+Shift+F`, aria: mac ? 'Meta+Shift+F' : 'Control+Shift+F' },
      run: () => actions.openSearch(),
    },
    {
      id: 'memory',
      label: 'Open memory',
      keywords: 'remember preferences lessons reviews',
      hint: 'What Keel remembers, and decisions to review',
      run: () => actions.openMemory(),
    },
    {
      id: 'ledger',
      label: 'Open the decision ledger',
      keywords: 'decisions forecasts calibration brier resolve due scores',
      hint: 'Every decision and forecast, what is due to resolve, and your calibration',
      run: () => actions.openLedger(),
    },
    ...(openLoop || targetSpaceId
      ? [
          {
            id: 'sources',
            label: 'Add sources…',
            keywords: 'documents files pdf word docx markdown csv upload paste',
            hint: openLoop
              ? 'Your documents for this loop to draw on'
              : `Your documents for ${spaceName(targetSpaceId ?? '')} to draw on`,
            run: () => actions.showSourcesPanel(),
          },
        ]
      : []),
    {
      id: 'privacy',
      label: 'Open privacy',
      keywords: 'network requests encryption backups',
      hint: 'What Keel sent over the network; encryption and backups',
      run: () => actions.openSettings('privacy'),
    },
  );
  if (encrypted) {
    commands.push({
      id: 'lock',
      label: 'Lock Keel',
      hint: 'Your passphrase opens it again',
      shortcut: { label: `${modifierKey}+L`, aria: mac ? 'Meta+L' : 'Control+L' },
      run: () => void actions.lockNow(),
    });
  }
  if (openLoop) {
    const loopId = openLoop.id;
    commands.push(
      {
        id: 'focus-composer',
        label: 'Focus the composer',
        hint: 'Where you write to the AI',
        run: focusComposer,
      },
      {
        id: 'focus-draft',
        label: 'Focus the draft',
        hint: 'The work product',
        run: () => actions.requestDraftFocus(),
      },
      ...layoutToggles.map(({ part, key, ...texts }) => ({
        id: `toggle-${part}`,
        ...texts,
        shortcut: { label: mac ? `⌥${key}` : `Alt+${key}`, aria: `Alt+${key}` },
        run: () => actions.requestLayoutToggle(part),
      })),
      {
        id: 'export-markdown',
        label: 'Export as Markdown',
        hint: 'The intent, the decision and the draft, as a .md file',
        run: () =>
          void actions.exportLoop(loopId, 'markdown', false).then((result) => {
            if (!result.ok) actions.showError(result.error);
            else downloadFile(result.value);
          }),
      },
    );
  }
  commands.push(
    {
      id: 'theme',
      label: 'Toggle theme',
      hint: 'System, light or dark',
      run: () => void actions.cycleTheme(),
    },
    {
      id: 'shortcuts',
      label: 'Keyboard shortcuts',
      hint: 'Every shortcut on one page',
      run: () => setView('shortcuts'),
      stays: true,
    },
  );

  const spaceCommands: Command[] = spaces.map((space) => ({
    id: `space-${space.id}`,
    label: space.name,
    hint: `${loops.filter((loop) => loop.spaceId === space.id).length} loops`,
    run: () => {
      actions.closeLoop();
      actions.selectSpace(space.id);
    },
  }));

  const listed = filterCommands(view === 'spaces' ? spaceCommands : commands, query);
  const activeIndex = Math.min(active, Math.max(listed.length - 1, 0));
  const activeCommand = listed[activeIndex];
  const optionId = (index: number) => `${optionIdPrefix}-option-${index}`;

  const run = (command: Command | undefined) => {
    if (!command || command.disabled) return;
    if (command.stays) {
      command.run();
      return;
    }
    // Close first, so focus is back in the page before the command moves it.
    flushSync(onClose);
    command.run();
  };

  const backToCommands = () => {
    setView('commands');
    setQuery('');
    setActive(0);
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape' && view !== 'commands') {
      // Back to the commands rather than out of the palette.
      event.preventDefault();
      event.stopPropagation();
      backToCommands();
      return;
    }
    if (view === 'shortcuts') return;
    if (event.nativeEvent.isComposing) return;
    const last = listed.length - 1;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(activeIndex >= last ? 0 : activeIndex + 1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(activeIndex <= 0 ? Math.max(last, 0) : activeIndex - 1);
    } else if (event.key === 'Home' && event.ctrlKey) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End' && event.ctrlKey) {
      event.preventDefault();
      setActive(Math.max(last, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(activeCommand);
    } else if (event.key === 'Backspace' && query === '' && view === 'spaces') {
      event.preventDefault();
      backToCommands();
    }
  };

  if (view === 'shortcuts') {
    return (
      <div className="palette" onKeyDown={onKeyDown}>
        <h3 className="palette-subtitle">Keyboard shortcuts</h3>
        <KeyboardShortcuts modifierKey={modifierKey} mac={mac} />
        <div className="palette-footer">
          <button type="button" className="button button-small" onClick={backToCommands} autoFocus>
            Back to commands
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="palette" onKeyDown={onKeyDown}>
      <label htmlFor={inputId} className="palette-label">
        {view === 'spaces' ? 'Type a space' : 'Type a command'}
      </label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        className="palette-input"
        autoComplete="off"
        spellCheck={false}
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeCommand ? optionId(activeIndex) : undefined}
        placeholder={view === 'spaces' ? 'Go to space…' : 'Explore, go to a loop, export…'}
        value={query}
        autoFocus
        data-autofocus
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
      />
      <ul
        id={listId}
        role="listbox"
        className="palette-list"
        aria-label={view === 'spaces' ? 'Spaces' : 'Commands'}
      >
        {listed.map((command, index) => (
          <li
            key={command.id}
            id={optionId(index)}
            role="option"
            className="palette-option"
            aria-selected={index === activeIndex}
            aria-disabled={command.disabled || undefined}
            aria-keyshortcuts={command.shortcut?.aria}
            title={
              command.shortcut
                ? `${command.label} (${command.shortcut.label})`
                : (command.hint ?? command.label)
            }
            onPointerMove={() => {
              if (index !== activeIndex) setActive(index);
            }}
            onClick={() => run(command)}
          >
            <span className="palette-option-label">{command.label}</span>
            {command.hint ? <span className="palette-option-hint">{command.hint}</span> : null}
            {command.shortcut ? (
              <kbd className="palette-option-key" aria-hidden="true">
                {command.shortcut.label}
              </kbd>
            ) : null}
          </li>
        ))}
      </ul>
      {listed.length === 0 ? (
        <p className="palette-empty" role="status">
          Nothing matches “{query}”.
        </p>
      ) : null}
      <div className="palette-footer">
        <span className="palette-keys" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> run · <kbd>Esc</kbd>{' '}
          {view === 'spaces' ? 'back' : 'close'}
        </span>
        {view === 'spaces' ? (
          <button type="button" className="button button-small button-quiet" onClick={backToCommands}>
            Back to commands
          </button>
        ) : (
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => setView('shortcuts')}
          >
            Keyboard shortcuts
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * The command palette (Ctrl/Cmd+K): every action of the workspace by name. It also owns the move
 * shortcuts, Alt+1…5, which ask for a move from anywhere in an open loop.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const hasLoop = useKeel((state) => state.openLoop !== null);
  const busy = useKeel(
    (state) => state.sendingLoopId !== null || streamingTurn(state.openLoop) !== undefined,
  );
  const requestMove = useKeel((state) => state.requestMove);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const commandKey = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
      if (commandKey && event.key.toLowerCase() === 'k') {
        if (open) {
          event.preventDefault();
          setOpen(false);
        } else if (!modalOpen()) {
          event.preventDefault();
          setOpen(true);
        }
        return;
      }
      const move = moveForShortcut(event);
      if (!move || open || modalOpen() || !hasLoop) return;
      event.preventDefault();
      if (!busy) void requestMove(move);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [open, hasLoop, busy, requestMove]);

  if (!open) return null;
  return (
    <Dialog title="Command palette" onClose={() => setOpen(false)}>
      <PaletteBody onClose={() => setOpen(false)} />
    </Dialog>
  );
}
