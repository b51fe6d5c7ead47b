import { useId } from 'react';

export interface DateRange {
  from: string;
  to: string;
}

/** One date input with its label, in a field box of the given class, or bare (in a fieldset). */
function DateField({
  label,
  value,
  min,
  max,
  required,
  fieldClassName,
  onChange,
}: {
  label: string;
  value: string;
  min?: string;
  max?: string;
  required?: boolean;
  fieldClassName?: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const field = (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value}
        min={min || undefined}
        max={max || undefined}
        required={required}
        onChange={(event) => onChange(event.target.value)}
      />
    </>
  );
  return fieldClassName === undefined ? field : <div className={fieldClassName}>{field}</div>;
}

/**
 * From one day to another (both `YYYY-MM-DD`, empty for open-ended): two date inputs, each
 * keeping the other's bound so the range cannot run backwards.
 */
export function DateRangeFields({
  range,
  onChange,
  fromLabel = 'From',
  toLabel = 'To',
  fieldClassName,
  required,
}: {
  range: DateRange;
  onChange: (range: Partial<DateRange>) => void;
  fromLabel?: string;
  toLabel?: string;
  /** The class of the box around each label and input; none puts them side by side as they are. */
  fieldClassName?: string;
  required?: boolean;
}) {
  const ends = [
    { end: 'from', label: fromLabel, value: range.from, max: range.to },
    { end: 'to', label: toLabel, value: range.to, min: range.from },
  ] as const;
  return ends.map((end) => (
    <DateField
      key={end.end}
      {...end}
      required={required}
      fieldClassName={fieldClassName}
      onChange={(value) => onChange({ [end.end]: value })}
    />
  ));
}
