import { useId, useState, type FormEvent } from 'react';
import { limits } from '../../../../shared/contract';
import type { ModelStatus } from '../../../../shared/domain';
import { missingCase, type KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { CheckboxField } from '../common/CheckboxField';
import { FormError } from '../common/FormError';
import { TextField } from '../common/TextField';
import { SettingsSection } from '../common/SettingsSectionHead';

const sourceLabels: Record<ModelStatus['hostSource'], string> = {
  settings: 'set here',
  OLLAMA_HOST: 'from the OLLAMA_HOST variable',
  default: 'Ollama’s usual address on this computer',
};

/** One line on how the host in use answers, in words. */
function hostState(status: ModelStatus): string {
  switch (status.connection) {
    case 'remote-not-allowed':
      return 'Not allowed: this host is another computer, so your prompts would leave this one. Keel sends nothing there until you allow it below.';
    case 'not-running':
      return 'Ollama is not running there.';
    case 'unreachable':
      return 'No answer from Ollama there.';
    case 'connected':
    case 'no-models':
    case 'model-missing':
      return status.version ? `Ollama ${status.version} answers there.` : 'Ollama answers there.';
    default:
      return missingCase(status.connection);
  }
}

/** Where Ollama is: this computer (the default) or, once allowed, another one. */
export function HostSection() {
  const hintId = useId();
  const warningId = useId();
  const settings = useKeel((state) => state.settings);
  const status = useKeel((state) => state.modelStatus);
  const appHost = useKeel((state) => state.appInfo?.ollamaHost);
  const saveSettings = useKeel((state) => state.saveSettings);
  const [host, setHost] = useState(settings?.ollamaHost ?? '');
  const [allow, setAllow] = useState(settings?.allowRemoteHost ?? false);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const inUse = status?.host ?? appHost;
  const unchanged =
    settings !== null && host.trim() === settings.ollamaHost && allow === settings.allowRemoteHost;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await saveSettings({ ollamaHost: host.trim(), allowRemoteHost: allow });
    setBusy(false);
    if (result.ok) {
      setHost(result.value.ollamaHost);
      setAllow(result.value.allowRemoteHost);
      setSaved(true);
    } else {
      setError(result.error);
    }
  };

  return (
    <SettingsSection id="settings-host-title" title="Model host">
      <p className="settings-intro">
        Where Keel finds Ollama. Leave it empty to use Ollama on this computer (or the OLLAMA_HOST variable,
        when it is set).
      </p>
      {inUse ? (
        <p className="host-in-use">
          In use: <code>{inUse}</code>
          {status ? <span className="muted"> ({sourceLabels[status.hostSource]})</span> : null}
          {status ? <span className="host-state">{hostState(status)}</span> : null}
        </p>
      ) : null}
      <form className="settings-fields" noValidate onSubmit={(event) => void submit(event)}>
        <TextField
          label="Model host"
          value={host}
          maxLength={limits.name}
          autoComplete="off"
          spellCheck={false}
          placeholder={appHost && !settings?.ollamaHost ? appHost : 'http://127.0.0.1:11434'}
          aria-describedby={hintId}
          onChange={(value) => {
            setHost(value);
            setSaved(false);
          }}
        >
          <p id={hintId} className="field-hint">
            For example http://127.0.0.1:11434. Empty means the default.
          </p>
        </TextField>
        <CheckboxField
          label="Allow a model host on another computer"
          checked={allow}
          describedBy={warningId}
          onChange={(checked) => {
            setAllow(checked);
            setSaved(false);
          }}
        >
          <p id={warningId} className={allow ? 'host-warning host-warning-on' : 'host-warning'}>
            With this on, your prompts, loop contents and drafts are sent over the network to that computer
            and leave this one. Only allow a computer you trust.
          </p>
        </CheckboxField>
        <FormError error={error} />
        <div className="settings-actions">
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Save
          </button>
          {saved && unchanged ? (
            <span className="saved-note">Saved. Checked the connection again.</span>
          ) : null}
        </div>
      </form>
    </SettingsSection>
  );
}
