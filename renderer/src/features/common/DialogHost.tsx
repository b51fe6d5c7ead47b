import { useKeelFields } from '../../store/KeelStoreProvider';
import { missingCase, type Result } from '../../../../shared/errors';
import { NewLoopDialog } from '../loop/NewLoopDialog';
import { NewSpaceDialog } from '../sidebar/NewSpaceDialog';
import { OpenLinkDialog } from '../loop/OpenLinkDialog';
import { ConfirmDialog } from './ConfirmDialog';
import { NameDialog } from './NameDialog';

type Named = 'space' | 'loop';

const renameTexts: Record<Named, { title: string; label: string; emptyMessage: string }> = {
  space: { title: 'Rename space', label: 'Space name', emptyMessage: 'A space needs a name.' },
  loop: { title: 'Rename loop', label: 'Loop title', emptyMessage: 'A loop needs a title.' },
};

/** Shows the one dialog the store says is open. */
export function DialogHost() {
  const { dialog, closeDialog, spaces, loops, openLoop, renameSpace, archiveSpace, renameLoop, archiveLoop } =
    useKeelFields(
      'dialog',
      'closeDialog',
      'spaces',
      'loops',
      'openLoop',
      'renameSpace',
      'archiveSpace',
      'renameLoop',
      'archiveLoop',
    );
  if (!dialog) return null;
  const findLoop = (loopId: string) =>
    loops.find((candidate) => candidate.id === loopId) ?? (openLoop?.id === loopId ? openLoop : undefined);

  const rename = (what: Named, name: string, save: (name: string) => Promise<Result<unknown>>) => (
    <NameDialog
      {...renameTexts[what]}
      initialValue={name}
      submitLabel="Save"
      onSubmit={save}
      onClose={closeDialog}
    />
  );
  const archive = (
    what: Named,
    name: string,
    save: () => Promise<Result<unknown>>,
    leaves: string,
    kept = 'its files stay',
  ) => (
    <ConfirmDialog title={`Archive ${what}`} confirmLabel="Archive" onConfirm={save} onClose={closeDialog}>
      <p>
        Archive <strong>{name}</strong>? {leaves} Nothing is deleted: {kept} in your data folder.
      </p>
    </ConfirmDialog>
  );

  switch (dialog.kind) {
    case 'new-space':
      return <NewSpaceDialog onClose={closeDialog} />;
    case 'new-loop': {
      const space = spaces.find((candidate) => candidate.id === dialog.spaceId);
      return space ? <NewLoopDialog space={space} onClose={closeDialog} /> : null;
    }
    case 'rename-space': {
      const space = spaces.find((candidate) => candidate.id === dialog.spaceId);
      return space ? rename('space', space.name, (name) => renameSpace(space.id, name)) : null;
    }
    case 'archive-space': {
      const space = spaces.find((candidate) => candidate.id === dialog.spaceId);
      return space
        ? archive('space', space.name, () => archiveSpace(space.id), 'It leaves the sidebar with its loops.')
        : null;
    }
    case 'rename-loop': {
      const loop = findLoop(dialog.loopId);
      return loop ? rename('loop', loop.title, (title) => renameLoop(loop.id, title)) : null;
    }
    case 'archive-loop': {
      const loop = findLoop(dialog.loopId);
      return loop
        ? archive(
            'loop',
            loop.title,
            () => archiveLoop(loop.id),
            'It leaves the sidebar.',
            'its timeline and draft stay',
          )
        : null;
    }
    case 'open-link':
      return <OpenLinkDialog url={dialog.url} onClose={closeDialog} />;
    default:
      return missingCase(dialog);
  }
}
