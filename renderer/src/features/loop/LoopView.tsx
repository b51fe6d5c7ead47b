import { useEffect } from 'react';
import type { Loop } from '../../../../shared/domain';
import { streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { Composer } from './Composer';
import { StageTrail } from './StageTrail';
import { Timeline } from './Timeline';

/** The open loop: its title and goal, where it stands, its timeline and the composer. */
export function LoopView({ loop }: { loop: Loop }) {
  const space = useKeel((state) => state.spaces.find((candidate) => candidate.id === loop.spaceId));
  const openDialog = useKeel((state) => state.openDialog);
  const stop = useKeel((state) => state.stop);
  const streaming = streamingTurn(loop) !== undefined;

  // Esc stops the AI from anywhere in the loop, except inside a dialog, where it closes the dialog.
  useEffect(() => {
    if (!streaming) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('dialog')) return;
      event.preventDefault();
      void stop();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [streaming, stop]);

  return (
    <section className="loop-view" aria-labelledby="loop-title">
      <header className="loop-header">
        <div className="loop-heading">
          {space ? <p className="loop-space">{space.name}</p> : null}
          <h1 id="loop-title">{loop.title}</h1>
          {loop.intent.goal ? (
            <p className="loop-goal">
              <span className="loop-goal-label">Goal</span> {loop.intent.goal}
            </p>
          ) : null}
        </div>
        <div className="loop-actions">
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
      <Timeline key={loop.id} turns={loop.turns} />
      <Composer key={loop.id} loopId={loop.id} spaceKind={space?.kind} streaming={streaming} />
    </section>
  );
}
