import { useId } from 'react';
import { isoDay } from './memoryLabels';

export interface Period {
  from: string;
  to: string;
}

/** The last 30 days, today included: where a look for patterns starts. */
export function lastThirtyDays(now: Date = new Date()): Period {
  const from = new Date(now);
  from.setDate(from.getDate() - 29);
  return { from: isoDay(from), to: isoDay(now) };
}

/** The journal entries a patterns move looks across: from one day to another, both included. */
export function PatternPeriodFields({
  period,
  onChange,
}: {
  period: Period;
  onChange: (period: Period) => void;
}) {
  const fromId = useId();
  const toId = useId();
  return (
    <fieldset className="mem-period">
      <legend>Entries to look across</legend>
      <label htmlFor={fromId}>From</label>
      <input
        id={fromId}
        type="date"
        value={period.from}
        max={period.to || undefined}
        required
        onChange={(event) => onChange({ ...period, from: event.target.value })}
      />
      <label htmlFor={toId}>To</label>
      <input
        id={toId}
        type="date"
        value={period.to}
        min={period.from || undefined}
        required
        onChange={(event) => onChange({ ...period, to: event.target.value })}
      />
    </fieldset>
  );
}
