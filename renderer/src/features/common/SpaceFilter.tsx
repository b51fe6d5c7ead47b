import { useShallow } from 'zustand/react/shallow';
import { useKeel } from '../../store/KeelStoreProvider';
import { SpaceSelect } from './SpaceSelect';

/** The "Space" filter of a list across spaces: every space (the empty value, named `anyLabel`) or one. */
export function SpaceFilter({
  anyLabel,
  value,
  onChange,
}: {
  anyLabel: string;
  value: string;
  onChange: (spaceId: string) => void;
}) {
  const spaces = useKeel(useShallow((state) => state.spaces));
  return (
    <SpaceSelect
      label="Space"
      spaces={spaces}
      leading={[{ value: '', label: anyLabel }]}
      value={value}
      onChange={onChange}
    />
  );
}
