import { limits } from '../../../../shared/contract';
import { TextAreaField } from '../common/TextAreaField';

interface MemoryTextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  rows?: number;
  placeholder?: string;
}

/** The text of a memory (or of one about to become one), at most a memory's length. */
export function MemoryTextField({ rows = 2, ...field }: MemoryTextFieldProps) {
  return (
    <TextAreaField
      {...field}
      fieldClassName="field mem-field-wide"
      rows={rows}
      maxLength={limits.memoryText}
    />
  );
}
