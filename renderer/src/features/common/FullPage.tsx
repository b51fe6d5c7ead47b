import type { ReactNode } from 'react';

/**
 * A page that takes the whole main area (search, decisions): its title labels it, its introduction
 * sits under the title and its buttons beside it. `name` gives its classes (`<name>-page`,
 * `<name>-header`) and its title's id (`<name>-title`).
 */
export function FullPage({
  name,
  title,
  intro,
  introClassName = 'muted',
  actions,
  children,
}: {
  name: string;
  title: string;
  intro: string;
  introClassName?: string;
  actions: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`${name}-page`} aria-labelledby={`${name}-title`}>
      <header className={`${name}-header`}>
        <div>
          <h1 id={`${name}-title`}>{title}</h1>
          <p className={introClassName}>{intro}</p>
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}
