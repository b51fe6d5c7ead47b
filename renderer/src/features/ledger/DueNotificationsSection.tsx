import { useId } from 'react';
import { CheckboxField } from '../common/CheckboxField';
import { FormError } from '../common/FormError';
import { SettingsSection, useSettingChange } from '../common/SettingsSectionHead';

/** Whether the desktop window notifies when forecasts come due to be resolved. */
export function DueNotificationsSection() {
  const hintId = useId();
  const { shown, error, change } = useSettingChange('notifyDueForecasts', true);
  return (
    <SettingsSection id="settings-due-title" title="Forecasts due">
      <div className="settings-fields">
        <CheckboxField
          label="Notify me when forecasts are due to be resolved"
          checked={shown}
          describedBy={hintId}
          onChange={(checked) => void change(checked)}
        >
          <p id={hintId} className="field-hint">
            In the desktop app, a system notification when a forecast's resolution date comes. The Decisions
            page lists what is due either way.
          </p>
          <FormError error={error} />
        </CheckboxField>
      </div>
    </SettingsSection>
  );
}
