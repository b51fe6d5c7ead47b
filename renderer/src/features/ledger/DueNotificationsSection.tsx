import { useId } from 'react';
import { FormError } from '../common/FormError';
import { SettingsSection, useSettingChange } from '../common/SettingsSectionHead';

/** Whether the desktop window notifies when forecasts come due to be resolved. */
export function DueNotificationsSection() {
  const checkboxId = useId();
  const hintId = useId();
  const { shown, error, change } = useSettingChange('notifyDueForecasts', true);
  return (
    <SettingsSection id="settings-due-title" title="Forecasts due">
      <div className="settings-fields">
        <div className="field field-check">
          <div className="check-row">
            <input
              id={checkboxId}
              type="checkbox"
              checked={shown}
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
    </SettingsSection>
  );
}
