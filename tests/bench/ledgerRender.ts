/**
 * Run by tests/bench/ledger.ts in a child process whose tsx reads tsconfig.web.json (JSX): renders
 * the whole ledger page, with the generated ledger loaded in the store, to markup, and the chart on
 * its own; prints the medians as one JSON line.
 */
import { performance } from 'node:perf_hooks';
import type { KeelApi } from '../../shared/contract';
import { emptyLedgerFilter, ledgerPage } from '../../shared/ledger';
import { generateLedger } from './ledger';

// Loaded by name so the node typecheck neither compiles the workspace's JSX nor takes in React's DOM
// types (which change what the Playwright specs see); the shapes used are these.
type Component = (props: never) => unknown;
const react = 'react';
const reactServer = 'react-dom/server';
const { createElement } = (await import(react)) as {
  createElement: (type: Component, props: object | null, ...children: unknown[]) => unknown;
};
const { renderToStaticMarkup } = (await import(reactServer)) as {
  renderToStaticMarkup: (element: unknown) => string;
};
const renderer = '../../renderer/src';
const { createKeelStore } = (await import(`${renderer}/store/index.ts`)) as {
  createKeelStore: (api: KeelApi) => {
    setState: (state: object) => void;
    getState: () => object;
    getInitialState: () => object;
  };
};
const { KeelStoreProvider } = (await import(`${renderer}/store/KeelStoreProvider.tsx`)) as {
  KeelStoreProvider: Component;
};
const { LedgerView } = (await import(`${renderer}/features/ledger/LedgerView.tsx`)) as {
  LedgerView: Component;
};
const { CalibrationChart } = (await import(`${renderer}/features/ledger/CalibrationChart.tsx`)) as {
  CalibrationChart: Component;
};

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

// The page never calls the engine while it renders; any call would be a bug, so the api refuses.
const api = new Proxy({} as KeelApi, {
  get: () => () => Promise.reject(new Error('The bench page does not call the engine')),
});
const rows = generateLedger();
const store = createKeelStore(api);
store.setState({
  ledgerRows: rows,
  ledgerLoaded: true,
  ledgerOpen: true,
  spaces: Array.from({ length: 40 }, (_, i) => ({ id: `sp-${i}`, name: `Client ${i}` })),
});
// Rendered to markup, zustand reads the store's initial (server) state, which is empty: the page
// would be timed with no decisions at all. It is pointed at the loaded state instead, and the
// markup is checked to hold every decision, so the figure is the full page's.
store.getInitialState = store.getState;
const markup = renderToStaticMarkup(
  createElement(KeelStoreProvider, { store }, createElement(LedgerView, null)),
);
if (!markup.includes(`All decisions (${rows.length})`) || !markup.includes('Due to resolve (')) {
  throw new Error('The bench rendered a ledger page without its decisions');
}
const page: number[] = [];
const pageCpu: number[] = [];
const chart: number[] = [];
const bins = ledgerPage(rows, emptyLedgerFilter, { key: 'decided', descending: true }, '2026-06-01').bins;
for (let i = 0; i < 15; i += 1) {
  // Each round is a fresh load: new row objects, as getLedger gives, so nothing the page keeps per
  // row from the round before counts (the figure is the first render after the data arrives).
  store.setState({ ledgerRows: structuredClone(rows) });
  // The round before left a whole ledger's worth of garbage: collected here, not inside the timing.
  (globalThis as { gc?: () => void }).gc?.();
  // Wall time is what a person waits; CPU time is this process's own work, which a machine
  // shared with other busy processes does not inflate as much (both are printed).
  const cpu = process.cpuUsage();
  let started = performance.now();
  renderToStaticMarkup(createElement(KeelStoreProvider, { store }, createElement(LedgerView, null)));
  page.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  pageCpu.push((used.user + used.system) / 1000);
  started = performance.now();
  renderToStaticMarkup(createElement(CalibrationChart, { bins }));
  chart.push(performance.now() - started);
}
console.log(JSON.stringify({ page: median(page), pageCpu: median(pageCpu), chart: median(chart) }));
