import { SettingSelect } from '../common/SettingSelect';
import { SettingsSection } from '../common/SettingsSectionHead';

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
  return (
    <SettingsSection id="settings-keep-title" title="Speed and memory">
      <SettingSelect setting="keepAlive" fallback="10m" label="Keep model loaded" options={keepAliveOptions}>
        After an answer, Ollama keeps the model in memory this long, so the next move starts at once. Shorter
        frees memory for other apps sooner; Always keeps it until Ollama stops.
      </SettingSelect>
    </SettingsSection>
  );
}
