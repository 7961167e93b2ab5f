#!/usr/bin/env node
// The CLI is bundled by `npm run prepare` (scripts/build-node.mjs), which npm runs on install.
import { main } from '../dist/cli/s5sync.mjs';

// `s5sync errors | head`: the reader has all it wants once it closes the pipe; stop quietly
// instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
