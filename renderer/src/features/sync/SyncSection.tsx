import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SyncState, SyncStatus } from '../../../../shared/domain';
import { type KeelErrorInfo, type Result } from '../../../../shared/errors';
import { useKeelFields } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { SpaceSelect } from '../common/SpaceSelect';
import { formatTime } from '../common/formatTime';

const stateLabels: Record<SyncState, string> = {
  off: 'Not synced',
  connecting: 'Connecting…',
  'up-to-date': 'Up to date',
  syncing: 'Sending changes…',
  offline: 'Offline: changes wait here',
  paused: 'Paused',
};

interface ServerFields {
  url: string;
  database: string;
  username: string;
  password: string;
  passphrase: string;
}

const emptyFields: ServerFields = { url: '', database: '', username: '', password: '', passphrase: '' };

/** The server, database, credentials and passphrase, shared by setting up and joining. */
function ServerForm({
  label,
  submitLabel,
  onSubmit,
}: {
  label: string;
  submitLabel: string;
  onSubmit: (fields: ServerFields) => Promise<Result<SyncStatus>>;
}) {
  const id = useId();
  const [fields, setFields] = useState(emptyFields);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const field = (name: keyof ServerFields, label: string, type: 'text' | 'password', hint?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        type={type}
        value={fields[name]}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error?.field === name || undefined}
        {...(hint ? { 'aria-describedby': `${id}-${name}-hint` } : {})}
        onChange={(event) => setFields({ ...fields, [name]: event.target.value })}
      />
      {hint ? (
        <p id={`${id}-${name}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await onSubmit(fields);
    setBusy(false);
    if (result.ok) setFields(emptyFields);
    else setError(result.error);
  };
  return (
    <form className="settings-fields" aria-label={label} noValidate onSubmit={(event) => void submit(event)}>
      {field('url', 'Server address', 'text', 'Your own CouchDB server, e.g. https://couch.example.com.')}
      {field('database', 'Database name', 'text', 'Lowercase letters and digits, e.g. acme-keel.')}
      {field('username', 'User name', 'text')}
      {field('password', 'Password', 'password')}
      {field(
        'passphrase',
        'Sync passphrase',
        'password',
        'Everything is encrypted with it before it leaves this computer. The server never sees it; a lost passphrase cannot be recovered.',
      )}
      <FormError error={error} />
      <div className="settings-actions">
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? 'Working…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** One space's sync as it stands: where, when, by which computer, what is pending, and what Keel could not merge. */
function SyncStatusView({ status, spaceName }: { status: SyncStatus; spaceName: string }) {
  const { pauseSync, leaveSync, dismissSyncConflict } = useKeelFields(
    'pauseSync',
    'leaveSync',
    'dismissSyncConflict',
  );
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const run = async (action: () => Promise<Result<SyncStatus>>) => {
    setError(null);
    const result = await action();
    if (!result.ok) setError(result.error);
  };
  return (
    <div className="sync-status">
      <p role="status" aria-live="polite">
        <strong>{stateLabels[status.state]}</strong>
        {status.lastSyncedAt
          ? ` · last synced ${formatTime(status.lastSyncedAt)}${status.lastSyncedBy ? ` by ${status.lastSyncedBy}` : ''}`
          : ''}
        {status.pending > 0 ? ` · ${status.pending} waiting to be sent` : ''}
      </p>
      <p className="settings-intro">
        {spaceName} syncs through <code>{status.origin}</code>, database <code>{status.database}</code>.
        {status.problem ? ` ${status.problem}` : ''}
      </p>
      {status.conflicts.length > 0 ? (
        <>
          <h3>Changes Keel could not merge by itself</h3>
          <ul className="sync-conflicts">
            {status.conflicts.map((conflict, index) => (
              <li key={`${conflict.at}-${index}`}>
                {formatTime(conflict.at)}: {conflict.message}{' '}
                <button
                  type="button"
                  className="button button-quiet button-small"
                  aria-label={`Dismiss the conflict of ${formatTime(conflict.at)}`}
                  onClick={() =>
                    void run(() =>
                      dismissSyncConflict({ spaceId: status.spaceId, at: conflict.at, what: conflict.what }),
                    )
                  }
                >
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <FormError error={error} />
      <div className="settings-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() => void run(() => pauseSync(status.spaceId, status.state !== 'paused'))}
        >
          {status.state === 'paused' ? 'Resume sync' : 'Pause sync'}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => void run(() => leaveSync(status.spaceId))}
        >
          Leave sync (keep this copy)
        </button>
      </div>
    </div>
  );
}

/** Sync of a space with the person's other computers or a small team, through their own server. */
export function SyncSection() {
  const { spaces, currentSpaceId, syncStatuses } = useKeelFields('spaces', 'currentSpaceId', 'syncStatuses');
  const { loadSyncStatus, setUpSync, joinSync } = useKeelFields('loadSyncStatus', 'setUpSync', 'joinSync');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const space = spaces.find((candidate) => candidate.id === (chosenId ?? currentSpaceId)) ?? spaces[0];
  const status = space ? syncStatuses[space.id] : undefined;

  useEffect(() => {
    if (space) void loadSyncStatus(space.id);
  }, [space, loadSyncStatus]);

  const credentials = (fields: ServerFields) => ({
    url: fields.url,
    database: fields.database,
    passphrase: fields.passphrase,
    ...(fields.username ? { username: fields.username } : {}),
    ...(fields.password ? { password: fields.password } : {}),
  });

  return (
    <section className="settings-section" aria-labelledby="settings-sync-title">
      <h2 id="settings-sync-title" tabIndex={-1}>
        Sync
      </h2>
      <p className="settings-intro">
        Keep a space on your other computers, or share it with a small team, through a CouchDB server you run.
        Everything is encrypted on this computer first: the server holds no word of it. Only the spaces you
        choose sync, and nothing else (settings, other spaces, backups) leaves this computer.
      </p>
      {space ? (
        <>
          <SpaceSelect label="Space to sync" spaces={spaces} value={space.id} onChange={setChosenId} />
          {status && status.state !== 'off' ? (
            <SyncStatusView status={status} spaceName={space.name} />
          ) : (
            <>
              <h3>Sync “{space.name}”</h3>
              <ServerForm
                key={space.id}
                label={`Sync ${space.name}`}
                submitLabel={`Start syncing ${space.name}`}
                onSubmit={(fields) => setUpSync({ spaceId: space.id, ...credentials(fields) })}
              />
            </>
          )}
        </>
      ) : null}
      <h3>Join a space from another computer</h3>
      <p className="settings-intro">
        Give the same server, database, credentials and sync passphrase as on the computer that has it.
      </p>
      <ServerForm
        label="Join a space"
        submitLabel="Join space"
        onSubmit={(fields) => joinSync(credentials(fields))}
      />
    </section>
  );
}

/** On the Privacy page: every sync server Keel may contact, and for which space. */
export function SyncServersNote() {
  const [servers, setServers] = useState<SyncStatus[]>([]);
  const { syncStatuses, spaces, listSync } = useKeelFields('syncStatuses', 'spaces', 'listSync');
  useEffect(() => {
    void listSync().then((result) => {
      if (result.ok) setServers(result.value);
    });
  }, [listSync, syncStatuses]);
  if (servers.length === 0) return null;
  return (
    <p className="privacy-statement">
      Synced spaces also reach their own sync server, sealed so it reads nothing:{' '}
      {servers.map((server, index) => (
        <span key={server.spaceId}>
          {index > 0 ? '; ' : ''}
          <code>{server.origin}</code> for{' '}
          {spaces.find((space) => space.id === server.spaceId)?.name ?? 'a space'}
        </span>
      ))}
      .
    </p>
  );
}
