import { DialogActions, NameField } from '../common/DialogParts';
import { useId, useState, type FormEvent } from 'react';
import { spaceKinds, type SpaceKind } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { Dialog } from '../common/Dialog';
import { EnumField } from '../common/EnumSelect';
import { FormError } from '../common/FormError';
import { spaceKindLabels } from './spaceKindLabels';

const kindHints: Record<SpaceKind, string> = {
  client: 'One client: their context stays in this space and never reaches another client’s work.',
  plan: 'A plan or a decision you are preparing.',
  journal: 'A thinking journal: the AI mostly asks questions.',
  general: 'Anything else.',
};

export function NewSpaceDialog({ onClose }: { onClose: () => void }) {
  const createSpace = useKeel((state) => state.createSpace);
  const nameId = useId();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<SpaceKind>('client');
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (name.trim() === '') {
      setError('Give the space a name, for instance the client or the plan it is for.');
      return;
    }
    setBusy(true);
    const result = await createSpace({ name: name.trim(), kind });
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <Dialog title="New space" onClose={onClose}>
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <NameField
          id={nameId}
          label="Space name"
          value={name}
          onChange={setName}
          placeholder="e.g. Northwind Logistics"
        />
        <EnumField
          label="Kind"
          options={spaceKinds}
          optionLabel={(value) => spaceKindLabels[value]}
          value={kind}
          onChange={setKind}
          hint={kindHints[kind]}
        />
        <FormError error={error} />
        <DialogActions submitLabel="Create space" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
