import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { draftWidthLimits, type Loop, type LoopLayout } from '../../../../shared/domain';
import { streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { DraftPanel } from '../draft/DraftPanel';
import { ExportMenu } from '../export/ExportMenu';
import { LessonsPanel } from '../memory/LessonsPanel';
import { SourcesPanel } from '../sources/SourcesPanel';
import { SyncConflictNotices } from '../sync/SyncConflictNotices';
import { Composer } from './Composer';
import { DecisionForm, DecisionSummary, EarlierDecisions } from './DecisionPanel';
import { IntentPanel } from './IntentPanel';
import { StageTrail } from './StageTrail';
import { Timeline } from './Timeline';
import { useEscape } from '../common/useEscape';
import { VerbButtons } from '../common/VerbButtons';
import { DraftResizer } from './DraftResizer';
import { useLoopLayout } from './useLoopLayout';
import { useNarrowWindow } from './useNarrowWindow';

/** The least width the timeline keeps beside the draft, and the width of the edge between them. */
const timelineMinWidth = 420;
const resizerWidth = 10;

type LoopTab = 'timeline' | 'draft';

/** True while a modal dialog is open: the loop's shortcuts then belong to it. */
function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** The draft column's widths for a loop body this wide: the narrowest, the widest and the default. */
function draftWidths(bodyWidth: number) {
  const max = Math.max(
    draftWidthLimits.min,
    Math.min(draftWidthLimits.max, bodyWidth - timelineMinWidth - resizerWidth),
  );
  const preferred = Math.min(460, Math.max(300, Math.round(bodyWidth * 0.36)));
  return { min: draftWidthLimits.min, max, preferred: Math.min(max, preferred) };
}

/** One of the narrow window's two tabs: only the selected one is in the tab order (arrow keys move). */
function LoopTab({
  id,
  selected,
  controls,
  keyShortcuts,
  onSelect,
  children,
}: {
  id: string;
  selected: boolean;
  controls: string;
  keyShortcuts?: string;
  onSelect: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="tab"
      id={id}
      aria-selected={selected}
      aria-controls={controls}
      aria-keyshortcuts={keyShortcuts}
      tabIndex={selected ? 0 : -1}
      className="loop-tab"
      onClick={onSelect}
    >
      {children}
    </button>
  );
}

/**
 * The open loop: its title, intent and (once made) decision at the top, where it stands, the
 * timeline and composer, and beside them the draft (and the decision form while it is open).
 *
 * The layout is the person's, per loop: the intent folds to one line, the draft column can be
 * resized or folded away, and the choice is kept in the loop's file. Below about 1100 px the draft
 * does not fit beside the timeline: the two become tabs.
 */
export function LoopView({ loop }: { loop: Loop }) {
  const space = useKeel((state) => state.spaces.find((candidate) => candidate.id === loop.spaceId));
  const openDialog = useKeel((state) => state.openDialog);
  const stop = useKeel((state) => state.stop);
  const learning = useKeel((state) => state.lessons[loop.id] !== undefined);
  const proposeLessons = useKeel((state) => state.proposeLessons);
  const closeLessons = useKeel((state) => state.closeLessons);
  const sourcesOpen = useKeel((state) => state.sourcesPanelLoopId === loop.id);
  const setSourcesPanel = useKeel((state) => state.setSourcesPanel);
  const loadSources = useKeel((state) => state.loadSources);
  const draftFocusRequest = useKeel((state) => state.draftFocusRequest);
  const draftSearchRequest = useKeel((state) =>
    state.searchFocus?.loopId === loop.id && state.searchFocus.part === 'draft'
      ? state.searchFocus.request
      : 0,
  );
  const turnFocusRequest = useKeel((state) =>
    state.turnFocus?.loopId === loop.id ? state.turnFocus.request : 0,
  );
  const layoutRequest = useKeel((state) => state.layoutRequest);
  const sourcesPanelId = useId();
  const mainId = useId();
  const sideId = useId();
  const timelineTabId = useId();
  const draftTabId = useId();
  const streaming = streamingTurn(loop) !== undefined;
  const [decidingLoopId, setDecidingLoopId] = useState<string | null>(null);
  const deciding = decidingLoopId === loop.id && !loop.decision;
  const sidePanelOpen = deciding || sourcesOpen || learning;

  const narrow = useNarrowWindow();
  const { layout, changeLayout } = useLoopLayout(loop);
  const [tabFor, setTabFor] = useState<{ loopId: string; tab: LoopTab }>({
    loopId: loop.id,
    tab: 'timeline',
  });
  const tab = tabFor.loopId === loop.id ? tabFor.tab : 'timeline';
  const hasIntent = Object.values(loop.intent).some((value) => value.trim() !== '');
  const intentExpanded = layout.intentExpanded ?? false;
  const draftCollapsed = !narrow && (layout.draftCollapsed ?? false);

  const bodyRef = useRef<HTMLDivElement>(null);
  const hideButtonRef = useRef<HTMLButtonElement>(null);
  const showButtonRef = useRef<HTMLButtonElement>(null);
  const [bodyWidth, setBodyWidth] = useState(0);
  const widths = draftWidths(bodyWidth);
  const draftWidth = Math.min(widths.max, Math.max(widths.min, layout.draftWidth ?? widths.preferred));

  const showTab = (next: LoopTab) => setTabFor({ loopId: loop.id, tab: next });
  const setLayout = (parts: Partial<LoopLayout>) => changeLayout((current) => ({ ...current, ...parts }));
  /** Brings the draft's column into view: its tab when narrow, unfolded when it was folded. */
  const revealDraft = () => {
    if (narrow) showTab('draft');
    else if (layout.draftCollapsed) setLayout({ draftCollapsed: false });
  };
  const toggleIntent = () => {
    if (hasIntent) setLayout({ intentExpanded: !intentExpanded });
  };
  const toggleDraft = () => {
    if (narrow) showTab(tab === 'draft' ? 'timeline' : 'draft');
    else setLayout({ draftCollapsed: !draftCollapsed });
  };

  // Focus is never left in a column that disappears, nor on the button that is gone once it is
  // back: it goes to the control that does the opposite. Focus anywhere else stays where it is.
  const wasCollapsed = useRef(draftCollapsed);
  useEffect(() => {
    if (wasCollapsed.current === draftCollapsed) return;
    wasCollapsed.current = draftCollapsed;
    const active = document.activeElement;
    const lost =
      !active || active === document.body || (document.getElementById(sideId)?.contains(active) ?? false);
    if (!lost) return;
    (draftCollapsed ? showButtonRef : hideButtonRef).current?.focus();
  }, [draftCollapsed, sideId]);

  // Something asked to show the draft (the palette, a search result, a side panel opening) or the
  // timeline (a turn opened from elsewhere, an answer starting): it comes into view first, within
  // this render, so that the part asking for focus is on screen when its own effect focuses it.
  const signals = {
    draftFocusRequest,
    draftSearchRequest,
    turnFocusRequest,
    sidePanelOpen,
    streaming,
    layoutRequest: layoutRequest?.request ?? 0,
  };
  const [seen, setSeen] = useState(signals);
  if (Object.entries(signals).some(([key, value]) => seen[key as keyof typeof signals] !== value)) {
    setSeen(signals);
    if (
      draftFocusRequest !== seen.draftFocusRequest ||
      (draftSearchRequest !== seen.draftSearchRequest && draftSearchRequest > 0) ||
      (sidePanelOpen && !seen.sidePanelOpen)
    )
      revealDraft();
    else if (
      (turnFocusRequest !== seen.turnFocusRequest && turnFocusRequest > 0) ||
      (streaming && !seen.streaming) ||
      // A decision recorded (or a side panel closed) sends the person back to where they were.
      (!sidePanelOpen && seen.sidePanelOpen)
    )
      showTab('timeline');
    if (layoutRequest && layoutRequest.request !== seen.layoutRequest) {
      if (layoutRequest.part === 'intent') toggleIntent();
      else toggleDraft();
    }
  }

  // Esc stops the AI from anywhere in the loop, except inside a dialog, where it closes the dialog.
  const stopNow = useCallback(() => void stop(), [stop]);
  useEscape(stopNow, streaming);

  // Alt+I folds or opens the intent; Alt+D the draft (its tab when narrow). `code` names the key, so
  // Option+I on a Mac (which types a dead key) works too.
  const toggles = useRef({ toggleIntent, toggleDraft });
  useLayoutEffect(() => {
    toggles.current = { toggleIntent, toggleDraft };
  });
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || modalOpen()) return;
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.code === 'KeyI') {
        event.preventDefault();
        toggles.current.toggleIntent();
      } else if (event.code === 'KeyD') {
        event.preventDefault();
        toggles.current.toggleDraft();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  // The body's width bounds the draft's: the timeline keeps its least width whatever was kept.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    setBodyWidth(body.clientWidth);
    const observer = new ResizeObserver(() => setBodyWidth(body.clientWidth));
    observer.observe(body);
    return () => observer.disconnect();
  }, []);

  // The width goes in through the CSSOM, which the Content Security Policy allows (a style attribute it does not).
  useLayoutEffect(() => {
    bodyRef.current?.style.setProperty('--draft-width', `${draftWidth}px`);
  }, [draftWidth]);

  // The turns name the sources they cite: the space's list is read once the loop is on screen.
  useEffect(() => {
    void loadSources(loop.spaceId);
  }, [loop.spaceId, loadSources]);

  const onTabKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const order: LoopTab[] = ['timeline', 'draft'];
    let next: LoopTab | null = null;
    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft')
      next = order[(order.indexOf(tab) + 1) % order.length]!;
    else if (event.key === 'Home') next = 'timeline';
    else if (event.key === 'End') next = 'draft';
    if (!next) return;
    event.preventDefault();
    showTab(next);
    document.getElementById(next === 'timeline' ? timelineTabId : draftTabId)?.focus();
  };

  const bodyClass = ['loop-body', narrow ? 'loop-body-tabs' : 'loop-body-columns'];
  if (draftCollapsed) bodyClass.push('loop-body-draft-folded');

  return (
    <section className="loop-view" aria-labelledby="loop-title">
      <header className="loop-header">
        <div className="loop-heading">
          {/* The space and where the loop stands share one line above the title: height goes to the timeline. */}
          <div className="loop-eyebrow">
            {space ? <p className="loop-space">{space.name}</p> : null}
            <StageTrail stage={loop.stage} />
          </div>
          <h1 id="loop-title">{loop.title}</h1>
        </div>
        <div className="loop-actions">
          {!loop.decision ? (
            <button
              type="button"
              className={deciding ? 'button button-small' : 'button button-small button-primary'}
              aria-expanded={deciding}
              onClick={() => setDecidingLoopId(deciding ? null : loop.id)}
            >
              Decide
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small"
            aria-expanded={learning}
            title="The AI proposes lessons from this loop; you keep the ones worth remembering"
            onClick={() => (learning ? closeLessons(loop.id) : void proposeLessons(loop.id))}
          >
            Learn
          </button>
          <button
            type="button"
            className="button button-small"
            aria-expanded={sourcesOpen}
            aria-controls={sourcesOpen ? sourcesPanelId : undefined}
            title="Your documents this loop draws on: add, pin or leave out"
            onClick={() => setSourcesPanel(sourcesOpen ? null : loop.id)}
          >
            Sources
          </button>
          <ExportMenu loop={loop} />
          <VerbButtons
            className="button button-quiet"
            verbs={[
              ['Rename loop', () => openDialog({ kind: 'rename-loop', loopId: loop.id })],
              ['Archive loop', () => openDialog({ kind: 'archive-loop', loopId: loop.id })],
            ]}
          />
        </div>
        {narrow ? (
          // Automatic activation: the arrow keys move between the two and show the one they reach.
          <div role="tablist" aria-label="Loop views" className="loop-tabs" onKeyDown={onTabKeyDown}>
            <LoopTab
              id={timelineTabId}
              selected={tab === 'timeline'}
              controls={mainId}
              onSelect={() => showTab('timeline')}
            >
              Timeline
            </LoopTab>
            <LoopTab
              id={draftTabId}
              selected={tab === 'draft'}
              controls={sideId}
              keyShortcuts="Alt+D"
              onSelect={() => showTab('draft')}
            >
              Draft
              {sidePanelOpen ? (
                // A mark, not words: the tab keeps its width and its row in the header. The panel it
                // opens is named by the button that opened it (Decide, Sources, Learn).
                <span className="loop-tab-mark" aria-hidden="true" />
              ) : null}
            </LoopTab>
          </div>
        ) : null}
      </header>
      <SyncConflictNotices loopId={loop.id} spaceId={loop.spaceId} />
      <div ref={bodyRef} className={bodyClass.join(' ')}>
        <div
          id={mainId}
          className="loop-main"
          {...(narrow
            ? { role: 'tabpanel', 'aria-labelledby': timelineTabId, hidden: tab !== 'timeline' }
            : {})}
        >
          <div className="loop-top">
            {loop.decision ? <DecisionSummary loop={loop} decision={loop.decision} /> : null}
            <IntentPanel key={loop.id} loop={loop} expanded={intentExpanded} onToggle={toggleIntent} />
            <EarlierDecisions loop={loop} />
          </div>
          <Timeline key={loop.id} loopId={loop.id} turns={loop.turns} />
          <Composer
            key={loop.id}
            loopId={loop.id}
            spaceKind={space?.kind}
            suggestedMove={loop.suggestedMove}
            streaming={streaming}
          />
        </div>
        {!narrow && !draftCollapsed ? (
          <DraftResizer
            width={draftWidth}
            min={widths.min}
            max={widths.max}
            controls={sideId}
            onResize={(width) => setLayout({ draftWidth: width })}
            onReset={() => setLayout({ draftWidth: undefined })}
          />
        ) : null}
        {draftCollapsed ? (
          <div className="loop-rail">
            <button
              ref={showButtonRef}
              type="button"
              className="loop-rail-button"
              aria-expanded="false"
              aria-controls={sideId}
              aria-keyshortcuts="Alt+D"
              title="Show the draft beside the timeline (Alt+D)"
              onClick={toggleDraft}
            >
              Show draft
            </button>
          </div>
        ) : null}
        <aside
          id={sideId}
          className="loop-side"
          hidden={narrow ? tab !== 'draft' : draftCollapsed}
          {...(narrow
            ? { role: 'tabpanel', 'aria-labelledby': draftTabId }
            : { 'aria-label': 'Draft, decision and sources' })}
        >
          {sourcesOpen && space ? (
            <div id={sourcesPanelId} className="loop-side-sources">
              <SourcesPanel
                space={space}
                loop={{ id: loop.id, title: loop.title }}
                onClose={() => setSourcesPanel(null)}
              />
            </div>
          ) : null}
          {deciding ? (
            <DecisionForm key={loop.id} loop={loop} onClose={() => setDecidingLoopId(null)} />
          ) : null}
          <LessonsPanel loop={loop} />
          <DraftPanel
            loop={loop}
            {...(narrow ? {} : { hide: { onHide: toggleDraft, controls: sideId }, hideButtonRef })}
          />
        </aside>
      </div>
    </section>
  );
}
