import { useId, type TextareaHTMLAttributes } from 'react';

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'id'>;

/**
 * A labelled multi-line text box in the app's field box, handing back the text; `children` go under
 * it (a hint). The textarea twin of `TextField`.
 */
export function TextAreaField({
  label,
  onChange,
  children,
  ...textarea
}: TextAreaProps & { label: string; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea {...textarea} id={id} onChange={(event) => onChange(event.target.value)} />
      {children}
    </div>
  );
}
