import { useId, type ReactNode } from 'react';

/** What every labelled text field takes, whatever its control. */
export interface TextFieldBase {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Adds to or replaces the app's "field" box class. */
  fieldClassName?: string;
  /** The control's id when something else points at it; one is made otherwise. */
  id?: string;
  /** What goes under the control (a hint). */
  children?: ReactNode;
}

/**
 * The app's field box around one labelled text control: the label, the control (given its id, its
 * value and a change handler that hands back the text) and a hint under it. TextField and
 * TextAreaField are this box around an input and a textarea.
 */
export function FieldBox({
  field: { label, value, onChange, fieldClassName = 'field', id, children },
  control,
}: {
  field: TextFieldBase;
  control: (props: {
    id: string;
    value: string;
    onChange: (event: { target: { value: string } }) => void;
  }) => ReactNode;
}) {
  const ownId = useId();
  const controlId = id ?? ownId;
  return (
    <div className={fieldClassName}>
      <label htmlFor={controlId}>{label}</label>
      {control({ id: controlId, value, onChange: (event) => onChange(event.target.value) })}
      {children}
    </div>
  );
}

/** Splits a text field's props into the box's and the control's own. */
export function splitField<P extends TextFieldBase>(props: P): [TextFieldBase, Omit<P, keyof TextFieldBase>] {
  const { label, value, onChange, fieldClassName, id, children, ...control } = props;
  return [{ label, value, onChange, fieldClassName, id, children }, control];
}
