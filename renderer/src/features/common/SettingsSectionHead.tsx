import { useEffect, useState, type ReactNode } from 'react';
import type { Settings } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';

interface SettingsSectionHeadProps {
  /** The heading's id: the section is labelled by it, and Settings links focus it. */
  id: string;
  title: string;
  /** The section's one button beside its title ("Refresh", "Back up now"). */
  action: string;
  busy: boolean;
  onAction: () => void;
}

/** A settings section's title with its one action beside it (marked busy, never disabled: focus stays). */
export function SettingsSectionHead({ id, title, action, busy, onAction }: SettingsSectionHeadProps) {
  return (
    <div className="settings-section-head">
      <h2 id={id} tabIndex={-1}>
        {title}
      </h2>
      <button type="button" className="button button-small" aria-disabled={busy} onClick={onAction}>
        {action}
      </button>
    </div>
  );
}

interface SettingsSectionProps {
  /** The heading's id: the section is labelled by it, and Settings links focus it. */
  id: string;
  title: string;
  /** The section's one button beside its title, if it has one. */
  action?: { label: string; busy: boolean; onAction: () => void };
  children: ReactNode;
}

/** One settings section: labelled by its title (focusable for Settings links), then its body. */
export function SettingsSection({ id, title, action, children }: SettingsSectionProps) {
  return (
    <section className="settings-section" aria-labelledby={id}>
      {action ? (
        <SettingsSectionHead
          id={id}
          title={title}
          action={action.label}
          busy={action.busy}
          onAction={action.onAction}
        />
      ) : (
        <h2 id={id} tabIndex={-1}>
          {title}
        </h2>
      )}
      {children}
    </section>
  );
}

/**
 * A setting saved as soon as it changes: the new value shows while it saves, and a refusal stays
 * under the field.
 */
export function useSettingChange<K extends keyof Settings>(key: K, fallback: Settings[K]) {
  const saved = useKeel((state) => state.settings?.[key] ?? fallback);
  const saveSettings = useKeel((state) => state.saveSettings);
  const [pending, setPending] = useState<Settings[K] | null>(null);
  const [error, setError] = useState<KeelErrorInfo | null>(null);

  const change = async (value: Settings[K]) => {
    setPending(value);
    setError(null);
    const result = await saveSettings({ [key]: value });
    setPending(null);
    if (!result.ok) setError(result.error);
  };

  return { saved, shown: pending ?? saved, error, change };
}

/** Loads a list when the section is shown, and a refresh that says while it is under way. */
export function useLoadWithRefresh(load: () => Promise<void>): { refreshing: boolean; refresh: () => void } {
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = () => {
    setRefreshing(true);
    void load().finally(() => setRefreshing(false));
  };

  return { refreshing, refresh };
}
