import type { Theme } from '../../../../shared/domain';
import { nextTheme } from '../../store/slices/settingsSlice';
import { useKeel } from '../../store/KeelStoreProvider';

const themeLabels: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Walks System → Light → Dark and saves the choice in the engine's settings. */
export function ThemeButton() {
  const theme = useKeel((state) => state.theme);
  const cycleTheme = useKeel((state) => state.cycleTheme);
  return (
    <div className="theme-switch">
      <span className="theme-caption" aria-hidden="true">
        Theme
      </span>
      <button
        type="button"
        className="button button-quiet theme-button"
        aria-label={`Theme: ${themeLabels[theme]}`}
        title={`Theme: ${themeLabels[theme]}. Switch to ${themeLabels[nextTheme(theme)]}.`}
        onClick={() => void cycleTheme()}
      >
        <span className={`theme-icon theme-icon-${theme}`} aria-hidden="true" />
        {themeLabels[theme]}
      </button>
    </div>
  );
}
