import { Fragment, useMemo, useState } from 'react';
import { spaceKinds, type LedgerRow } from '../../../../shared/domain';
import { forecastCalendar } from '../../../../shared/ledgerCalendar';
import {
  ledgerPage,
  type ForecastStatus,
  type LedgerDecisionView,
  type LedgerFilter,
  type LedgerScores,
  type LedgerSortKey,
} from '../../../../shared/ledger';
import { useKeel, useKeelFields } from '../../store/KeelStoreProvider';
import { DateRangeFields } from '../common/DateRangeFields';
import { EnumField } from '../common/EnumSelect';
import { FullPage } from '../common/FullPage';
import { SpaceFilter } from '../common/SpaceFilter';
import { useDisclosure } from '../common/useDisclosure';
import { errorHeading } from '../common/errorHeading';
import { downloadFile } from '../export/downloadFile';
import { spaceKindLabels } from '../sidebar/spaceKindLabels';
import { CalibrationChart } from './CalibrationChart';
import { ForecastItem } from './ForecastActions';
import { GradeForm, gradeLabel } from './GradeForm';
import { LedgerDossier } from './LedgerDossier';
import {
  hasSomethingToResolve,
  localDay,
  ResolveDecisionForm,
  type ResolvableDecision,
} from './ResolveDecisionForm';

function resolvable(row: LedgerRow): ResolvableDecision {
  return {
    loopId: row.loopId,
    decidedAt: row.entry.decidedAt,
    choice: row.entry.choice,
    forecasts: row.entry.forecasts,
    reviewed: row.entry.reviewed,
  };
}

/** The outcome review the person wrote when resolving, as the catalog keeps it. */
function ReviewLine({ row }: { row: LedgerRow }) {
  const review = row.entry.review;
  if (!review) return null;
  return (
    <dl className="ledger-review-recorded">
      <div>
        <dt>What happened</dt>
        <dd>{review.outcome}</dd>
      </div>
      {review.lesson ? (
        <div>
          <dt>What you learned</dt>
          <dd>{review.lesson}</dd>
        </div>
      ) : null}
    </dl>
  );
}

/** How many decisions the table shows before "Show more": the page stays quick at thousands. */
const pageSize = 100;

/** How many due decisions show their resolving form at first: each is a form, so fewer than rows. */
const duePageSize = 20;

const statusLabels: Record<ForecastStatus, string> = { open: 'Open', due: 'Due', resolved: 'Resolved' };

/** Downloads the open forecasts' resolution dates as a calendar file, made here from the ledger. */
function exportCalendar(rows: readonly LedgerRow[]): void {
  const bytes = new TextEncoder().encode(forecastCalendar(rows, new Date().toISOString()));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  downloadFile({ fileName: 'keel-forecasts.ics', mimeType: 'text/calendar', base64: btoa(binary) });
}

export const formatBrier = (score: number | undefined) => (score === undefined ? '—' : score.toFixed(3));

function ScoreLine({ scores }: { scores: LedgerScores }) {
  return (
    <dl className="ledger-scores">
      <div>
        <dt>Brier, first call</dt>
        <dd>{formatBrier(scores.first)}</dd>
      </div>
      <div>
        <dt>Brier, time-weighted</dt>
        <dd>{formatBrier(scores.timeWeighted)}</dd>
      </div>
      <div>
        <dt>Scored forecasts</dt>
        <dd>{scores.scored}</dd>
      </div>
      <div>
        <dt>Ambiguous (left out)</dt>
        <dd>{scores.ambiguous}</dd>
      </div>
      <div>
        <dt>Open</dt>
        <dd>{scores.open}</dd>
      </div>
    </dl>
  );
}

function SortHeader({ label, sortKey }: { label: string; sortKey: LedgerSortKey }) {
  const sort = useKeel((state) => state.ledgerSort);
  const sortLedger = useKeel((state) => state.sortLedger);
  const active = sort.key === sortKey;
  return (
    <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="link-button ledger-sort" onClick={() => sortLedger(sortKey)}>
        {label}
        <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

function DecisionRow({ view }: { view: LedgerDecisionView }) {
  const openLoopById = useKeel((state) => state.openLoopById);
  const { row, status } = view;
  const { entry } = row;
  const details = useDisclosure({ id: `ledger-details-${view.key.replace(/[^a-z0-9-]/gi, '-')}` });
  return (
    <>
      <tr>
        <th scope="row" className="ledger-decision-cell">
          <button type="button" className="link-button" onClick={() => void openLoopById(row.loopId)}>
            {row.title}
          </button>
          <span className="ledger-choice">{entry.choice}</span>
          {entry.grade ? <span className="ledger-grade">{gradeLabel(entry.grade)}</span> : null}
        </th>
        <td>{row.spaceName}</td>
        <td>{entry.decidedAt.slice(0, 10)}</td>
        <td>{entry.confidence}%</td>
        <td>
          <span className={`ledger-status ledger-status-${status}`}>{statusLabels[status]}</span>
        </td>
        <td>{formatBrier(view.brier)}</td>
        <td>
          <button type="button" className="button button-quiet" {...details.buttonProps}>
            {entry.forecasts.length === 1 ? '1 forecast' : `${entry.forecasts.length} forecasts`}
          </button>
        </td>
      </tr>
      {details.open ? (
        <tr id={details.id} className="ledger-details-row">
          <td colSpan={7}>
            {entry.forecasts.length > 0 ? (
              <ul className="ledger-forecasts" aria-label={`Forecasts of “${entry.choice}”`}>
                {entry.forecasts.map((forecast) => (
                  <ForecastItem key={forecast.id} loopId={row.loopId} forecast={forecast} />
                ))}
              </ul>
            ) : null}
            <ReviewLine row={row} />
            {hasSomethingToResolve(resolvable(row)) ? (
              <ResolveDecisionForm decision={resolvable(row)} />
            ) : null}
            <GradeForm row={row} />
            <LedgerDossier row={row} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

const kindsOrEvery = ['', ...spaceKinds] as const;

const statusFilterLabels: Record<LedgerFilter['status'], string> = {
  all: 'All',
  open: 'Open',
  due: 'Due',
  resolved: 'Resolved',
};
const statusFilters = ['all', 'open', 'due', 'resolved'] as const satisfies readonly LedgerFilter['status'][];

function Filters() {
  const filter = useKeel((state) => state.ledgerFilter);
  const setFilter = useKeel((state) => state.setLedgerFilter);
  return (
    <div className="ledger-filters" role="group" aria-label="Filter the decisions">
      <EnumField
        label="Status"
        options={statusFilters}
        optionLabel={(status) => statusFilterLabels[status]}
        value={filter.status}
        onChange={(status) => setFilter({ status })}
      />
      <SpaceFilter
        anyLabel="Every space"
        value={filter.spaceId}
        onChange={(spaceId) => setFilter({ spaceId })}
      />
      <EnumField
        label="Kind of work"
        options={kindsOrEvery}
        optionLabel={(kind) => (kind === '' ? 'Every kind' : spaceKindLabels[kind])}
        value={filter.kind}
        onChange={(kind) => setFilter({ kind })}
      />
      <DateRangeFields
        range={filter}
        onChange={setFilter}
        fromLabel="Decided from"
        toLabel="to"
        fieldClassName="field"
      />
      <div className="field ledger-words">
        <label htmlFor="ledger-words">Words</label>
        <input
          id="ledger-words"
          type="search"
          value={filter.words}
          placeholder="In decisions, forecasts and resolutions"
          onChange={(event) => setFilter({ words: event.target.value })}
        />
      </div>
    </div>
  );
}

/**
 * The decision ledger: every decision across the spaces with its forecasts, what is due to be
 * resolved, the Brier scores and the calibration chart. Every figure is computed here, by the
 * functions in shared/ledger.ts, from what the person wrote and resolved.
 */
export function LedgerView() {
  const { ledgerRows, ledgerFilter, ledgerSort } = useKeelFields('ledgerRows', 'ledgerFilter', 'ledgerSort');
  const { ledgerLoaded, ledgerError, closeLedger } = useKeelFields(
    'ledgerLoaded',
    'ledgerError',
    'closeLedger',
  );
  const [shown, setShown] = useState(pageSize);
  const [dueShown, setDueShown] = useState(duePageSize);
  const day = localDay();
  const page = useMemo(
    () => ledgerPage(ledgerRows, ledgerFilter, ledgerSort, day),
    [ledgerRows, ledgerFilter, ledgerSort, day],
  );

  return (
    <FullPage
      name="ledger"
      title="Decisions"
      intro="Every decision and forecast you made, in every space, scored against how it resolved. Lower Brier scores are better: 0 is perfect, 0.25 is always saying 50%."
      actions={
        <div className="ledger-header-actions">
          <button
            type="button"
            className="button"
            title="A calendar file with an event on each open forecast's resolution date, for your calendar app"
            onClick={() => exportCalendar(ledgerRows)}
          >
            Export resolution dates (.ics)
          </button>
          <button type="button" className="button button-quiet" onClick={closeLedger}>
            Close
          </button>
        </div>
      }
    >
      {ledgerError ? (
        <div role="alert" className="form-error">
          <strong>{errorHeading(ledgerError.code)}.</strong> {ledgerError.message}
        </div>
      ) : null}
      {!ledgerLoaded ? <p className="muted">Loading the ledger…</p> : null}
      <Filters />
      <section aria-labelledby="ledger-scores-title" className="ledger-section">
        <h2 id="ledger-scores-title">Scores</h2>
        <ScoreLine scores={page.scores} />
        <CalibrationChart bins={page.bins} />
        {page.bySpace.length > 1 ? (
          <table className="data-table">
            <caption>Brier score by space</caption>
            <thead>
              <tr>
                <th scope="col">Space</th>
                <th scope="col">First call</th>
                <th scope="col">Time-weighted</th>
                <th scope="col">Scored</th>
              </tr>
            </thead>
            <tbody>
              {page.bySpace.map((space) => (
                <tr key={space.spaceId}>
                  <th scope="row">{space.spaceName}</th>
                  <td>{formatBrier(space.scores.first)}</td>
                  <td>{formatBrier(space.scores.timeWeighted)}</td>
                  <td>{space.scores.scored}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {page.due.length > 0 ? (
        <section aria-labelledby="ledger-due-title" className="ledger-section">
          <h2 id="ledger-due-title">Due to resolve ({page.due.length})</h2>
          <p className="muted">
            Resolve each forecast and write what happened, in one go; a lesson can be kept as a memory.
          </p>
          <ul className="ledger-forecasts">
            {page.due.slice(0, dueShown).map(({ view }) => (
              <li key={view.key} className="ledger-forecast">
                <h3 className="ledger-due-title">
                  {view.row.title}: {view.row.entry.choice}
                </h3>
                <ResolveDecisionForm decision={resolvable(view.row)} />
              </li>
            ))}
          </ul>
          {page.due.length > dueShown ? (
            <button type="button" className="button" onClick={() => setDueShown(dueShown + duePageSize)}>
              Show {Math.min(duePageSize, page.due.length - dueShown)} more due
            </button>
          ) : null}
        </section>
      ) : null}
      {page.goodCallBadLuck.length + page.badCallGoodLuck.length > 0 ? (
        <section aria-labelledby="ledger-luck-title" className="ledger-section">
          <h2 id="ledger-luck-title">Process and outcome</h2>
          {(
            [
              ['Good call, bad luck', page.goodCallBadLuck],
              ['Poor call, good luck', page.badCallGoodLuck],
            ] as const
          ).map(([title, views]) => (
            <Fragment key={title}>
              <h3>
                {title} ({views.length})
              </h3>
              <ul>
                {views.map((view) => (
                  <li key={view.key}>
                    {view.row.title}: {view.row.entry.choice}
                  </li>
                ))}
              </ul>
            </Fragment>
          ))}
        </section>
      ) : null}
      <section aria-labelledby="ledger-table-title" className="ledger-section">
        <h2 id="ledger-table-title">All decisions ({page.decisions.length})</h2>
        {ledgerLoaded && page.decisions.length === 0 ? (
          <p className="muted">No decision matches. Decide a loop, with forecasts, and it is listed here.</p>
        ) : (
          <div className="ledger-table-wrap">
            <table className="data-table ledger-table">
              <thead>
                <tr>
                  <th scope="col">Decision</th>
                  <SortHeader label="Space" sortKey="space" />
                  <SortHeader label="Decided" sortKey="decided" />
                  <SortHeader label="Confidence" sortKey="confidence" />
                  <SortHeader label="Status" sortKey="status" />
                  <SortHeader label="Brier" sortKey="brier" />
                  <th scope="col">Forecasts</th>
                </tr>
              </thead>
              <tbody>
                {page.decisions.slice(0, shown).map((view) => (
                  <DecisionRow key={view.key} view={view} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page.decisions.length > shown ? (
          <button type="button" className="button" onClick={() => setShown(shown + pageSize)}>
            Show {Math.min(pageSize, page.decisions.length - shown)} more
          </button>
        ) : null}
      </section>
    </FullPage>
  );
}
