import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Ring boundaries (see docs/architecture.md):
 * - main/core imports no Electron, no database driver, no HTTP client, no Node I/O;
 * - only main/shell and preload import electron;
 * - renderer imports nothing from main/ and no Node built-ins; it reaches the engine only
 *   through the preload contract.
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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...electronOnlyInShell.paths,
            ...driverAndIo.map((name) => ({ name, message: 'main/core is framework-free: reach the world through a port.' })),
          ],
          patterns: [
            ...electronOnlyInShell.patterns,
            { group: ['**/adapters/**', '**/shell/**', '**/cli/**'], message: 'main/core must not import outer rings.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/adapters/**', 'main/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOnlyInShell.paths,
          patterns: [
            ...electronOnlyInShell.patterns,
            { group: ['**/shell/**'], message: 'Adapters and the CLI must not depend on the Electron shell.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/shell/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOnlyInShell.paths,
          patterns: [
            ...electronOnlyInShell.patterns,
            { group: ['**/main/**'], message: 'The renderer talks only to the preload contract.' },
            { group: ['node:*'], message: 'The renderer runs in a sandboxed browser: no Node built-ins.' },
          ],
        },
      ],
    },
  },
);
