import { useId } from 'react';
import type { Space } from '../../../../shared/domain';

/** Which space a settings section is about; shown only when there is more than one to choose from. */
export function SpaceSelect({
  label,
  spaces,
  value,
  onChange,
}: {
  label: string;
  spaces: readonly Space[];
  value: string;
  onChange: (spaceId: string) => void;
}) {
  const id = useId();
  if (spaces.length < 2) return null;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {spaces.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {candidate.name}
          </option>
        ))}
      </select>
    </div>
  );
}
