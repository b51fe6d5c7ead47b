import { useId, useState } from 'react';

/**
 * A part of the page that one button shows and hides (folded at first). Spread `buttonProps` on the
 * button: it says whether the part is open and which element (`id`) it controls, and toggles it.
 * `onOpen` runs each time it opens (to load what it shows).
 */
export function useDisclosure({ id, onOpen }: { id?: string; onOpen?: () => void } = {}) {
  const ownId = useId();
  const [open, setOpen] = useState(false);
  const controls = id ?? ownId;
  const toggle = () => {
    setOpen(!open);
    if (!open) onOpen?.();
  };
  return {
    open,
    id: controls,
    buttonProps: { 'aria-expanded': open, 'aria-controls': controls, onClick: toggle },
  };
}
