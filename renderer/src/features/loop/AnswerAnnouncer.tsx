import { useState } from 'react';
import { streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { isAiMove, type TurnStatus } from '../../../../shared/domain';
import { aiMoveLabels } from './aiMoveLabels';

const endings: Record<Exclude<TurnStatus, 'streaming'>, string> = {
  complete: 'Answer finished',
  stopped: 'Answer stopped',
  failed: 'Answer failed',
  interrupted: 'Answer interrupted',
};

/**
 * The one polite live region that tells a screen reader the AI is answering: once when an answer
 * starts ("Keel is answering: explore…") and once when it ends. The timeline itself stays quiet
 * while the words arrive (see Timeline), so nobody hears an answer read out token by token.
 */
export function AnswerAnnouncer() {
  const current = useKeel((state) => streamingTurn(state.openLoop)?.id ?? null);
  const move = useKeel((state) => streamingTurn(state.openLoop)?.move ?? null);
  const [watched, setWatched] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const ended = useKeel((state) =>
    watched === null ? null : (state.openLoop?.turns.find((turn) => turn.id === watched)?.status ?? null),
  );

  // Adjusted while rendering, not in an effect: the region changes once per start and once per end.
  if (current !== null && current !== watched) {
    setWatched(current);
    const label = move !== null && isAiMove(move) ? aiMoveLabels[move].label.toLowerCase() : 'a move';
    setMessage(`Keel is answering: ${label}…`);
  } else if (current === null && watched !== null) {
    setWatched(null);
    // An answer of a loop no longer open is not followed to its end: nothing is said about it.
    if (ended !== null && ended !== 'streaming') setMessage(endings[ended]);
  }

  return (
    <div className="visually-hidden" role="status" aria-label="AI answer">
      {message}
    </div>
  );
}
