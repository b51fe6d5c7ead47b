import { useRef } from 'react';
import type { Space } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { useInitialFocus } from '../common/useInitialFocus';
import { spaceKindLabels } from '../sidebar/spaceKindLabels';
import { SourcesPanel } from '../sources/SourcesPanel';

/** A space with no loop open: suggests starting one, and holds the documents its loops draw on. */
export function SpaceHome({ space }: { space: Space }) {
  const openDialog = useKeel((state) => state.openDialog);
  const startButton = useRef<HTMLButtonElement>(null);
  useInitialFocus(startButton, { onlyIfLost: true });
  const platform = useKeel((state) => state.appInfo?.platform);
  const loopCount = useKeel((state) => state.loops.filter((loop) => loop.spaceId === space.id).length);
  return (
    <div className="space-home">
      <section className="panel" aria-labelledby="space-title">
        <p className="loop-space">{spaceKindLabels[space.kind]}</p>
        <h1 id="space-title">{space.name}</h1>
        <p className="lead">
          {loopCount === 0
            ? 'Start a loop for the first question or piece of work in this space.'
            : 'Pick a loop in the sidebar, or start a new one.'}
        </p>
        <p>
          A loop holds one piece of work: what you are trying to achieve, your thinking and the AI’s moves,
          and finally your decision. Press <kbd>{modifierKeyLabel(platform)}</kbd>+<kbd>N</kbd> to start one
          from anywhere.
        </p>
        <button
          ref={startButton}
          type="button"
          className="button button-primary"
          onClick={() => openDialog({ kind: 'new-loop', spaceId: space.id })}
        >
          Start a loop
        </button>
      </section>
      <SourcesPanel space={space} />
    </div>
  );
}
