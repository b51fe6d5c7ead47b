import type { HTMLAttributes, ReactNode } from 'react';

/**
 * A list the person picks one entry from: each entry a button, the one on screen marked with
 * `aria-current` ("page" where the entry opens a page, "true" for an entry shown beside the list).
 */
export function SelectableList<T extends { id: string }>({
  items,
  currentId,
  currentAs = 'true',
  itemClassName,
  onSelect,
  children,
  ...list
}: Omit<HTMLAttributes<HTMLUListElement>, 'children' | 'onSelect'> & {
  items: readonly T[];
  currentId: string | null;
  currentAs?: 'page' | 'true';
  itemClassName: string;
  onSelect: (item: T) => void;
  /** What an entry's button shows. */
  children: (item: T) => ReactNode;
}) {
  return (
    <ul {...list}>
      {items.map((item) => (
        <li key={item.id}>
          <button
            type="button"
            className={itemClassName}
            aria-current={item.id === currentId ? currentAs : undefined}
            onClick={() => onSelect(item)}
          >
            {children(item)}
          </button>
        </li>
      ))}
    </ul>
  );
}
