#!/usr/bin/env node
// The CLI is bundled by `npm run prepare` (scripts/build-node.mjs), which npm runs on install.
import { main } from '../dist/cli/s5sync.mjs';

process.exitCode = await main(process.argv.slice(2));
