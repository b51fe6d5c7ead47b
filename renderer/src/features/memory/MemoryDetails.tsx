import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { limits } from '../../../../shared/contract';
import type { MemoryItem, MemoryKind } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { submitInPlace } from '../common/formHandlers';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';
import { ForgetMemoryButton } from './ForgetMemoryButton';
import {
  formatDate,
  historyChangeLabels,
  memoryOriginLabels,
  parseScopeValue,
  scopeLabel,
  scopeValue,
} from './memoryLabels';
import { MemoryKindField } from './MemoryKindField';
import { MemoryScopeField } from './MemoryScopeField';

/** The text, kind and scope of a memory, edited in place; the earlier text goes to its history. */
function MemoryEditForm({ item }: { item: MemoryItem }) {
  const textId = useId();
  const spaces = useKeel(useShallow((state) => state.spaces));
  const loops = useKeel(useShallow((state) => state.loops));
  const updateMemory = useKeel((state) => state.updateMemory);
  const [text, setText] = useState(item.text);
  const [kind, setKind] = useState<MemoryKind>(item.kind);
  const [scope, setScope] = useState(scopeValue(item.scope));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useTurnAction();
  const changed = text.trim() !== item.text || kind !== item.kind || scope !== scopeValue(item.scope);

  const save = async () => {
    if (!changed) return;
    setSaved(false);
    const result = await run(() =>
      updateMemory({
        memoryId: item.id,
        ...(text.trim() !== item.text ? { text } : {}),
        ...(kind !== item.kind ? { kind } : {}),
        ...(scope !== scopeValue(item.scope) ? { scope: parseScopeValue(scope) } : {}),
      }),
    );
    if (result?.ok) setSaved(true);
  };

  return (
    <form className="mem-form" noValidate onSubmit={(event) => submitInPlace(event, save)}>
      <div className="field mem-field-wide">
        <label htmlFor={textId}>Memory text</label>
        <textarea
          id={textId}
          rows={3}
          value={text}
          maxLength={limits.memoryText}
          onChange={(event) => {
            setText(event.target.value);
            setSaved(false);
          }}
        />
      </div>
      <div className="mem-form-row">
        <MemoryKindField value={kind} onChange={setKind} />
        <MemoryScopeField
          value={scope}
          onChange={setScope}
          more={
            item.scope.type === 'loop' ? (
              <option value={scopeValue(item.scope)}>{scopeLabel(item.scope, spaces, loops)}</option>
            ) : null
          }
        />
        <button type="submit" className="button button-primary" aria-disabled={busy || !changed}>
          Save
        </button>
        {saved ? (
          <span role="status" className="mem-saved">
            Saved
          </span>
        ) : null}
      </div>
      <ActionError error={error} />
    </form>
  );
}

/** A loop named by its title, as a link that opens it (at a turn, when one is given). */
function LoopLink({
  loopId,
  turnId,
  label,
}: {
  loopId: string;
  turnId?: string | undefined;
  label?: string;
}) {
  const title = useKeel((state) => state.loops.find((loop) => loop.id === loopId)?.title);
  const openTurn = useKeel((state) => state.openTurn);
  if (!title) return <span className="muted">A loop no longer in the sidebar</span>;
  return (
    <button type="button" className="link-button mem-link" onClick={() => void openTurn(loopId, turnId)}>
      {label ?? title}
    </button>
  );
}

/**
 * One memory in full: its words (editable), kind and scope, pinned or not, its earlier texts, where
 * it came from and where Keel used it.
 */
export function MemoryDetails({ item }: { item: MemoryItem }) {
  const headingId = useId();
  const updateMemory = useKeel((state) => state.updateMemory);
  const loopTitles = useKeel(
    useShallow((state) => Object.fromEntries(state.loops.map((loop) => [loop.id, loop.title]))),
  );
  const pin = useTurnAction();

  // Used in the same loop many times: one line per loop, linking to its latest use.
  const uses = new Map<string, { turnId: string; at: string; count: number }>();
  for (const use of item.usedIn) {
    const previous = uses.get(use.loopId);
    uses.set(use.loopId, { turnId: use.turnId, at: use.at, count: (previous?.count ?? 0) + 1 });
  }
  const originTurn = item.origin.turnIds?.[0];

  return (
    <section className="mem-details" aria-label="Memory details" id="memory-details" tabIndex={-1}>
      <header className="mem-details-head">
        <h3 id={headingId}>{item.pinned ? 'Pinned memory' : 'Memory'}</h3>
        <div className="mem-details-actions">
          <button
            type="button"
            className="button button-small"
            aria-disabled={pin.busy}
            title={
              item.pinned
                ? 'Keel may leave it out when it is not relevant'
                : 'Always give it to the AI in its scope'
            }
            onClick={() => void pin.run(() => updateMemory({ memoryId: item.id, pinned: !item.pinned }))}
          >
            {item.pinned ? 'Unpin' : 'Pin'}
          </button>
          <ForgetMemoryButton
            memoryId={item.id}
            text={item.text}
            className="button button-small button-stop-quiet"
          />
        </div>
      </header>
      <ActionError error={pin.error} />
      <MemoryEditForm key={`${item.id}:${item.revisedAt}`} item={item} />

      <dl className="mem-facts">
        <dt>Origin</dt>
        <dd>
          {memoryOriginLabels[item.origin.type]}
          {item.origin.loopId ? (
            <>
              {' · from '}
              <LoopLink loopId={item.origin.loopId} />
              {originTurn ? (
                <>
                  {' · '}
                  <LoopLink loopId={item.origin.loopId} turnId={originTurn} label="Go to the turn" />
                </>
              ) : null}
            </>
          ) : null}
        </dd>
        <dt>Remembered</dt>
        <dd>
          {formatDate(item.createdAt)}
          {item.revisedAt !== item.createdAt ? ` · revised ${formatDate(item.revisedAt)}` : ''}
        </dd>
        <dt>Uses</dt>
        <dd>
          {item.useCount === 1 ? 'Used once' : `Used ${item.useCount} times`}
          {item.lastUsedAt ? ` · last ${formatDate(item.lastUsedAt)}` : ''}
          {item.notRelevant.length > 0 ? ` · marked not relevant ${item.notRelevant.length}×` : ''}
        </dd>
      </dl>

      <h4>History</h4>
      {item.history.length === 0 ? (
        <p className="muted mem-empty">No earlier texts: it has said this since it was remembered.</p>
      ) : (
        <ol className="mem-history" aria-label="Earlier texts">
          {item.history
            .slice()
            .reverse()
            .map((entry, index) => (
              <li key={`${entry.until}-${index}`}>
                <q>{entry.text}</q>
                <span className="mem-history-meta">
                  until {formatDate(entry.until)} ·{' '}
                  <span className="mem-tag">{historyChangeLabels[entry.change]}</span>
                </span>
              </li>
            ))}
        </ol>
      )}

      <h4>Where it was used</h4>
      {uses.size === 0 ? (
        <p className="muted mem-empty">Not used in an AI move yet.</p>
      ) : (
        <ul className="mem-uses" aria-label="Where it was used">
          {[...uses.entries()].reverse().map(([loopId, use]) => (
            <li key={loopId}>
              <LoopLink loopId={loopId} turnId={use.turnId} label={loopTitles[loopId]} />
              <span className="mem-history-meta">
                {use.count === 1 ? 'once' : `${use.count} times`} · last {formatDate(use.at)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
