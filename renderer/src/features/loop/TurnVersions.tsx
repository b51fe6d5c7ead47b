import type { Turn } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionButton } from '../common/ActionButton';
import { TurnMarkdown } from './TurnMarkdown';

interface VersionsProps {
  /** Every version of the move, oldest first. */
  versions: Turn[];
  /** The version the timeline counts (kept by the person, or the newest). */
  currentId: string;
  /** The version on screen. */
  shownId: string;
  onShow: (turnId: string) => void;
}

interface StepButtonProps {
  label: string;
  /** The version it steps to; none at either end. */
  to: Turn | undefined;
  onShow: (turnId: string) => void;
}

/** A step to the version before or after; there but marked unavailable at either end, so focus stays. */
function StepButton({ label, to, onShow }: StepButtonProps) {
  return (
    <button
      type="button"
      className="button button-small button-quiet"
      aria-disabled={!to}
      onClick={() => to && onShow(to.id)}
    >
      {label}
    </button>
  );
}

/** "Version 2 of 3", with a way to look at the others and keep one. */
export function VersionSwitcher({
  versions,
  currentId,
  shownId,
  onShow,
  comparing,
  onCompare,
}: VersionsProps & { comparing: boolean; onCompare: (comparing: boolean) => void }) {
  const index = Math.max(
    0,
    versions.findIndex((version) => version.id === shownId),
  );
  const previous = versions[index - 1];
  const next = versions[index + 1];
  const shown = versions[index];

  return (
    <div className="turn-versions">
      <div className="turn-versions-bar" role="group" aria-label="Versions">
        <StepButton label="Previous version" to={previous} onShow={onShow} />
        <span className="turn-versions-count" aria-live="polite">
          Version {index + 1} of {versions.length}
          {shownId === currentId ? <span className="turn-versions-current"> · shown to the AI</span> : null}
        </span>
        <StepButton label="Next version" to={next} onShow={onShow} />
        <button
          type="button"
          className="button button-small button-quiet"
          aria-pressed={comparing}
          onClick={() => onCompare(!comparing)}
        >
          Compare versions
        </button>
        {shown && shown.id !== currentId ? (
          <KeepVersionButton turn={shown} onKept={() => onShow(shown.id)} />
        ) : null}
      </div>
    </div>
  );
}

function KeepVersionButton({ turn, onKept }: { turn: Turn; onKept: () => void }) {
  const chooseVersion = useKeel((state) => state.chooseVersion);
  return (
    <ActionButton
      className="button button-small"
      unavailable={turn.status === 'streaming'}
      title="Show this version and send it to the AI from now on"
      call={() => chooseVersion({ loopId: turn.loopId, turnId: turn.id })}
      onDone={onKept}
    >
      Keep this version
    </ActionButton>
  );
}

/**
 * Two versions side by side: the one on screen and the current one (or, when those are the same,
 * the one before it).
 */
export function VersionCompare({ versions, currentId, shownId }: Omit<VersionsProps, 'onShow'>) {
  const shownIndex = versions.findIndex((version) => version.id === shownId);
  const currentIndex = versions.findIndex((version) => version.id === currentId);
  let pair = [shownIndex, currentIndex];
  if (shownIndex === currentIndex)
    pair = [currentIndex > 0 ? currentIndex - 1 : currentIndex + 1, currentIndex];
  const columns = pair
    .filter((index) => index >= 0 && index < versions.length)
    .sort((a, b) => a - b)
    .map((index) => ({ number: index + 1, turn: versions[index]! }));

  return (
    <div className="turn-compare">
      {columns.map(({ number, turn }) => (
        <section key={turn.id} className="turn-compare-column" aria-label={`Version ${number}`}>
          <h3 className="turn-compare-title">
            Version {number}
            {turn.id === currentId ? <span className="turn-compare-tag">shown to the AI</span> : null}
          </h3>
          {turn.steer ? <p className="turn-steer">Steer: {turn.steer}</p> : null}
          {turn.text ? <TurnMarkdown text={turn.text} /> : <p className="muted">(no text yet)</p>}
          {turn.id !== currentId ? <KeepVersionButton turn={turn} onKept={() => undefined} /> : null}
        </section>
      ))}
    </div>
  );
}
