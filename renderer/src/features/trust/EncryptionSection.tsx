import { useId, useState, type ComponentProps } from 'react';
import { limits } from '../../../../shared/contract';
import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { FormError } from '../common/FormError';
import { SettingsSection } from '../common/SettingsSectionHead';
import { TextField } from '../common/TextField';
import { useFormSubmit } from '../common/useFormSubmit';
import { WholeNumberSettingForm, type WholeNumberTexts } from './WholeNumberSettingForm';

const lockTexts: WholeNumberTexts = {
  label: 'Lock after idle minutes',
  hint: 'Keel locks itself after this many minutes without you typing or moving the mouse. 0 means never: it then locks only when you choose Lock Keel.',
  outOfRange: 'Enter a whole number of minutes from 0 to 1440 (0: never lock by itself).',
  submitLabel: 'Save lock time',
};

const mismatch = 'The two passphrases are not the same. Type the same one twice.';

type PassphraseInputProps = Omit<ComponentProps<typeof TextField>, 'type' | 'className' | 'maxLength'> & {
  autoComplete?: 'new-password' | 'current-password';
};

/** A passphrase field: it asks for the one in use unless `autoComplete` says it is a new one. */
function PassphraseInput({ autoComplete = 'current-password', ...field }: PassphraseInputProps) {
  return (
    <TextField
      {...field}
      type="password"
      className="trust-input"
      maxLength={limits.passphrase}
      autoComplete={autoComplete}
    />
  );
}

/** The warning that a forgotten passphrase is the end of the data: said before it is set, and after. */
function ForgottenWarning({ id }: { id: string }) {
  return (
    <p id={id} className="trust-warning">
      <strong>A forgotten passphrase cannot be recovered.</strong> Nobody, Keel included, can open your data
      without it. Write it down and keep it somewhere safe.
    </p>
  );
}

/** Shown while every file is written again: it can take a few seconds with a lot of data. */
function Working({ text }: { text: string }) {
  return (
    <div className="trust-working" role="status">
      <progress className="trust-progress" aria-label={text} />
      <span>{text}</span>
    </div>
  );
}

function TurnOnForm() {
  const warningId = useId();
  const setPassphrase = useKeel((state) => state.setPassphrase);
  const [passphrase, setValue] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, submit } = useFormSubmit({
    check: () => (passphrase !== repeat ? mismatch : null),
    save: () => setPassphrase(passphrase),
  });

  return (
    <>
      <p className="settings-intro">
        With a passphrase, every file in your data folder (and every backup) is encrypted: someone who copies
        the folder or takes this computer cannot read your spaces, loops or drafts. Keel asks for the
        passphrase each time it starts and after it locks.
      </p>
      <ForgottenWarning id={warningId} />
      <form className="settings-fields" noValidate onSubmit={submit}>
        <PassphraseInput
          label="Passphrase"
          value={passphrase}
          onChange={setValue}
          autoComplete="new-password"
          aria-describedby={warningId}
        />
        <PassphraseInput
          label="Repeat passphrase"
          value={repeat}
          onChange={setRepeat}
          autoComplete="new-password"
        />
        <p className="field-hint trust-hint-row">
          At least 8 characters; a few unrelated words make a good one.
        </p>
        <FormError error={error} />
        <div className="settings-actions">
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Turn on encryption
          </button>
          {busy ? <Working text="Encrypting your data…" /> : null}
        </div>
      </form>
    </>
  );
}

function ChangeForm() {
  const setPassphrase = useKeel((state) => state.setPassphrase);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, submit } = useFormSubmit({
    check: () => (current === '' ? 'Enter your current passphrase.' : next !== repeat ? mismatch : null),
    save: () => setPassphrase(next, current),
    onSaved: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    },
  });

  return (
    <form
      className="settings-fields"
      noValidate
      onSubmit={(event) => {
        // The note of the change before goes as soon as another is tried (there is none while one saves).
        setDone(false);
        submit(event);
      }}
    >
      <h3 className="trust-form-title">Change the passphrase</h3>
      <PassphraseInput label="Current passphrase" value={current} onChange={setCurrent} />
      <PassphraseInput label="New passphrase" value={next} onChange={setNext} autoComplete="new-password" />
      <PassphraseInput
        label="Repeat new passphrase"
        value={repeat}
        onChange={setRepeat}
        autoComplete="new-password"
      />
      <FormError error={error} />
      <div className="settings-actions">
        <button type="submit" className="button" aria-disabled={busy}>
          Change passphrase
        </button>
        {busy ? <Working text="Encrypting your data with the new passphrase…" /> : null}
        {done ? <span className="saved-note">Changed. Use the new passphrase from now on.</span> : null}
      </div>
    </form>
  );
}

function TurnOffForm() {
  const removePassphrase = useKeel((state) => state.removePassphrase);
  const [current, setCurrent] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  return (
    <form
      className="settings-fields"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (current === '') {
          setError('Enter your current passphrase.');
          return;
        }
        setError(null);
        setAsking(true);
      }}
    >
      <h3 className="trust-form-title">Turn off encryption</h3>
      <PassphraseInput label="Passphrase to turn off encryption" value={current} onChange={setCurrent} />
      <FormError error={error} />
      <div className="settings-actions">
        <button type="submit" className="button">
          Turn off encryption
        </button>
      </div>
      {asking ? (
        <ConfirmDialog
          title="Turn off encryption"
          confirmLabel="Turn off and decrypt"
          onConfirm={async () => {
            const result = await removePassphrase(current);
            if (result.ok) setCurrent('');
            return result;
          }}
          onClose={() => setAsking(false)}
        >
          <p>
            Every file in your data folder, and every backup, is written again without encryption. Anyone who
            can open the folder can then read your spaces, loops and drafts. This can take a few seconds.
          </p>
        </ConfirmDialog>
      ) : null}
    </form>
  );
}

/** Encryption at rest: turn it on with a passphrase, change it, say when to lock, or turn it off. */
export function EncryptionSection() {
  const encrypted = useKeel((state) => state.engineState?.encrypted === true);
  const warningId = useId();
  return (
    <SettingsSection id="settings-encryption-title" title="Encryption">
      {encrypted ? (
        <>
          <p className="trust-on">
            <span className="lock-icon" aria-hidden="true" />
            Encryption is on: your data folder and backups can be read only with your passphrase.
          </p>
          <ForgottenWarning id={warningId} />
          <WholeNumberSettingForm setting="lockAfterMinutes" texts={lockTexts} />
          <ChangeForm />
          <TurnOffForm />
        </>
      ) : (
        <TurnOnForm />
      )}
    </SettingsSection>
  );
}
