import type { ReactNode } from 'react';
import { TableScroll } from './TableScroll';

export interface Column {
  /** The header's words (or a visually hidden label for a column of buttons). */
  label: ReactNode;
  /** `numeric` right-aligns a column of figures. */
  className?: string;
}

/** A data table with a header row of column headers, in a frame that scrolls sideways. */
export function DataTable({
  label,
  scrollLabel,
  className,
  scrollClassName,
  columns,
  children,
}: {
  /** The table's accessible name. */
  label: string;
  /** The scrolling frame's accessible name. */
  scrollLabel: string;
  className: string;
  scrollClassName?: string;
  columns: readonly Column[];
  /** The body's rows. */
  children: ReactNode;
}) {
  return (
    <TableScroll className={scrollClassName} label={scrollLabel}>
      <table className={className} aria-label={label}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={column.className}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}
