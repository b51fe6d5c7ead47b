import type { Settings } from '../../../../shared/domain';
import { SettingSelect } from '../common/SettingSelect';
import { SettingsSection } from '../common/SettingsSectionHead';

const runtimeOptions: { value: Settings['runtime']; label: string }[] = [
  { value: 'automatic', label: 'Automatic' },
  { value: 'ollama', label: 'Ollama' },
  { value: 'builtin', label: 'Built into Keel' },
];

/** Which runtime runs the models: Ollama when it answers (automatic), Ollama, or Keel's own. */
export function RuntimeSection() {
  return (
    <SettingsSection id="settings-runtime-title" title="Model runtime">
      <SettingSelect setting="runtime" fallback="automatic" label="Run models with" options={runtimeOptions}>
        Automatic uses Ollama when it is running, and otherwise the models Keel runs itself (the GGUF files in
        the models folder of your data folder).
      </SettingSelect>
    </SettingsSection>
  );
}
