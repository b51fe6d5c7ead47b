import type { InputHTMLAttributes, Ref } from 'react';
import { FieldBox, splitField, type TextFieldBase } from './FieldBox';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, keyof TextFieldBase>;

/** A labelled one-line text input in the app's field box, handing back the text. */
export function TextField({
  inputRef,
  ...props
}: InputProps & TextFieldBase & { inputRef?: Ref<HTMLInputElement> }) {
  const [field, input] = splitField(props);
  return (
    <FieldBox field={field} control={(bound) => <input type="text" {...input} {...bound} ref={inputRef} />} />
  );
}
