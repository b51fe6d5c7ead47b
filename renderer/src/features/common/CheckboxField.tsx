import { useId, type ReactNode } from 'react';

/**
 * A checkbox with its label beside it in the app's field box, handing back whether it is checked;
 * `children` go under it (a hint or a warning, which `describedBy` names).
 */
export function CheckboxField({
  label,
  checked,
  describedBy,
  onChange,
  children,
}: {
  label: string;
  checked: boolean;
  describedBy?: string;
  onChange: (checked: boolean) => void;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field field-check">
      <div className="check-row">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {children}
    </div>
  );
}
