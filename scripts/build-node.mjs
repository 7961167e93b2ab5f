// Bundles the Node side: the s5sync CLI, the Electron main process, the engine process and
// the preload (CommonJS, as a sandboxed preload must be). Dependencies stay external so
// native modules (better-sqlite3) load from node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['main/cli/s5sync.ts'], outfile: 'dist/cli/s5sync.mjs', format: 'esm' });

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
