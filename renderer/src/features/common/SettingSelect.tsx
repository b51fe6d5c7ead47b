import { useId, type ReactNode } from 'react';
import type { Settings } from '../../../../shared/domain';
import { FormError } from './FormError';
import { useSettingChange } from './SettingsSectionHead';

/** The settings whose value is one word of a list. */
type ChoiceSetting = { [K in keyof Settings]: Settings[K] extends string ? K : never }[keyof Settings];

/**
 * A setting chosen from a list and saved as soon as it changes, with its hint and any refusal
 * under it; a saved value the list does not name (written by hand in the file) is offered as it is.
 */
export function SettingSelect<K extends ChoiceSetting>({
  setting,
  fallback,
  label,
  options,
  children,
}: {
  setting: K;
  fallback: Settings[K];
  label: string;
  options: readonly { value: Settings[K]; label: string }[];
  /** The hint under the select. */
  children: ReactNode;
}) {
  const selectId = useId();
  const hintId = useId();
  const { saved, shown, error, change } = useSettingChange(setting, fallback);
  const known = options.some((option) => option.value === saved);

  return (
    <div className="settings-fields">
      <div className="field">
        <label htmlFor={selectId}>{label}</label>
        <select
          id={selectId}
          value={shown}
          aria-describedby={hintId}
          // The select offers only the saved value and the list's values.
          onChange={(event) => void change(event.target.value as Settings[K])}
        >
          {known ? null : <option value={saved}>{saved}</option>}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <p id={hintId} className="field-hint">
          {children}
        </p>
        <FormError error={error} />
      </div>
    </div>
  );
}
