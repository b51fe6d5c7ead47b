import { useId, type TextareaHTMLAttributes } from 'react';

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'id'>;

/**
 * A labelled text box of several lines in the app's field box (`fieldClassName` adds to or replaces
 * "field"), handing back the text; `children` go under it (a hint). TextField's kin for longer text.
 */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  fieldClassName = 'field',
  children,
  ...textarea
}: TextAreaProps & {
  /** The textarea's id when something else points at it; one is made otherwise. */
  id?: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  fieldClassName?: string;
}) {
  const madeId = useId();
  const fieldId = id ?? madeId;
  return (
    <div className={fieldClassName}>
      <label htmlFor={fieldId}>{label}</label>
      <textarea {...textarea} id={fieldId} value={value} onChange={(event) => onChange(event.target.value)} />
      {children}
    </div>
  );
}
