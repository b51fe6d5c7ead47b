import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';

type NativeSelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'children'>;

export interface EnumSelectProps<T extends string> extends NativeSelectProps {
  /** Every value the select offers, in order (an empty string for "any" or "none" when there is one). */
  options: readonly T[];
  /** What the person reads for each value. */
  optionLabel: (option: T) => string;
  value: T;
  onChange: (value: T) => void;
}

/**
 * A select over a fixed list of values: the change handler gets the chosen member of `options`
 * itself, typed, so no caller narrows the DOM's string by a cast.
 */
export function EnumSelect<T extends string>({
  options,
  optionLabel,
  value,
  onChange,
  ...select
}: EnumSelectProps<T>) {
  return (
    <select
      {...select}
      value={value}
      onChange={(event) => {
        const chosen = options.find((option) => option === event.target.value);
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      {options.map((option) => (
        <option key={option} value={option}>
          {optionLabel(option)}
        </option>
      ))}
    </select>
  );
}

/** An `EnumSelect` in the app's labelled field, with an optional hint below it. */
export function EnumField<T extends string>({
  label,
  hint,
  ...select
}: Omit<EnumSelectProps<T>, 'id' | 'aria-describedby'> & { label: string; hint?: ReactNode }) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <EnumSelect {...select} id={id} aria-describedby={hint === undefined ? undefined : hintId} />
      {hint === undefined ? null : (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A fixed list of values with what the person reads for each, as an EnumSelect or EnumField takes them. */
export function choices<T extends string>(
  options: readonly T[],
  labels: Readonly<Record<T, string>>,
): Pick<EnumSelectProps<T>, 'options' | 'optionLabel'> {
  return { options, optionLabel: (option) => labels[option] };
}
