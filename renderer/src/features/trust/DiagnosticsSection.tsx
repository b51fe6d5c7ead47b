import { useShallow } from 'zustand/react/shallow';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { SettingsSection, useLoadWithRefresh } from '../common/SettingsSectionHead';
import { formatDateTime, formatRequestTime } from './backupLabels';

/**
 * What failed in the background this session (a daily backup, the search index, meaning vectors):
 * work with no button of its own, whose failure would otherwise go unseen.
 */
export function DiagnosticsSection() {
  const problems = useKeel(useShallow((state) => state.backgroundProblems));
  const error = useKeel((state) => state.backgroundProblemsError);
  const loadBackgroundProblems = useKeel((state) => state.loadBackgroundProblems);
  const { refreshing, refresh } = useLoadWithRefresh(loadBackgroundProblems);

  return (
    <SettingsSection
      id="settings-diagnostics-title"
      title="Diagnostics"
      action={{ label: 'Refresh', busy: refreshing, onAction: refresh }}
    >
      <p className="settings-intro">
        Work Keel does on its own (backups, the search index, meaning vectors) that failed since it started.
        Your saved work is not affected; Keel tries again on its own.
      </p>
      <FormError error={error} />
      {problems && problems.length === 0 ? (
        <p className="settings-empty">Nothing has failed in the background since Keel started.</p>
      ) : null}
      {problems && problems.length > 0 ? (
        <ul className="diagnostics-list" aria-label="Background problems">
          {problems.map((problem, index) => (
            <li key={`${problem.at}-${index}`}>
              <time dateTime={problem.at} title={formatDateTime(problem.at)}>
                {formatRequestTime(problem.at)}
              </time>{' '}
              <strong>{problem.what}</strong> failed: {problem.message}
            </li>
          ))}
        </ul>
      ) : null}
    </SettingsSection>
  );
}
