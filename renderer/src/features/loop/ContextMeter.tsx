import { useId } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import { displayModelName, formatTokens } from '../models/modelFormat';

/**
 * How much of the model's context the next move will use: "Context: 1.2k of 16k tokens" with a
 * small bar, and a plain warning once the oldest turns no longer fit. Hidden while it is unknown
 * (the model status then says why).
 */
export function ContextMeter({ loopId }: { loopId: string }) {
  const labelId = useId();
  const usage = useKeel((state) =>
    state.contextUsage?.loopId === loopId ? state.contextUsage.usage : undefined,
  );
  if (!usage || usage.numCtx <= 0) return null;
  const { estimatedTokens, numCtx, reserveForAnswer, omittedTurns } = usage;
  const room = Math.max(1, numCtx - reserveForAnswer);
  return (
    <>
      <div
        className="context-meter-line"
        title={`About ${estimatedTokens.toLocaleString()} tokens of the ${numCtx.toLocaleString()} ${displayModelName(usage.model)} reads at once; ${reserveForAnswer.toLocaleString()} are kept free for the answer.`}
      >
        <span id={labelId} className="context-meter-text">
          Context: {formatTokens(estimatedTokens)} of {formatTokens(numCtx)} tokens
        </span>
        <meter
          className="context-meter-bar"
          aria-labelledby={labelId}
          min={0}
          max={numCtx}
          value={Math.min(estimatedTokens, numCtx)}
          low={room * 0.6}
          high={room * 0.9}
          optimum={0}
        />
      </div>
      {omittedTurns > 0 ? (
        <p className="context-meter-warning">
          {omittedTurns === 1
            ? 'The oldest turn no longer fits and is left out of the next request.'
            : `The oldest ${omittedTurns} turns no longer fit and are left out of the next request.`}
        </p>
      ) : null}
    </>
  );
}
