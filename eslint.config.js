// Lint rules that keep the process boundaries visible (STYLE.md item 1, ARCHITECTURE.md "Layers"):
// the engine and shared/ never import electron; the engine never imports the shells or the
// workspace; the workspace never imports electron/; shared/ imports nothing that only runs in Node
// or in a browser, and nothing of ours outside shared/. tests/architecture/layers.test.ts proves
// each zone bites.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'url',
  'stream',
  'events',
  'worker_threads',
  'util',
  'buffer',
];

const electronOnly = {
  name: 'electron',
  message: 'The engine and web host are plain Node: never import electron.',
};

/** Only the decision service names the writable loop document (the person's calls). */
const decisionsReadOnly = {
  group: ['**/store/documents'],
  importNames: ['WritableLoopDocument'],
  message: 'Only the decision service writes decisions and forecasts (the person’s calls).',
};

/** What the engine may not reach: the processes that host it and the workspace it serves. */
const engineZone = [
  {
    regex: '(^|/)(main|preload|web)(/|$)',
    message:
      'The engine never imports the Electron main process, the preload or the web host: they import it.',
  },
  {
    regex: '(^|/)renderer(/|$)',
    message: 'The engine never imports the workspace (renderer/): they share only shared/.',
  },
];

/** Full-text indexes are built only in electron/engine/retrieval/. */
const textIndexHere = {
  group: ['minisearch'],
  message: 'Build full-text indexes through electron/engine/retrieval/ (FullTextIndex or TextIndex).',
};

/** A service speaks the product's types (shared/domain/); the wire's call types stay at the edge. */
const wireTypesAtTheEdge = {
  group: ['**/shared/contract', '**/shared/contract/*'],
  importNames: ['CallArgs', 'CallInput', 'CallResult'],
  message:
    'Services take the product’s types from shared/domain/; only handlers/ and the engine’s call entry speak the wire’s call types.',
};

/** The import rule of a plain-Node folder, with more patterns. */
function plainNode(...patterns) {
  return [
    'error',
    {
      paths: [electronOnly],
      patterns: [{ group: ['electron/*'], message: 'The engine and web host are plain Node.' }, ...patterns],
    },
  ];
}

/** shared/ runs anywhere and imports nothing of ours outside shared/ (`outside`: the relative paths that leave it). */
function sharedOnly(outside) {
  return [
    'error',
    {
      paths: [
        { name: 'electron', message: 'shared/ runs anywhere: no electron.' },
        { name: 'react', message: 'shared/ runs anywhere: no React.' },
        ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs anywhere: no Node modules.' })),
      ],
      patterns: [
        { group: ['node:*'], message: 'shared/ runs anywhere: no Node modules.' },
        { regex: outside, message: 'shared/ imports nothing of ours outside shared/.' },
      ],
    },
  ];
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['electron/**/*.ts', 'tests/**/*.{ts,mjs}', 'scripts/**/*.ts', '*.config.{ts,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['electron/web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': plainNode(decisionsReadOnly) },
  },
  {
    // The engine's layer: below the shells (main, preload, web host) and apart from the workspace.
    files: ['electron/engine/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': plainNode(decisionsReadOnly, ...engineZone, textIndexHere, wireTypesAtTheEdge),
    },
  },
  {
    // Full-text indexes are built here and nowhere else in the engine.
    files: ['electron/engine/retrieval/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': plainNode(decisionsReadOnly, ...engineZone, wireTypesAtTheEdge) },
  },
  {
    // The one writer of decisions: the same rule, without the line that keeps decisions read-only.
    files: ['electron/engine/loops/DecisionService.ts'],
    rules: { 'no-restricted-imports': plainNode(...engineZone, textIndexHere, wireTypesAtTheEdge) },
  },
  {
    // The edge of the engine: the call entry and the handlers take the wire's inputs and hand them on.
    files: [
      'electron/engine/handlers/**/*.ts',
      'electron/engine/Engine.ts',
      'electron/engine/createEngine.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': plainNode(decisionsReadOnly, ...engineZone, textIndexHere) },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': sharedOnly('^\\.\\./'),
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    // The contract and the domain are folders of shared/: one `../` stays inside shared/, two leave it.
    files: ['shared/*/**/*.ts'],
    rules: { 'no-restricted-imports': sharedOnly('^\\.\\./\\.\\./') },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The workspace talks to the engine only through the contract.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'The workspace runs in a browser.' },
            {
              group: ['**/electron/**'],
              message: 'The workspace talks to the engine only through the contract.',
            },
          ],
        },
      ],
    },
  },
);
