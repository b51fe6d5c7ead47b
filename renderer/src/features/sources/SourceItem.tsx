import { useId, useRef, useState } from 'react';
import { sourceLoopStates, type Source, type SourceLoopState } from '../../../../shared/domain';
import { sourceStateIn } from '../../store/slices/sourcesSlice';
import { formatSourceSize } from '../../store/sourceFiles';
import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { EnumSelect } from '../common/EnumSelect';
import { NameDialog } from '../common/NameDialog';
import { VerbButtons } from '../common/VerbButtons';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';
import { sourceExtent, sourceFormatLabels, sourceUse } from './sourceLabels';

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** The day a source was added, as a person reads it. */
function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dayFormat.format(date);
}

const loopStateLabels: Record<SourceLoopState, string> = {
  auto: 'Automatic',
  pinned: 'Pinned',
  'left-out': 'Left out',
};

const loopStateHint =
  'Automatic: its passages are given when they fit what you ask. Pinned: always given, when they fit in the model’s context. Left out: never given in this loop.';

interface SourceItemProps {
  source: Source;
  /** Set in a loop's panel: where the source comes from, and whether the loop pins or leaves it out. */
  loopId?: string | undefined;
  /** In a space's panel, the loop a loop's own source belongs to. */
  loopTitle?: string | undefined;
}

/** One source in a panel's list: what it is, how much it was used, and what can be done with it. */
export function SourceItem({ source, loopId, loopTitle }: SourceItemProps) {
  const nameId = useId();
  const stateLabelId = useId();
  const openSourceViewer = useKeel((state) => state.openSourceViewer);
  const renameSource = useKeel((state) => state.renameSource);
  const removeSource = useKeel((state) => state.removeSource);
  const setSourceInLoop = useKeel((state) => state.setSourceInLoop);
  const [dialog, setDialog] = useState<'rename' | 'remove' | null>(null);
  const { busy, error, run } = useTurnAction();
  const inLoop = loopId ? sourceStateIn(source, loopId) : undefined;
  /** The choice being saved, shown meanwhile; null when none is. */
  const [pending, setPending] = useState<SourceLoopState | null>(null);
  // Set at once in the handler (state would only be seen by the next render), so a change made
  // before that render is ignored too.
  const saving = useRef(false);

  const chooseInLoop = (loop: string, state: SourceLoopState) => {
    if (saving.current) return;
    saving.current = true;
    setPending(state);
    void run(() => setSourceInLoop({ sourceId: source.id, loopId: loop, state })).finally(() => {
      saving.current = false;
      setPending(null);
    });
  };

  const origin = loopId
    ? source.loopId === loopId
      ? 'This loop only'
      : 'From the space'
    : source.loopId
      ? `Only in ${loopTitle ? `“${loopTitle}”` : 'one loop'}`
      : null;

  return (
    <li
      className={inLoop === 'left-out' ? 'src-item src-item-left-out' : 'src-item'}
      aria-labelledby={nameId}
    >
      <div className="src-item-main">
        <p className="src-item-title">
          <span id={nameId} className="src-name">
            {source.name}
          </span>
          {inLoop === 'pinned' ? <span className="src-tag src-tag-pinned">Pinned</span> : null}
          {inLoop === 'left-out' ? <span className="src-tag">Left out</span> : null}
        </p>
        <p className="src-meta">
          <span className="src-kind">{sourceFormatLabels[source.format]}</span>
          <span>{formatSourceSize(source.bytes)}</span>
          <span>{sourceExtent(source)}</span>
          <span>
            Added <time dateTime={source.addedAt}>{formatDay(source.addedAt)}</time>
          </span>
          <span>{sourceUse(source.usedInTurns)}</span>
          {origin ? <span className="src-origin">{origin}</span> : null}
        </p>
      </div>
      <div className="src-item-controls">
        {loopId && inLoop ? (
          <div className="src-in-loop" title={loopStateHint}>
            <span id={stateLabelId} className="src-in-loop-label">
              In this loop
            </span>
            {/* Not `disabled` while saving, which would drop focus to the page: a change made
                meanwhile is ignored instead, and the select, being controlled, shows the choice
                being saved. */}
            <EnumSelect
              aria-labelledby={`${stateLabelId} ${nameId}`}
              options={sourceLoopStates}
              optionLabel={(state) => loopStateLabels[state]}
              value={pending ?? inLoop}
              aria-disabled={busy}
              onChange={(state) => chooseInLoop(loopId, state)}
            />
          </div>
        ) : null}
        <div className="src-actions">
          <VerbButtons
            className="button button-small button-quiet"
            of={source.name}
            verbs={[
              ['Open', () => openSourceViewer(source.id)],
              ['Rename', () => setDialog('rename')],
              ['Remove', () => setDialog('remove')],
            ]}
          />
        </div>
      </div>
      <ActionError error={error} />
      {dialog === 'rename' ? (
        <NameDialog
          title="Rename source"
          label="Source name"
          initialValue={source.name}
          emptyMessage="A source needs a name."
          submitLabel="Save"
          onSubmit={(name) => renameSource(source.id, name)}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'remove' ? (
        <ConfirmDialog
          title="Remove this source?"
          confirmLabel="Remove"
          onConfirm={() => removeSource(source.id)}
          onClose={() => setDialog(null)}
        >
          <p>
            <strong>{source.name}</strong> is deleted from this computer: Keel’s copy of the file, its
            passages and its index, in Keel’s backups too. It cannot be brought back (the file you added it
            from is not touched).
          </p>
          <p>
            The AI will no longer be given it. Turns that cited it keep their text and show “a removed source”
            instead.
          </p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
