import { useState } from 'react';
import { ForgetMemoryDialog } from './ForgetMemoryDialog';

/** "Forget" for one memory: it asks first, since a forgotten memory is gone for good. */
export function ForgetMemoryButton({
  memoryId,
  text,
  className,
}: {
  memoryId: string;
  text: string | undefined;
  className: string;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setAsking(true)}>
        Forget
      </button>
      {asking ? (
        <ForgetMemoryDialog memoryId={memoryId} text={text} onClose={() => setAsking(false)} />
      ) : null}
    </>
  );
}
