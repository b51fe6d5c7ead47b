import { useId } from 'react';
import type { Space } from '../../../../shared/domain';

/**
 * A choice of space: `leading` choices first ("Every space", "Everywhere"), then each space by
 * name. With no leading choice it is shown only when there is more than one space to choose from.
 */
export function SpaceSelect({
  label,
  spaces,
  value,
  onChange,
  leading = [],
}: {
  label: string;
  spaces: readonly Space[];
  value: string;
  onChange: (spaceId: string) => void;
  leading?: readonly { value: string; label: string }[];
}) {
  const id = useId();
  if (leading.length === 0 && spaces.length < 2) return null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {leading.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
        {spaces.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {candidate.name}
          </option>
        ))}
      </select>
    </div>
  );
}
