import { useCallback, useEffect, useId, useState } from 'react';
import type { Loop } from '../../../../shared/domain';
import { streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { DraftPanel } from '../draft/DraftPanel';
import { ExportMenu } from '../export/ExportMenu';
import { LessonsPanel } from '../memory/LessonsPanel';
import { SourcesPanel } from '../sources/SourcesPanel';
import { Composer } from './Composer';
import { DecisionForm, DecisionSummary, EarlierDecisions } from './DecisionPanel';
import { IntentPanel } from './IntentPanel';
import { StageTrail } from './StageTrail';
import { Timeline } from './Timeline';
import { useEscape } from '../common/useEscape';

/**
 * The open loop: its title, intent and (once made) decision at the top, where it stands, the
 * timeline and composer, and beside them the draft (and the decision form while it is open).
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
  const sourcesPanelId = useId();
  const streaming = streamingTurn(loop) !== undefined;
  const [decidingLoopId, setDecidingLoopId] = useState<string | null>(null);
  const deciding = decidingLoopId === loop.id && !loop.decision;

  // Esc stops the AI from anywhere in the loop, except inside a dialog, where it closes the dialog.
  const stopNow = useCallback(() => void stop(), [stop]);
  useEscape(stopNow, streaming);

  // The turns name the sources they cite: the space's list is read once the loop is on screen.
  useEffect(() => {
    void loadSources(loop.spaceId);
  }, [loop.spaceId, loadSources]);

  return (
    <section className="loop-view" aria-labelledby="loop-title">
      <header className="loop-header">
        <div className="loop-heading">
          {space ? <p className="loop-space">{space.name}</p> : null}
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
          <button
            type="button"
            className="button button-quiet"
            onClick={() => openDialog({ kind: 'rename-loop', loopId: loop.id })}
          >
            Rename loop
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => openDialog({ kind: 'archive-loop', loopId: loop.id })}
          >
            Archive loop
          </button>
        </div>
      </header>
      <StageTrail stage={loop.stage} />
      <div className="loop-body">
        <div className="loop-main">
          <div className="loop-top">
            {loop.decision ? <DecisionSummary loop={loop} decision={loop.decision} /> : null}
            <IntentPanel key={loop.id} loop={loop} />
            <EarlierDecisions decisions={loop.pastDecisions} />
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
        <aside className="loop-side" aria-label="Draft, decision and sources">
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
          <DraftPanel loop={loop} />
        </aside>
      </div>
    </section>
  );
}
