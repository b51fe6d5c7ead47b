import { NameField } from '../common/DialogParts';
import { useId, useState } from 'react';
import { spaceKinds, type SpaceKind } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { DialogForm } from '../common/DialogForm';
import { EnumField } from '../common/EnumSelect';
import { spaceKindLabels } from './spaceKindLabels';
import { useFormSubmit } from '../common/useFormSubmit';

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
  const form = useFormSubmit({
    check: () =>
      name.trim() === '' ? 'Give the space a name, for instance the client or the plan it is for.' : null,
    save: () => createSpace({ name: name.trim(), kind }),
    onSaved: onClose,
  });

  return (
    <DialogForm title="New space" submitLabel="Create space" form={form} onClose={onClose}>
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
    </DialogForm>
  );
}
