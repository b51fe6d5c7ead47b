import { useEffect, useState } from 'react';

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
