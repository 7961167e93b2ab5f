#!/usr/bin/env node
// The CLI is bundled by `npm run prepare` (scripts/build-node.mjs), which npm runs on install.
import module from 'node:module';

// Compiling the 2 MB bundle is the largest share of an idle `s5sync sync --once` under Task
// Scheduler (docs/performance.md): from Node 22.1 on, V8 keeps the compiled code between runs.
// Node 20 has no compile cache; the call is left out there. Enabled before the bundle is imported.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/s5sync.mjs');

// `s5sync errors | head`: the reader has all it wants once it closes the pipe; stop quietly
// instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
