import { useId } from 'react';
import type { Settings } from '../../../../shared/domain';
import { FormError } from '../common/FormError';
import { SettingsSection, useSettingChange } from '../common/SettingsSectionHead';

const runtimeOptions: { value: Settings['runtime']; label: string }[] = [
  { value: 'automatic', label: 'Automatic' },
  { value: 'ollama', label: 'Ollama' },
  { value: 'builtin', label: 'Built into Keel' },
];

/** Which runtime runs the models: Ollama when it answers (automatic), Ollama, or Keel's own. */
export function RuntimeSection() {
  const selectId = useId();
  const hintId = useId();
  const { shown, error, change } = useSettingChange('runtime', 'automatic');

  return (
    <SettingsSection id="settings-runtime-title" title="Model runtime">
      <div className="settings-fields">
        <div className="field">
          <label htmlFor={selectId}>Run models with</label>
          <select
            id={selectId}
            value={shown}
            aria-describedby={hintId}
            onChange={(event) => void change(event.target.value as Settings['runtime'])}
          >
            {runtimeOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <p id={hintId} className="field-hint">
            Automatic uses Ollama when it is running, and otherwise the models Keel runs itself (the GGUF
            files in the models folder of your data folder).
          </p>
          <FormError error={error} />
        </div>
      </div>
    </SettingsSection>
  );
}
