import { memoryKinds, type MemoryKind } from '../../../../shared/domain';
import { EnumField, choices } from '../common/EnumSelect';
import { memoryKindLabels } from './memoryLabels';

const kindsOrNone = ['', ...memoryKinds] as const;

/**
 * The "Kind" field of the memory forms and filters: every kind by its label, and first, when
 * `emptyOption` is given ("Any kind", "Let Keel decide"), a choice of none.
 */
export function MemoryKindField(
  props:
    | { value: MemoryKind; onChange: (kind: MemoryKind) => void; emptyOption?: undefined }
    | { value: MemoryKind | ''; onChange: (kind: MemoryKind | '') => void; emptyOption: string },
) {
  if (props.emptyOption === undefined) {
    return (
      <EnumField
        label="Kind"
        {...choices(memoryKinds, memoryKindLabels)}
        value={props.value}
        onChange={props.onChange}
      />
    );
  }
  const none = props.emptyOption;
  return (
    <EnumField
      label="Kind"
      options={kindsOrNone}
      optionLabel={(kind) => (kind === '' ? none : memoryKindLabels[kind])}
      value={props.value}
      onChange={props.onChange}
    />
  );
}
