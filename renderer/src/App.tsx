import { useEffect } from 'react';
import { useKeel, useKeelFields } from './store/KeelStoreProvider';
import { DialogHost } from './features/common/DialogHost';
import { NoticeStack } from './features/common/NoticeStack';
import { CommandPalette } from './features/palette/CommandPalette';
import { SpaceHome } from './features/home/SpaceHome';
import { WelcomePanel } from './features/home/WelcomePanel';
import { LedgerView } from './features/ledger/LedgerView';
import { AnswerAnnouncer } from './features/loop/AnswerAnnouncer';
import { LoopView } from './features/loop/LoopView';
import { MemoryView } from './features/memory/MemoryView';
import { SearchView } from './features/search/SearchView';
import { useSearchShortcuts } from './features/search/useSearchShortcuts';
import { Sidebar } from './features/sidebar/Sidebar';
import { SettingsView } from './features/settings/SettingsView';
import { SourceViewerHost } from './features/sources/SourceViewer';
import { ModelStatusBar } from './features/status/ModelStatusBar';
import { errorHeading } from './features/common/errorHeading';
import { DamagedLoopPanel } from './features/trust/DamagedLoopPanel';
import { TrustGate } from './features/trust/TrustGate';
import { useIdleLock } from './features/trust/useIdleLock';

/** What the main area shows: the open loop, a space's start page, the welcome, or why none of them. */
function Workspace() {
  const { loadError, loadWorkspace, spacesLoaded, openLoop, damagedLoop } = useKeelFields(
    'loadError',
    'loadWorkspace',
    'spacesLoaded',
    'openLoop',
    'damagedLoop',
  );
  const hasSpaces = useKeel((state) => state.spaces.length > 0);
  const opening = useKeel((state) => state.openingLoopId !== null);
  const currentSpace = useKeel(
    (state) => state.spaces.find((space) => space.id === state.currentSpaceId) ?? state.spaces[0],
  );
  // The pages that take the main area while they are open.
  const pages = useKeelFields('settingsOpen', 'memoryOpen', 'searchOpen', 'ledgerOpen');

  if (loadError) {
    return (
      <section className="panel" aria-labelledby="load-error-title">
        <h1 id="load-error-title">Keel could not open your workspace</h1>
        <div role="alert" className="form-error">
          <strong>{errorHeading(loadError.code)}.</strong> {loadError.message}
        </div>
        <button type="button" className="button button-primary" onClick={() => void loadWorkspace()}>
          Try again
        </button>
      </section>
    );
  }
  if (pages.settingsOpen) return <SettingsView />;
  if (!spacesLoaded) return <p className="panel muted">Opening your workspace…</p>;
  if (pages.memoryOpen) return <MemoryView />;
  if (pages.searchOpen) return <SearchView />;
  if (pages.ledgerOpen) return <LedgerView />;
  if (!hasSpaces) return <WelcomePanel />;
  if (openLoop) return <LoopView loop={openLoop} />;
  if (opening) return <p className="panel muted">Opening the loop…</p>;
  if (damagedLoop) return <DamagedLoopPanel key={damagedLoop.loopId} damaged={damagedLoop} />;
  if (currentSpace) return <SpaceHome key={currentSpace.id} space={currentSpace} />;
  return null;
}

export function App() {
  const start = useKeel((state) => state.start);
  const theme = useKeel((state) => state.theme);

  useEffect(() => start(), [start]);
  useIdleLock();
  useSearchShortcuts();

  // 'system' leaves the choice to prefers-color-scheme in the style sheet.
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  const openDialog = useKeel((state) => state.openDialog);
  const hasDialog = useKeel((state) => state.dialog !== null);
  const settingsOpen = useKeel((state) => state.settingsOpen);
  const openSettings = useKeel((state) => state.openSettings);
  const closeSettings = useKeel((state) => state.closeSettings);
  const targetSpaceId = useKeel(
    (state) => state.openLoop?.spaceId ?? state.currentSpaceId ?? state.spaces[0]?.id,
  );
  const workspaceOpen = useKeel((state) => state.engineState?.status === 'open');
  const encrypted = useKeel((state) => state.engineState?.encrypted === true);
  const lockNow = useKeel((state) => state.lockNow);

  // Ctrl/Cmd+N: a new loop in the space the person is in (or a first space when there is none).
  // Ctrl/Cmd+, opens Settings (and closes them again), as in most desktop apps. Ctrl/Cmd+L locks.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || !workspaceOpen) return;
      const key = event.key.toLowerCase();
      if (key === 'l' && encrypted) {
        event.preventDefault();
        void lockNow();
        return;
      }
      if (hasDialog) return;
      if (key === 'n') {
        event.preventDefault();
        openDialog(targetSpaceId ? { kind: 'new-loop', spaceId: targetSpaceId } : { kind: 'new-space' });
      } else if (key === ',') {
        event.preventDefault();
        if (settingsOpen) closeSettings();
        else openSettings();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [
    hasDialog,
    openDialog,
    targetSpaceId,
    settingsOpen,
    openSettings,
    closeSettings,
    workspaceOpen,
    encrypted,
    lockNow,
  ]);

  return (
    <TrustGate>
      <div className="app">
        <Sidebar />
        <main className="main">
          <ModelStatusBar />
          <NoticeStack />
          <AnswerAnnouncer />
          <div className="content">
            <Workspace />
          </div>
        </main>
        <DialogHost />
        <SourceViewerHost />
        <CommandPalette />
      </div>
    </TrustGate>
  );
}
