import { useId, useState } from 'react';
import type { LedgerRow } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';

const grades = [
  { process: 'good', outcome: 'good', label: 'Good call, good outcome' },
  { process: 'good', outcome: 'bad', label: 'Good call, bad luck' },
  { process: 'poor', outcome: 'good', label: 'Poor call, good luck' },
  { process: 'poor', outcome: 'bad', label: 'Poor call, bad outcome' },
] as const;

export function gradeLabel(grade: { process: 'good' | 'poor'; outcome: 'good' | 'bad' }): string {
  return grades.find((one) => one.process === grade.process && one.outcome === grade.outcome)!.label;
}

/** The person grades the process apart from the outcome. */
export function GradeForm({ row }: { row: LedgerRow }) {
  const legendId = useId();
  const gradeDecision = useKeel((state) => state.gradeDecision);
  const current = row.entry.grade;
  const { busy, error, run } = useTurnAction();
  const [chosen, setChosen] = useState<number | null>(
    current ? grades.findIndex((g) => g.process === current.process && g.outcome === current.outcome) : null,
  );
  return (
    <form
      className="ledger-form"
      aria-label={`Grade the decision “${row.entry.choice}”`}
      onSubmit={(event) => {
        event.preventDefault();
        if (chosen === null) return;
        const { process, outcome } = grades[chosen]!;
        void run(() =>
          gradeDecision({ loopId: row.loopId, decidedAt: row.entry.decidedAt, process, outcome }),
        );
      }}
    >
      <fieldset className="ledger-outcomes ledger-wide" aria-labelledby={legendId}>
        <legend id={legendId}>Process and outcome, graded apart</legend>
        {grades.map((grade, index) => (
          <label key={grade.label} className="ledger-outcome">
            <input
              type="radio"
              name={`${legendId}-grade`}
              checked={chosen === index}
              onChange={() => setChosen(index)}
            />
            {grade.label}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button" disabled={busy || chosen === null}>
        Save grade
      </button>
      <ActionError error={error} />
    </form>
  );
}
