import type { TextareaHTMLAttributes } from 'react';
import { FieldBox, splitField, type TextFieldBase } from './FieldBox';

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, keyof TextFieldBase>;

/** A labelled text box of several lines in the app's field box, handing back the text (TextField's kin). */
export function TextAreaField(props: TextAreaProps & TextFieldBase) {
  const [field, textarea] = splitField(props);
  return <FieldBox field={field} control={(bound) => <textarea {...textarea} {...bound} />} />;
}
