import { useId, useState } from 'react';
import type { Settings } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';

const runtimeOptions: { value: Settings['runtime']; label: string }[] = [
  { value: 'automatic', label: 'Automatic' },
  { value: 'ollama', label: 'Ollama' },
  { value: 'builtin', label: 'Built into Keel' },
];

/** Which runtime runs the models: Ollama when it answers (automatic), Ollama, or Keel's own. */
export function RuntimeSection() {
  const selectId = useId();
  const hintId = useId();
  const runtime = useKeel((state) => state.settings?.runtime ?? 'automatic');
  const saveSettings = useKeel((state) => state.saveSettings);
  const [pending, setPending] = useState<Settings['runtime'] | null>(null);
  const [error, setError] = useState<KeelErrorInfo | null>(null);

  const change = async (value: Settings['runtime']) => {
    setPending(value);
    setError(null);
    const result = await saveSettings({ runtime: value });
    setPending(null);
    if (!result.ok) setError(result.error);
  };

  return (
    <section className="settings-section" aria-labelledby="settings-runtime-title">
      <h2 id="settings-runtime-title">Model runtime</h2>
      <div className="settings-fields">
        <div className="field">
          <label htmlFor={selectId}>Run models with</label>
          <select
            id={selectId}
            value={pending ?? runtime}
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
    </section>
  );
}
