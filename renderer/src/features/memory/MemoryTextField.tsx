import { limits } from '../../../../shared/contract';

interface MemoryTextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  placeholder?: string;
}

/** The text of a memory (or of one about to become one), at most a memory's length. */
export function MemoryTextField({ id, label, value, onChange, rows = 2, placeholder }: MemoryTextFieldProps) {
  return (
    <div className="field mem-field-wide">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        maxLength={limits.memoryText}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
