import { useId, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Space } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';

/**
 * The "Scope" field of the memory forms, as a scope value (`everywhere`, `space:<id>`): everywhere
 * or one space (worded by `spaceLabel`), then any `more` choices.
 */
export function MemoryScopeField({
  value,
  onChange,
  spaceLabel = (space) => space.name,
  more,
}: {
  value: string;
  onChange: (scope: string) => void;
  spaceLabel?: (space: Space) => string;
  more?: ReactNode;
}) {
  const id = useId();
  const spaces = useKeel(useShallow((state) => state.spaces));
  return (
    <div className="field">
      <label htmlFor={id}>Scope</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="everywhere">Everywhere</option>
        {spaces.map((space) => (
          <option key={space.id} value={`space:${space.id}`}>
            {spaceLabel(space)}
          </option>
        ))}
        {more}
      </select>
    </div>
  );
}
