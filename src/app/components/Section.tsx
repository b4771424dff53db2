import type { ReactNode } from 'react';

/** Renders one numbered step of the studio, with an id the header navigation links to. */
export function Section(props: { id: string; step: number; title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="section" id={props.id} data-testid={`section-${props.id}`}>
      <header className="section-header">
        <h2>
          <span className="step">{props.step}</span> {props.title}
        </h2>
        {props.aside}
      </header>
      {props.children}
    </section>
  );
}
