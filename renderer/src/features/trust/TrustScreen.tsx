import type { ReactNode } from 'react';

/** The calm page that stands in for the whole workspace while it is locked, damaged or opening. */
export function TrustScreen({
  titleId,
  title,
  children,
}: {
  titleId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <main className="trust-screen">
      <section className="trust-card" aria-labelledby={titleId}>
        <p className="trust-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Keel</span>
        </p>
        <h1 id={titleId}>{title}</h1>
        {children}
      </section>
    </main>
  );
}
