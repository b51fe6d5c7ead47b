import { useId } from 'react';
import type { CalibrationBin } from '../../../../shared/ledger';

const size = { width: 360, height: 300, left: 48, right: 16, top: 16, bottom: 44 };
const plotWidth = size.width - size.left - size.right;
const plotHeight = size.height - size.top - size.bottom;
const x = (p: number) => size.left + p * plotWidth;
const y = (p: number) => size.top + (1 - p) * plotHeight;
const percent = (p: number) => `${Math.round(p * 100)}%`;

/** What one bin says, in words, for the chart's description and the table. */
function binSentence(bin: CalibrationBin): string {
  if (bin.observed === undefined) return `${bin.from}–${bin.to}%: no resolved forecasts`;
  return `${bin.from}–${bin.to}%: ${bin.yes} of ${bin.count} came true (${percent(bin.observed)}, 95% interval ${percent(bin.low!)}–${percent(bin.high!)})`;
}

/**
 * Stated probability against how often it came true, one point per 10 %-wide bin with its count
 * and a Wilson 95 % error bar; the diagonal is perfect calibration. The same figures are in a table
 * below it for anyone who does not read the chart.
 */
export function CalibrationChart({ bins }: { bins: readonly CalibrationBin[] }) {
  const titleId = useId();
  const descId = useId();
  const filled = bins.filter((bin) => bin.count > 0);
  return (
    <figure className="ledger-chart">
      <svg
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${size.width} ${size.height}`}
        className="ledger-chart-svg"
      >
        <title id={titleId}>Calibration: how often your forecasts came true at each stated probability</title>
        <desc id={descId}>
          {filled.length === 0 ? 'No resolved forecasts yet.' : filled.map(binSentence).join('. ')}
        </desc>
        {[0, 0.25, 0.5, 0.75, 1].map((tick) => (
          <g key={tick} className="ledger-chart-grid">
            <line x1={x(0)} x2={x(1)} y1={y(tick)} y2={y(tick)} />
            <text x={size.left - 6} y={y(tick) + 4} textAnchor="end">
              {percent(tick)}
            </text>
            <text x={x(tick)} y={size.height - size.bottom + 16} textAnchor="middle">
              {percent(tick)}
            </text>
          </g>
        ))}
        <line className="ledger-chart-diagonal" x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} />
        <text className="ledger-chart-axis" x={x(0.5)} y={size.height - 6} textAnchor="middle">
          Stated probability
        </text>
        <text
          className="ledger-chart-axis"
          transform={`translate(12 ${y(0.5)}) rotate(-90)`}
          textAnchor="middle"
        >
          Came true
        </text>
        {filled.map((bin) => {
          const cx = x(bin.stated!);
          return (
            <g key={bin.from} className="ledger-chart-bin">
              <line x1={cx} x2={cx} y1={y(bin.low!)} y2={y(bin.high!)} className="ledger-chart-bar" />
              <line x1={cx - 4} x2={cx + 4} y1={y(bin.low!)} y2={y(bin.low!)} className="ledger-chart-bar" />
              <line
                x1={cx - 4}
                x2={cx + 4}
                y1={y(bin.high!)}
                y2={y(bin.high!)}
                className="ledger-chart-bar"
              />
              <circle cx={cx} cy={y(bin.observed!)} r={3 + Math.min(5, Math.sqrt(bin.count))} />
              <text x={cx + 8} y={y(bin.observed!) - 6} className="ledger-chart-count">
                {bin.count}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">
        Dots: how often your forecasts in each 10% band came true (the number is how many); bars: 95%
        interval; the diagonal is a perfect match.
      </figcaption>
      <details className="ledger-chart-table">
        <summary>The chart as a table</summary>
        <table className="data-table">
          <caption>Calibration by stated probability</caption>
          <thead>
            <tr>
              <th scope="col">Stated</th>
              <th scope="col">Forecasts</th>
              <th scope="col">Came true</th>
              <th scope="col">Observed</th>
              <th scope="col">95% interval</th>
            </tr>
          </thead>
          <tbody>
            {bins.map((bin) => (
              <tr key={bin.from}>
                <th scope="row">
                  {bin.from}–{bin.to}%
                </th>
                <td>{bin.count}</td>
                <td>{bin.yes}</td>
                <td>{bin.observed === undefined ? '—' : percent(bin.observed)}</td>
                <td>{bin.observed === undefined ? '—' : `${percent(bin.low!)}–${percent(bin.high!)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
