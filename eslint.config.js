import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Ring boundaries (see docs/architecture.md):
 * - main/core imports no Electron, no database driver, no HTTP client, no Node I/O;
 * - only main/shell and preload import electron;
 * - renderer imports nothing from main/ and no Node built-ins; it reaches the engine only
 *   through the preload contract;
 * - the Stripe simulator and the Sage sandbox (main/simulators) are demo and test machinery:
 *   production code reaches them only through the demo wiring listed in DEMO_WIRING;
 * - the ledger adapter (main/adapters/ledger) is the only code that knows the ledger's schema:
 *   the application layer and the CLI run no SQL of their own (no database driver, no SQL
 *   parameter helpers: Sage reads are in main/adapters/sage too);
 * - the CLI does not open the ledger itself: it prints the application layer's operations
 *   (main/app/ledger-file.ts, ledger-operations.ts), the ones the window's service calls.
 * test/build/ring-rules.test.ts lints a probe import per rule, so a rule that stops firing fails.
 */
const electronOnlyInShell = {
  paths: [{ name: 'electron', message: 'Only main/shell and preload may import electron.' }],
  patterns: [{ group: ['electron/*'], message: 'Only main/shell and preload may import electron.' }],
};

const driverAndIo = [
  'better-sqlite3', 'mssql', 'tedious', 'stripe', 'keytar', 'node-cron', 'pino',
  'node:fs', 'fs', 'node:http', 'http', 'node:https', 'https', 'node:net', 'net',
  'node:child_process', 'child_process', 'node:worker_threads', 'node:fs/promises', 'fs/promises',
];

const simulatorsOnlyInDemoWiring = {
  group: ['**/simulators/**'],
  message: 'The simulators are demo machinery: only the demo wiring (DEMO_WIRING in eslint.config.js) may import them.',
};

const noSqlOutsideAdapters = ['better-sqlite3', 'mssql', 'tedious'].map((name) => ({
  name,
  message: 'The application layer and the CLI run no SQL: ask the ledger (main/core/ports/*-ledger.ts) or a Sage adapter.',
}));

/** The SQL parameter and column helpers: whoever needs them writes SQL, which belongs in an adapter. */
const noSqlHelpers = {
  group: ['**/adapters/sage/sql-params*'],
  message: 'The application layer and the CLI run no SQL: the Sage reads live in main/adapters/sage (chart-of-accounts.ts, sage-companies.ts, …).',
};

const ledgerThroughTheAppLayer = {
  group: ['**/adapters/ledger/**'],
  message: 'The CLI prints the application layer\'s operations (main/app/ledger-file.ts, ledger-operations.ts), the ones the window calls: it does not open the ledger itself.',
};

/** The files that start the built-in Stripe simulator or open a Sage sandbox for the demo. */
const DEMO_WIRING_APP = ['main/app/app-session.ts', 'main/app/open-sage.ts'];
const DEMO_WIRING_CLI = ['main/cli/demo-command.ts', 'main/cli/s5sync.ts'];
const DEMO_WIRING = [...DEMO_WIRING_APP, ...DEMO_WIRING_CLI];

/**
 * no-restricted-imports for a ring other than the shell: Electron is always refused, then the
 * ring's own forbidden modules and import patterns.
 */
const ringImports = ({ paths = [], patterns = [] }) => ({
  'no-restricted-imports': ['error', { paths: [...electronOnlyInShell.paths, ...paths], patterns: [...electronOnlyInShell.patterns, ...patterns] }],
});

const notTheShell = (who) => ({ group: ['**/shell/**'], message: `${who} must not depend on the Electron shell.` });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'docs/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', electronOnlyInShell],
    },
  },
  {
    files: ['main/core/**'],
    rules: ringImports({
      paths: driverAndIo.map((name) => ({ name, message: 'main/core is framework-free: reach the world through a port.' })),
      patterns: [{ group: ['**/adapters/**', '**/shell/**', '**/cli/**', '**/simulators/**'], message: 'main/core must not import outer rings.' }],
    }),
  },
  {
    files: ['main/adapters/**'],
    rules: ringImports({ patterns: [notTheShell('Adapters'), simulatorsOnlyInDemoWiring] }),
  },
  {
    files: ['main/app/**'],
    ignores: DEMO_WIRING,
    rules: ringImports({ paths: noSqlOutsideAdapters, patterns: [notTheShell('The application layer'), simulatorsOnlyInDemoWiring, noSqlHelpers] }),
  },
  {
    files: ['main/cli/**'],
    ignores: DEMO_WIRING,
    rules: ringImports({ paths: noSqlOutsideAdapters, patterns: [notTheShell('The CLI'), simulatorsOnlyInDemoWiring, ledgerThroughTheAppLayer, noSqlHelpers] }),
  },
  {
    files: DEMO_WIRING_APP,
    rules: ringImports({ paths: noSqlOutsideAdapters, patterns: [notTheShell('The demo wiring'), noSqlHelpers] }),
  },
  {
    files: DEMO_WIRING_CLI,
    rules: ringImports({ paths: noSqlOutsideAdapters, patterns: [notTheShell('The demo wiring'), ledgerThroughTheAppLayer, noSqlHelpers] }),
  },
  {
    files: ['main/simulators/**'],
    rules: ringImports({
      patterns: [
        { group: ['**/shell/**', '**/cli/**', '**/app/**'], message: 'The simulators stand behind the same ports as the real systems: they import only core and the port types.' },
      ],
    }),
  },
  {
    files: ['main/shell/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: ringImports({
      patterns: [
        { group: ['**/main/**'], message: 'The renderer talks only to the preload contract.' },
        { group: ['node:*'], message: 'The renderer runs in a sandboxed browser: no Node built-ins.' },
      ],
    }),
  },
);
