import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { OutboundRecord } from '../../../../shared/domain';
import { SyncServersNote } from '../sync/SyncSection';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { SettingsSection, useLoadWithRefresh } from '../common/SettingsSectionHead';
import { DataTable } from '../common/DataTable';
import { displayModelName, formatBytes } from '../models/modelFormat';
import { formatDateTime, formatRequestTime } from './backupLabels';

/** How one request ended, in words. */
export function requestResult(record: OutboundRecord): string {
  if (record.refused && record.redirectTo !== undefined)
    return `Refused: redirect to ${record.redirectTo} not followed`;
  if (record.refused) return 'Refused: host not allowed';
  if (record.status === undefined) return record.durationMs === undefined ? 'No answer' : 'Failed';
  const took = record.durationMs === undefined ? '' : ` in ${formatDuration(record.durationMs)}`;
  if (record.status >= 200 && record.status < 300) return `OK${took}`;
  return `Error ${record.status}${took}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** What Keel sends over the network, said plainly, and every request it sent this session. */
const requestColumns = [
  { label: 'Time' },
  { label: 'Host' },
  { label: 'Request' },
  { label: 'Model' },
  { label: 'Sent', className: 'numeric' },
  { label: 'Received', className: 'numeric' },
  { label: 'Result' },
];

export function PrivacySection() {
  const appInfo = useKeel((state) => state.appInfo);
  const log = useKeel(useShallow((state) => state.outboundLog));
  const error = useKeel((state) => state.outboundLogError);
  const loadOutboundLog = useKeel((state) => state.loadOutboundLog);
  const downloadHosts = useKeel(useShallow((state) => state.modelCatalog?.downloadHosts ?? []));
  const loadModelCatalog = useKeel((state) => state.loadModelCatalog);
  const { refreshing, refresh } = useLoadWithRefresh(loadOutboundLog);

  // The download hosts come with the model catalog.
  useEffect(() => {
    void loadModelCatalog();
  }, [loadModelCatalog]);

  const host = appInfo?.ollamaHost;

  return (
    <SettingsSection id="settings-privacy-title" title="Privacy">
      {appInfo === null || appInfo.hostIsLocal ? (
        <p className="privacy-statement">
          Everything you write stays on this computer. Keel’s only network connection is to your model host{' '}
          <code>{host ?? 'on this computer'}</code>, apart from model files you choose to download. Nothing
          else left this computer.
        </p>
      ) : (
        <p className="privacy-statement privacy-statement-remote">
          Everything you write is kept on this computer, but your model host <code>{host}</code> is another
          computer: your prompts, with the loop’s contents and drafts they carry, are sent there to be
          answered. Keel’s only network connection is to that host, apart from model files you choose to
          download. Nothing else left this computer.
        </p>
      )}
      {downloadHosts.length > 0 ? (
        <p className="privacy-downloads">
          Model files for Keel’s built-in runtime are downloaded only when you press Download, from{' '}
          {downloadHosts.map((downloadHost, index) => (
            <span key={downloadHost}>
              {index > 0 ? ', ' : ''}
              <code>{downloadHost}</code>
            </span>
          ))}{' '}
          (the model host and the file servers it hands downloads to). Keel asks them for the file only: your
          prompts and your work never go there.
        </p>
      ) : null}
      <SyncServersNote />
      <p className="settings-intro">
        No telemetry, no update checks, no remote fonts. Below is every request Keel sent (or refused to send)
        since it started.
      </p>
      <div className="settings-section-head">
        <h3 className="privacy-log-title">Requests this session</h3>
        <button type="button" className="button button-small" aria-disabled={refreshing} onClick={refresh}>
          Refresh
        </button>
      </div>
      <FormError error={error} />
      {log && log.length === 0 ? (
        <p className="settings-empty">Keel has sent nothing over the network since it started.</p>
      ) : null}
      {log && log.length > 0 ? (
        <DataTable
          label="Requests sent by Keel"
          scrollLabel="Requests table"
          className="data-table trust-table"
          scrollClassName="privacy-log"
          columns={requestColumns}
        >
          {log.map((record, index) => (
            <tr key={`${record.at}-${index}`} className={record.refused ? 'request-refused' : undefined}>
              <td title={formatDateTime(record.at)}>{formatRequestTime(record.at)}</td>
              <td>{record.origin}</td>
              <td>
                <code>
                  {record.method} {record.path}
                </code>
              </td>
              <td>{record.model ? displayModelName(record.model) : ''}</td>
              <td className="numeric">{formatBytes(record.bytesSent)}</td>
              <td className="numeric">
                {record.bytesReceived === undefined ? '' : formatBytes(record.bytesReceived)}
              </td>
              <td>{requestResult(record)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </SettingsSection>
  );
}
