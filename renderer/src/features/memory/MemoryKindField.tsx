import { useId } from 'react';
import { memoryKinds, type MemoryKind } from '../../../../shared/domain';
import { memoryKindLabels } from './memoryLabels';

/**
 * The "Kind" field of the memory forms and filters: every kind by its label, and first, when
 * `emptyOption` is given ("Any kind", "Let Keel decide"), a choice of none.
 */
export function MemoryKindField({
  value,
  onChange,
  emptyOption,
}: {
  value: MemoryKind | '';
  onChange: (kind: MemoryKind | '') => void;
  emptyOption?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Kind</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value as MemoryKind | '')}>
        {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
        {memoryKinds.map((kind) => (
          <option key={kind} value={kind}>
            {memoryKindLabels[kind]}
          </option>
        ))}
      </select>
    </div>
  );
}
