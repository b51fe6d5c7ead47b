import type { ReactNode } from 'react';

/**
 * The frame a wide table scrolls sideways in. It takes keyboard focus and carries the table's
 * name, so someone without a mouse can reach it and scroll it with the arrow keys (WCAG 2.1.1).
 */
export function TableScroll({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={className ? `table-scroll ${className}` : 'table-scroll'}
      role="region"
      aria-label={label}
      tabIndex={0}
    >
      {children}
    </div>
  );
}
