import { useId } from 'react';
import { FormError } from '../common/FormError';
import { SettingsSection, useSettingChange } from '../common/SettingsSectionHead';

/** Ollama's keep_alive values, in words. */
const keepAliveOptions = [
  { value: '5m', label: '5 minutes' },
  { value: '10m', label: '10 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '-1', label: 'Always' },
  { value: '0', label: 'Unload right away' },
] as const;

/** How long Ollama keeps the model in memory after an answer. */
export function KeepAliveSection() {
  const selectId = useId();
  const hintId = useId();
  const { saved: keepAlive, shown, error, change } = useSettingChange('keepAlive', '10m');
  const known = keepAliveOptions.some((option) => option.value === keepAlive);

  return (
    <SettingsSection id="settings-keep-title" title="Speed and memory">
      <div className="settings-fields">
        <div className="field">
          <label htmlFor={selectId}>Keep model loaded</label>
          <select
            id={selectId}
            value={shown}
            aria-describedby={hintId}
            onChange={(event) => void change(event.target.value)}
          >
            {known ? null : <option value={keepAlive}>{keepAlive}</option>}
            {keepAliveOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <p id={hintId} className="field-hint">
            After an answer, Ollama keeps the model in memory this long, so the next move starts at once.
            Shorter frees memory for other apps sooner; Always keeps it until Ollama stops.
          </p>
          <FormError error={error} />
        </div>
      </div>
    </SettingsSection>
  );
}
