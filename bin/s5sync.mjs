#!/usr/bin/env node
// The CLI is bundled by `npm run prepare` (scripts/build-node.mjs), which npm runs on install.
import { fileURLToPath } from 'node:url';
import { loadCachedBundle } from './cached-bundle.mjs';

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
