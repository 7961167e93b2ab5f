// Bundles the Node side: the s5sync CLI, the Electron main process, the engine process and
// the preload (CommonJS, as a sandboxed preload must be). Dependencies stay external so
// native modules (better-sqlite3) load from node_modules.
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };

// The CLI runs under Task Scheduler every few minutes, so its start-up is paid on every idle
// `sync --once`: its pure-JS dependencies (zod, stripe, node-cron, mssql and tedious, …) are
// bundled in, so Node reads one file instead of hundreds and the code cache covers them; only
// native modules stay external. Code reached only through a dynamic import (the SQL Server
// driver, which open-sage.ts imports only for a SQL Server target, and the demo's Stripe
// simulator) is in the bundle but never run by a sandbox sync: esbuild wraps such modules in
// initialisers called at the import (test/integration/cli-lazy-driver.test.ts). One CommonJS
// script, so bin/s5sync.mjs can run it through vm.Script with a V8 code cache
// (bin/cached-bundle.mjs; docs/performance.md, section 6): dynamic imports become require()
// calls, since a vm.Script cannot import() without an experimental flag.
// bin/s5sync.mjs loads this file.
const CLI_BUNDLE = 'dist/cli/s5sync.cjs';
rmSync('dist/cli', { recursive: true, force: true });
await build({
  ...common,
  packages: undefined,
  external: ['better-sqlite3', '@napi-rs/keyring'],
  entryPoints: ['main/cli/s5sync.ts'],
  outfile: CLI_BUNDLE,
  format: 'cjs',
  supported: { 'dynamic-import': false },
  // Bundled ESM dependencies (node-cron) read import.meta.url, which a CommonJS script lacks.
  define: { 'import.meta.url': '__s5syncImportMetaUrl' },
  banner: { js: 'const __s5syncImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// esbuild escapes every non-ASCII character in code but copies comments as they are; escaped
// there too, the bundle is ASCII, which the loader reads as Latin-1: one byte a character,
// several times faster than decoding UTF-8 and half the string's memory.
const bundle = readFileSync(CLI_BUNDLE, 'utf8');
const escapeUnits = (char) => [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
writeFileSync(CLI_BUNDLE, bundle.replace(/[^\p{ASCII}]/gu, escapeUnits));
// bin/s5sync.mjs bounds the heap's growth before it compiles the bundle: V8's check of the code
// cache includes its flags, so the flag must be the same when a cache is saved and when it is
// read (main/app/engine-heap.ts). A module of its own, so the value has one source.
await build({ ...common, entryPoints: ['main/app/engine-heap.ts'], outfile: 'dist/cli/engine-heap.mjs', format: 'esm' });

const electronEntries = [
  ['main/shell/main.ts', 'dist/shell/main.cjs'],
  ['main/shell/engine-process.ts', 'dist/shell/engine-process.cjs'],
  ['preload/preload.ts', 'dist/preload/preload.cjs'],
].filter(([entry]) => existsSync(entry));
for (const [entry, outfile] of electronEntries) {
  // A sandboxed preload can require nothing but electron: bundle its dependencies (zod) in.
  const packages = entry.startsWith('preload/') ? undefined : 'external';
  await build({ ...common, packages, entryPoints: [entry], outfile, format: 'cjs', external: ['electron'] });
}
