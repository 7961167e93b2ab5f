#!/usr/bin/env node
// The CLI is bundled by `npm run prepare` (scripts/build-node.mjs), which npm runs on install.
import { fileURLToPath } from 'node:url';
import { loadCachedBundle } from './cached-bundle.mjs';
import { boundHeapGrowth } from '../dist/cli/engine-heap.mjs';

// The engine's heap bound (issue #19, main/app/engine-heap.ts) is a V8 flag, and V8 refuses a
// code cache saved under other flags: set before the bundle is compiled, and for every command,
// so whichever command saves the cache saves one the next sync takes (docs/performance.md, 6).
boundHeapGrowth();

// The bundle's code cache lives beside it, so a rebuild (which empties dist/cli) drops it.
const bundlePath = fileURLToPath(new URL('../dist/cli/s5sync.cjs', import.meta.url));
const bundle = loadCachedBundle(bundlePath, fileURLToPath(new URL('../dist/cli/code-cache/', import.meta.url)));

// `s5sync errors | head`: the reader has all it wants once it closes the pipe; stop quietly
// instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await bundle.exports.main(process.argv.slice(2));
bundle.saveCache();
