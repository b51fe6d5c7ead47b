import type { TextareaHTMLAttributes } from 'react';

type TextAreaProps = Omit<
  TextareaHTMLAttributes<HTMLTextAreaElement>,
  'onChange' | 'value' | 'children' | 'id'
>;

/**
 * A labelled text box of several lines in the app's field box (`fieldClassName` adds to or replaces
 * "field"), handing back the text: TextField's kin for longer text.
 */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  fieldClassName = 'field',
  ...textarea
}: TextAreaProps & {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  fieldClassName?: string;
}) {
  return (
    <div className={fieldClassName}>
      <label htmlFor={id}>{label}</label>
      <textarea {...textarea} id={id} value={value} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}
