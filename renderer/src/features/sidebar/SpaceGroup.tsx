import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Space } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { SelectableList } from '../common/SelectableList';
import { VerbButtons } from '../common/VerbButtons';
import { spaceKindLabels } from './spaceKindLabels';

/** One space in the sidebar: its name, its actions and its loops. */
export function SpaceGroup({ space }: { space: Space }) {
  const nameId = useId();
  const loops = useKeel(
    useShallow((state) => state.loops.filter((loop) => loop.spaceId === space.id && !loop.archived)),
  );
  const currentLoopId = useKeel((state) => state.openingLoopId ?? state.openLoop?.id ?? null);
  const isCurrent = useKeel((state) => state.currentSpaceId === space.id);
  const openDialog = useKeel((state) => state.openDialog);
  const openLoopById = useKeel((state) => state.openLoopById);

  return (
    <li className={isCurrent ? 'space space-current' : 'space'}>
      <div role="group" aria-labelledby={nameId}>
        <div className="space-header">
          <h2 id={nameId} className="space-name">
            {space.name}
          </h2>
          <span className="space-kind">{spaceKindLabels[space.kind]}</span>
        </div>
        <div className="space-actions">
          <VerbButtons
            className="link-button"
            of={`space ${space.name}`}
            verbs={[
              ['Rename', () => openDialog({ kind: 'rename-space', spaceId: space.id })],
              ['Archive', () => openDialog({ kind: 'archive-space', spaceId: space.id })],
            ]}
          />
        </div>
        {loops.length > 0 ? (
          <SelectableList
            className="loop-list"
            itemClassName="loop-link"
            items={loops}
            currentId={currentLoopId}
            currentAs="page"
            onSelect={(loop) => void openLoopById(loop.id)}
          >
            {(loop) => loop.title}
          </SelectableList>
        ) : (
          <p className="space-empty">No loops yet.</p>
        )}
        <button
          type="button"
          className="new-loop-button"
          aria-label={`New loop in ${space.name}`}
          onClick={() => openDialog({ kind: 'new-loop', spaceId: space.id })}
        >
          <span aria-hidden="true" className="plus" />
          New loop
        </button>
      </div>
    </li>
  );
}
