import { Fragment, useId, type ReactNode } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import { MemoryOutcomeNotice } from './MemoryOutcomeNotice';

/** What a card section of the memory page says. */
interface SectionWords {
  id: string;
  heading: string;
  /** Said above each outcome remembered from the section, if anything. */
  recorded?: string;
  empty: string;
  cardsLabel: string;
}

/** The card sections, by whose outcomes they show first (the places those were recorded for). */
const sections: Record<'review' | 'suggestion', SectionWords> = {
  review: {
    id: 'memory-reviews',
    heading: 'Decisions to review',
    recorded: 'Review recorded. What you learned is kept:',
    empty:
      'No decision is due for review. When you decide with a review date, it comes back here on that day.',
    cardsLabel: 'Decisions due for review',
  },
  suggestion: {
    id: 'memory-suggestions',
    heading: 'Suggested from your steering',
    empty:
      'Nothing suggested. When you set turns aside for the same reason more than once, Keel proposes a preference here.',
    cardsLabel: 'Suggestions',
  },
};

/**
 * A section of the memory page that the person works through card by card (due reviews,
 * suggestions): its heading takes focus when the page jumps to it, what was just remembered from it
 * comes first (the outcomes recorded for a review or a suggestion), then the cards, or why there
 * are none.
 */
export function MemoryCardsSection({ of, cards }: { of: keyof typeof sections; cards: ReactNode[] }) {
  const words = sections[of];
  const headingId = useId();
  // The record itself is selected (its entries are new arrays on every call, which no equality
  // check would ever call unchanged, so React would render without end).
  const allOutcomes = useKeel((state) => state.memoryOutcomes);
  const dismissOutcome = useKeel((state) => state.dismissOutcome);
  const outcomes = Object.entries(allOutcomes).filter(([place]) => place.startsWith(`${of}:`));
  return (
    <section className="mem-section" aria-labelledby={headingId} id={words.id}>
      <h2 id={headingId} tabIndex={-1}>
        {words.heading}
      </h2>
      {outcomes.map(([place, outcome]) => {
        const notice = <MemoryOutcomeNotice outcome={outcome} onDismiss={() => dismissOutcome(place)} />;
        return words.recorded ? (
          <div key={place} className="mem-recorded">
            <p>{words.recorded}</p>
            {notice}
          </div>
        ) : (
          <Fragment key={place}>{notice}</Fragment>
        );
      })}
      {cards.length === 0 ? (
        <p className="muted mem-empty">{words.empty}</p>
      ) : (
        <ul className="mem-cards" aria-label={words.cardsLabel}>
          {cards}
        </ul>
      )}
    </section>
  );
}
