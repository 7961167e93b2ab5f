// Bundles the Node side: the s5sync CLI, the Electron main process, the engine process and
// the preload (CommonJS, as a sandboxed preload must be). Dependencies stay external so
// native modules (better-sqlite3) load from node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };

// The CLI runs under Task Scheduler every few minutes, so its start-up is paid on every idle
// `sync --once`: its pure-JS dependencies (zod, stripe, node-cron, …) are bundled in, so Node
// resolves and reads one file instead of hundreds. Native modules stay external, and so does
// mssql, which open-sage.ts imports only for a SQL Server target: code splitting keeps that
// import (and the demo's simulator) in chunks loaded on demand (docs/performance.md).
await build({
  ...common,
  packages: undefined,
  external: ['better-sqlite3', '@napi-rs/keyring', 'mssql'],
  entryPoints: ['main/cli/s5sync.ts'],
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // Bundled CommonJS dependencies call require() for Node built-ins; ESM output has none.
  banner: { js: "import { createRequire as __s5syncCreateRequire } from 'node:module'; const require = __s5syncCreateRequire(import.meta.url);" },
});

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
