import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'children'>;

/**
 * A labelled one-line text input in the app's field box (`fieldClassName` adds to or replaces
 * "field"), handing back the text; `children` go under the input (a hint).
 */
export function TextField({
  label,
  value,
  onChange,
  fieldClassName = 'field',
  inputRef,
  children,
  id,
  ...input
}: InputProps & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  fieldClassName?: string;
  inputRef?: Ref<HTMLInputElement>;
  children?: ReactNode;
}) {
  const ownId = useId();
  const inputId = id ?? ownId;
  return (
    <div className={fieldClassName}>
      <label htmlFor={inputId}>{label}</label>
      <input
        type="text"
        {...input}
        id={inputId}
        ref={inputRef}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {children}
    </div>
  );
}
