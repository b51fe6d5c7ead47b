import { DateRangeFields, type DateRange } from '../common/DateRangeFields';
import { isoDay } from './memoryLabels';

export type Period = DateRange;

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
  return (
    <fieldset className="mem-period">
      <legend>Entries to look across</legend>
      <DateRangeFields range={period} onChange={(change) => onChange({ ...period, ...change })} required />
    </fieldset>
  );
}
