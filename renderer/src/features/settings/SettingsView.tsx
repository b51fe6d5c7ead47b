import { useEffect, useRef } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import type { SettingsSection } from '../../store/slices/uiSlice';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { useInitialFocus } from '../common/useInitialFocus';
import { BuiltinModelsSection } from './BuiltinModelsSection';
import { DownloadSection } from './DownloadSection';
import { HostSection } from './HostSection';
import { KeepAliveSection } from './KeepAliveSection';
import { DueNotificationsSection } from '../ledger/DueNotificationsSection';
import { ModelsSection } from './ModelsSection';
import { RuntimeSection } from './RuntimeSection';
import { SpaceModelsSection } from './SpaceModelsSection';
import { BackupsSection } from '../trust/BackupsSection';
import { EncryptionSection } from '../trust/EncryptionSection';
import { TransferSection } from '../trust/TransferSection';
import { PrivacySection } from '../trust/PrivacySection';
import { DiagnosticsSection } from '../trust/DiagnosticsSection';
import { useEscape } from '../common/useEscape';
import { SyncSection } from '../sync/SyncSection';
import { ClosePageButton } from '../common/ClosePageButton';

const sectionHeadingIds: Record<SettingsSection, string> = {
  models: 'settings-models-title',
  'builtin-models': 'settings-builtin-title',
  host: 'settings-host-title',
  privacy: 'settings-privacy-title',
  encryption: 'settings-encryption-title',
  backups: 'settings-backups-title',
  transfer: 'settings-transfer-title',
};

/**
 * Settings, in place of the loop: models, downloads, a space's own models, the host, memory, and
 * trust (privacy, encryption, backups, transferring to another computer).
 */
export function SettingsView() {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const closeSettings = useKeel((state) => state.closeSettings);
  const loadModels = useKeel((state) => state.loadModels);
  const modifierKey = modifierKeyLabel(useKeel((state) => state.appInfo?.platform));
  const settingsLoaded = useKeel((state) => state.settings !== null);

  const section = useKeel((state) => state.settingsSection);

  useInitialFocus(headingRef);

  // Opened from a problem banner: go straight to the part that fixes it.
  useEffect(() => {
    if (!section) return;
    const heading = document.getElementById(sectionHeadingIds[section]);
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }, [section]);

  // The list may have changed since it was last shown (a model pulled in a terminal).
  useEffect(() => {
    void loadModels();
  }, [loadModels]);

  // Esc goes back to the work, unless a dialog is open (Esc closes that instead).
  useEscape(closeSettings);

  return (
    <section className="settings" aria-labelledby="settings-title">
      <header className="settings-header">
        <h1 id="settings-title" ref={headingRef} tabIndex={-1}>
          Settings
        </h1>
        <ClosePageButton
          label="Close settings"
          shortcut={`Esc or ${modifierKey}+,`}
          onClose={closeSettings}
        />
      </header>
      <RuntimeSection />
      <ModelsSection />
      <DownloadSection />
      <BuiltinModelsSection />
      <SpaceModelsSection />
      <SyncSection />
      {/* The form starts from the saved host, so it waits for the settings to arrive. */}
      <HostSection key={settingsLoaded ? 'loaded' : 'loading'} />
      <KeepAliveSection />
      <DueNotificationsSection />
      <PrivacySection />
      <EncryptionSection key={settingsLoaded ? 'loaded' : 'loading'} />
      <BackupsSection key={settingsLoaded ? 'loaded' : 'loading'} />
      <TransferSection />
      <DiagnosticsSection />
    </section>
  );
}
