import { useKeel, useKeelFields } from '../../store/KeelStoreProvider';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { LedgerSidebarEntry } from '../ledger/LedgerSidebarEntry';
import { MemorySidebarEntry } from '../memory/MemorySidebarEntry';
import { SidebarPageButton } from './SidebarPageButton';
import { SpaceGroup } from './SpaceGroup';
import { ThemeButton } from './ThemeButton';

export function Sidebar() {
  const { spaces, appInfo, openDialog, lockNow } = useKeelFields(
    'spaces',
    'appInfo',
    'openDialog',
    'lockNow',
  );
  const { settingsOpen, openSettings, closeSettings } = useKeelFields(
    'settingsOpen',
    'openSettings',
    'closeSettings',
  );
  const { searchOpen, openSearch, closeSearch } = useKeelFields('searchOpen', 'openSearch', 'closeSearch');
  const privacyOpen = useKeel((state) => state.settingsOpen && state.settingsSection === 'privacy');
  const encrypted = useKeel((state) => state.engineState?.encrypted === true);
  const modifierKey = modifierKeyLabel(appInfo?.platform);

  return (
    <nav aria-label="Spaces" className="sidebar">
      <div className="sidebar-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Keel</span>
      </div>
      <button
        type="button"
        className="button button-primary sidebar-new-space"
        onClick={() => openDialog({ kind: 'new-space' })}
      >
        New space
      </button>
      <ul className="space-list">
        {spaces.map((space) => (
          <SpaceGroup key={space.id} space={space} />
        ))}
      </ul>
      <div className="sidebar-footer">
        <div className="sidebar-footer-row">
          <SidebarPageButton
            icon="search-icon"
            label="Search"
            title={`Loops, turns, drafts, decisions and memories, in every space (${modifierKey}+Shift+F or /)`}
            current={searchOpen}
            keyShortcuts="Control+Shift+F Meta+Shift+F /"
            onClick={() => (searchOpen ? closeSearch() : openSearch())}
          />
        </div>
        <MemorySidebarEntry />
        <LedgerSidebarEntry />
        <div className="sidebar-footer-row">
          <SidebarPageButton
            icon="gear-icon"
            label="Settings"
            title={`Models, downloads and the model host (${modifierKey}+,)`}
            current={settingsOpen}
            onClick={() => (settingsOpen ? closeSettings() : openSettings())}
          />
          <ThemeButton />
        </div>
        <div className="sidebar-footer-row">
          <SidebarPageButton
            icon="privacy-icon"
            label="Privacy"
            title="What Keel sent over the network, encryption, backups"
            current={privacyOpen}
            onClick={() => openSettings('privacy')}
          />
          {encrypted ? (
            <SidebarPageButton
              icon="lock-icon"
              label="Lock Keel"
              title={`Lock now: the passphrase opens Keel again (${modifierKey}+L)`}
              onClick={() => void lockNow()}
            />
          ) : null}
        </div>
        {appInfo ? (
          <p className="app-info" title={`Your data is kept in ${appInfo.dataDir}`}>
            Keel {appInfo.version} · data in <span className="app-info-path">{appInfo.dataDir}</span>
          </p>
        ) : null}
      </div>
    </nav>
  );
}
