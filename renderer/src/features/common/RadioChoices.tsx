/** A group's radio buttons, one per choice, each in its label; the caller gives the fieldset and legend. */
export function RadioChoices<T extends string | boolean>({
  name,
  choices,
  value,
  onChange,
  className,
}: {
  name: string;
  choices: readonly (readonly [T, string])[];
  value: T;
  onChange: (value: T) => void;
  className: string;
}) {
  return (
    <>
      {choices.map(([choice, label]) => (
        <label key={label} className={className}>
          <input type="radio" name={name} checked={value === choice} onChange={() => onChange(choice)} />
          {label}
        </label>
      ))}
    </>
  );
}
