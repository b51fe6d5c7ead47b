import { useId, useState } from 'react';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';

/** Whether the desktop window notifies when forecasts come due to be resolved. */
export function DueNotificationsSection() {
  const checkboxId = useId();
  const hintId = useId();
  const on = useKeel((state) => state.settings?.notifyDueForecasts ?? true);
  const saveSettings = useKeel((state) => state.saveSettings);
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const change = async (value: boolean) => {
    setPending(value);
    setError(null);
    const result = await saveSettings({ notifyDueForecasts: value });
    setPending(null);
    if (!result.ok) setError(result.error);
  };
  return (
    <section className="settings-section" aria-labelledby="settings-due-title">
      <h2 id="settings-due-title">Forecasts due</h2>
      <div className="settings-fields">
        <div className="field field-check">
          <div className="check-row">
            <input
              id={checkboxId}
              type="checkbox"
              checked={pending ?? on}
              aria-describedby={hintId}
              onChange={(event) => void change(event.target.checked)}
            />
            <label htmlFor={checkboxId}>Notify me when forecasts are due to be resolved</label>
          </div>
          <p id={hintId} className="field-hint">
            In the desktop app, a system notification when a forecast's resolution date comes. The Decisions
            page lists what is due either way.
          </p>
          <FormError error={error} />
        </div>
      </div>
    </section>
  );
}
