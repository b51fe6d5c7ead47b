import { useKeel } from '../../store/KeelStoreProvider';
import { missingCase } from '../../../../shared/errors';
import { NewLoopDialog } from '../loop/NewLoopDialog';
import { NewSpaceDialog } from '../sidebar/NewSpaceDialog';
import { OpenLinkDialog } from '../loop/OpenLinkDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { NameDialog } from './NameDialog';

/** Shows the one dialog the store says is open. */
export function DialogHost() {
  const dialog = useKeel((state) => state.dialog);
  const closeDialog = useKeel((state) => state.closeDialog);
  const spaces = useKeel((state) => state.spaces);
  const loops = useKeel((state) => state.loops);
  const openLoop = useKeel((state) => state.openLoop);
  const renameSpace = useKeel((state) => state.renameSpace);
  const archiveSpace = useKeel((state) => state.archiveSpace);
  const renameLoop = useKeel((state) => state.renameLoop);
  const archiveLoop = useKeel((state) => state.archiveLoop);
  if (!dialog) return null;
  const findLoop = (loopId: string) =>
    loops.find((candidate) => candidate.id === loopId) ?? (openLoop?.id === loopId ? openLoop : undefined);

  switch (dialog.kind) {
    case 'new-space':
      return <NewSpaceDialog onClose={closeDialog} />;
    case 'new-loop': {
      const space = spaces.find((candidate) => candidate.id === dialog.spaceId);
      return space ? <NewLoopDialog space={space} onClose={closeDialog} /> : null;
    }
    case 'rename-space': {
      const space = spaces.find((candidate) => candidate.id === dialog.spaceId);
      if (!space) return null;
      return (
        <NameDialog
          title="Rename space"
          label="Space name"
          initialValue={space.name}
          emptyMessage="A space needs a name."
          submitLabel="Save"
          onSubmit={(name) => renameSpace(space.id, name)}
          onClose={closeDialog}
        />
      );
    }
    case 'archive-space': {
      const space = spaces.find((candidate) => candidate.id === dialog.spaceId);
      if (!space) return null;
      return (
        <ConfirmDialog
          title="Archive space"
          confirmLabel="Archive"
          onConfirm={() => archiveSpace(space.id)}
          onClose={closeDialog}
        >
          <p>
            Archive <strong>{space.name}</strong>? It leaves the sidebar with its loops. Nothing is deleted:
            its files stay in your data folder.
          </p>
        </ConfirmDialog>
      );
    }
    case 'rename-loop': {
      const loop = findLoop(dialog.loopId);
      if (!loop) return null;
      return (
        <NameDialog
          title="Rename loop"
          label="Loop title"
          initialValue={loop.title}
          emptyMessage="A loop needs a title."
          submitLabel="Save"
          onSubmit={(title) => renameLoop(loop.id, title)}
          onClose={closeDialog}
        />
      );
    }
    case 'archive-loop': {
      const loop = findLoop(dialog.loopId);
      if (!loop) return null;
      return (
        <ConfirmDialog
          title="Archive loop"
          confirmLabel="Archive"
          onConfirm={() => archiveLoop(loop.id)}
          onClose={closeDialog}
        >
          <p>
            Archive <strong>{loop.title}</strong>? It leaves the sidebar. Nothing is deleted: its timeline and
            draft stay in your data folder.
          </p>
        </ConfirmDialog>
      );
    }
    case 'open-link':
      return <OpenLinkDialog url={dialog.url} onClose={closeDialog} />;
    default:
      return missingCase(dialog);
  }
}
