import { useShallow } from 'zustand/react/shallow';
import { useKeel } from '../../store/KeelStoreProvider';
import { SpaceGroup } from './SpaceGroup';
import { ThemeButton } from './ThemeButton';

export function Sidebar() {
  const spaces = useKeel(useShallow((state) => state.spaces));
  const openDialog = useKeel((state) => state.openDialog);
  const appInfo = useKeel((state) => state.appInfo);

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
        <ThemeButton />
        {appInfo ? (
          <p className="app-info" title={`Your data is kept in ${appInfo.dataDir}`}>
            Keel {appInfo.version} · data in <span className="app-info-path">{appInfo.dataDir}</span>
          </p>
        ) : null}
      </div>
    </nav>
  );
}
