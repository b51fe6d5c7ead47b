// Lint rules that keep the process boundaries visible (STYLE.md item 1): the engine and shared/
// never import electron, and shared/ imports nothing that only runs in Node or in a browser.
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
    files: ['electron/engine/**/*.ts', 'electron/web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The engine and web host are plain Node: never import electron.' },
          ],
          patterns: [
            { group: ['electron/*'], message: 'The engine and web host are plain Node.' },
            {
              group: ['**/store/documents'],
              importNames: ['WritableLoopDocument'],
              message: 'Only the decision service writes decisions and forecasts (the person’s calls).',
            },
          ],
        },
      ],
    },
  },
  {
    // The one writer of decisions: the same rule, without the line that keeps decisions read-only.
    files: ['electron/engine/loops/DecisionService.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The engine and web host are plain Node: never import electron.' },
          ],
          patterns: [{ group: ['electron/*'], message: 'The engine and web host are plain Node.' }],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ runs anywhere: no electron.' },
            { name: 'react', message: 'shared/ runs anywhere: no React.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs anywhere: no Node modules.' })),
          ],
          patterns: [{ group: ['node:*'], message: 'shared/ runs anywhere: no Node modules.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
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
