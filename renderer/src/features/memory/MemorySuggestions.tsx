import { MemoryTextField } from './MemoryTextField';
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MemorySuggestion } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';
import { MemoryCardsSection } from './MemoryCardsSection';
import { memoryKindLabels } from './memoryLabels';

/** One preference Keel noticed in how the person set turns aside: kept (maybe reworded) or dismissed. */
function SuggestionCard({ suggestion }: { suggestion: MemorySuggestion }) {
  const textId = useId();
  const spaceName = useKeel((state) => state.spaces.find((space) => space.id === suggestion.spaceId)?.name);
  const acceptSuggestion = useKeel((state) => state.acceptSuggestion);
  const dismissSuggestion = useKeel((state) => state.dismissSuggestion);
  const [text, setText] = useState(suggestion.text);
  const { busy, error, run } = useTurnAction();
  const reasons = [...new Set(suggestion.evidence.map((evidence) => evidence.reason))];

  return (
    <li className="mem-card">
      <p className="mem-card-meta">
        <span className="mem-tag">{memoryKindLabels[suggestion.kind]}</span> for {spaceName ?? 'a space'} ·
        you set turns aside {suggestion.evidence.length} times for:{' '}
        {reasons.map((reason) => `“${reason}”`).join(', ')}
      </p>
      <MemoryTextField id={textId} label="Suggested memory" value={text} onChange={setText} />
      <div className="mem-card-actions">
        <button
          type="button"
          className="button button-small button-primary"
          aria-disabled={busy}
          onClick={() => void run(() => acceptSuggestion(suggestion.id, text))}
        >
          Keep as memory
        </button>
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy}
          onClick={() => void run(() => dismissSuggestion(suggestion.id))}
        >
          Dismiss
        </button>
      </div>
      <ActionError error={error} />
    </li>
  );
}

/** Preferences proposed from the person's steering; nothing is remembered until they keep one. */
export function MemorySuggestions() {
  const suggestions = useKeel(useShallow((state) => state.suggestions));
  const cards = suggestions.map((suggestion) => (
    <SuggestionCard key={suggestion.id} suggestion={suggestion} />
  ));
  return <MemoryCardsSection of="suggestion" cards={cards} />;
}
