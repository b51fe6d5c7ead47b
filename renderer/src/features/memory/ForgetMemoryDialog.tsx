import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';

/** Asks before forgetting: a forgotten memory is deleted from the data folder for good. */
export function ForgetMemoryDialog({
  memoryId,
  text,
  onClose,
}: {
  memoryId: string;
  text: string | undefined;
  onClose: () => void;
}) {
  const forgetMemory = useKeel((state) => state.forgetMemory);
  return (
    <ConfirmDialog
      title="Forget this memory?"
      confirmLabel="Forget"
      onConfirm={() => forgetMemory(memoryId)}
      onClose={onClose}
    >
      {text ? <blockquote className="mem-quote">{text}</blockquote> : null}
      <p>
        It is deleted for good, with its history: Keel will not use it again and it cannot be brought back.
      </p>
    </ConfirmDialog>
  );
}
