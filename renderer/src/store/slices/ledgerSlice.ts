import { LatestOnly } from '../../../../shared/async';
import type { CallInput } from '../../../../shared/contract';
import type { LedgerRow, Loop, MemoryOutcome } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import { emptyLedgerFilter, type LedgerFilter, type LedgerSortKey } from '../../../../shared/ledger';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator } from '../keelState';

export interface LedgerSlice {
  /** The decision ledger replaces the main area while open, as search and the memory page do. */
  ledgerOpen: boolean;
  ledgerRows: LedgerRow[];
  ledgerLoaded: boolean;
  ledgerError: KeelErrorInfo | null;
  ledgerFilter: LedgerFilter;
  ledgerSort: { key: LedgerSortKey; descending: boolean };
  openLedger(filter?: Partial<LedgerFilter>): void;
  closeLedger(): void;
  loadLedger(): Promise<void>;
  setLedgerFilter(changes: Partial<LedgerFilter>): void;
  /** Sorts by a column; the same column again turns the order round. */
  sortLedger(key: LedgerSortKey): void;
  /** The person's own calls on a forecast or a decision; the ledger and an open loop follow. */
  updateForecast(input: CallInput<'updateForecast'>): Promise<Result<Loop>>;
  /** Resolves a decision's forecasts and records its outcome review, in one call (the one form). */
  resolveDecision(
    input: CallInput<'resolveDecision'>,
  ): Promise<Result<{ loop: Loop; memory?: MemoryOutcome }>>;
  /** A loop as it is, without opening it, for a decision's dossier shown on the ledger page. */
  loadLedgerLoop(loopId: string): Promise<Result<Loop>>;
  gradeDecision(input: CallInput<'gradeDecision'>): Promise<Result<Loop>>;
  /** Forgets what was loaded (the workspace locked or is read again). */
  resetLedger(): void;
}

/** Nothing loaded, the page closed; `resetLedger` puts it back. */
export const initialLedgerState: Pick<
  LedgerSlice,
  'ledgerRows' | 'ledgerLoaded' | 'ledgerError' | 'ledgerOpen'
> = {
  ledgerRows: [],
  ledgerLoaded: false,
  ledgerError: null,
  ledgerOpen: false,
};

declare module '../keelState' {
  interface KeelSlices {
    ledger: LedgerSlice;
  }
}

export function createLedgerSlice(api: KeelApi): KeelSliceCreator<LedgerSlice> {
  /** Only the latest ledger asked for counts. */
  const ledgerRequest = new LatestOnly();
  return (set, get) => {
    const after = async (call: () => Promise<Result<Loop>>): Promise<Result<Loop>> => {
      const result = await settle(call);
      if (result.ok) {
        get().applyLoop(result.value);
        if (get().ledgerOpen) await get().loadLedger();
      }
      return result;
    };
    return {
      ...initialLedgerState,
      ledgerFilter: emptyLedgerFilter,
      ledgerSort: { key: 'decided', descending: true },

      openLedger: (filter = {}) => {
        // One page at a time in the main area: closing settings closes the memory and search pages too.
        get().closeSettings();
        get().closeLoop();
        set((state) => ({ ledgerOpen: true, ledgerFilter: { ...state.ledgerFilter, ...filter } }));
        void get().loadLedger();
      },
      closeLedger: () => set({ ledgerOpen: false }),

      loadLedger: async () => {
        const isLatest = ledgerRequest.begin();
        const result = await settle(() => api.getLedger({}));
        if (!isLatest()) return;
        if (result.ok) set({ ledgerRows: result.value, ledgerLoaded: true, ledgerError: null });
        else set({ ledgerError: result.error, ledgerLoaded: true });
      },

      setLedgerFilter: (changes) => set((state) => ({ ledgerFilter: { ...state.ledgerFilter, ...changes } })),
      sortLedger: (key) =>
        set((state) => ({
          ledgerSort:
            state.ledgerSort.key === key
              ? { key, descending: !state.ledgerSort.descending }
              : { key, descending: key !== 'space' && key !== 'status' },
        })),

      updateForecast: (input) => after(() => api.updateForecast(input)),
      resolveDecision: async (input) => {
        const result = await settle(() => api.resolveDecision(input));
        if (result.ok) {
          get().applyLoop(result.value.loop);
          get().noteDecisionResolved(input.loopId, result.value.memory);
          if (get().ledgerOpen) await get().loadLedger();
        }
        return result;
      },
      loadLedgerLoop: (loopId) => settle(() => api.getLoop({ loopId })),
      gradeDecision: (input) => after(() => api.gradeDecision(input)),
      resetLedger: () => set(initialLedgerState),
    };
  };
}
