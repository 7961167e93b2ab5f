import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../adapters/config/config-file.js';
import { createSandbox, openSandbox } from '../simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator } from '../simulators/stripe/stripe-simulator.js';
import { LedgerOperations } from '../app/ledger-operations.js';
import { openRuntime } from '../app/open-runtime.js';
import type { Clock } from '../core/ports/clock.js';
import { createProgressPrinter } from './progress-printer.js';
import { readSageSummary } from '../simulators/sage-sandbox/sandbox-summary.js';
import { balanceProofSummary } from './balance-proof-lines.js';

export const SANDBOX_FILE_NAME = 'sage500-sandbox.sqlite';

/**
 * `s5sync demo`: the whole pipeline against the built-in Stripe simulator and a fresh Sage
 * 500 sandbox, no credentials needed. The engine's clock follows the simulator's, so the
 * same seed gives the same documents every time.
 */
export async function demoCommand(options: { dir?: string; days: number; seed: number }, write: (line: string) => void): Promise<number> {
  const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), 's5sync-demo-'));
  mkdirSync(dir, { recursive: true });
  write(`demo folder: ${dir}`);
  const simulator = await startStripeSimulator({ seed: options.seed, days: options.days });
  try {
    const today = new Date(simulator.now() * 1000).toISOString().slice(0, 10);
    const sandboxPath = join(dir, SANDBOX_FILE_NAME);
    createSandbox(sandboxPath, { today });
    write(`Stripe simulator on ${simulator.apiBase} with ${options.days} days of activity (seed ${options.seed})`);
    write(`Sage 500 sandbox: ${sandboxPath}`);
    const config = parseConfig(
      {
        dataDir: dir,
        stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null },
        sage: { kind: 'sandbox', path: sandboxPath },
        sync: { backfillDays: options.days + 5, shadowMode: false, writeBackMetadata: true },
      },
      dir,
    );
    const clock: Clock = { now: () => simulator.now() * 1000, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };
    const runtime = await openRuntime(config, {}, { clock });
    try {
      runtime.engine.subscribe(createProgressPrinter(write));
      const summary = await runtime.engine.runOnce();
      const sage = await readSandboxSummary(sandboxPath);
      // The status and error groups `s5sync status` and the window show (main/app/ledger-operations.ts).
      const operations = new LedgerOperations(runtime.ledger, () => config.mapping);
      const status = operations.status();
      const counts = status.objects;
      const documents = status.documents;
      write('');
      write('Summary');
      write(`  Stripe objects seen:   ${Object.entries(counts).map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
      write(`  Stripe requests:       ${summary.stripeRequests}`);
      write(`  Sage documents:        ${documents.written} written, ${documents.failed + documents.dead} failed, ${documents.planned} waiting`);
      write(`  GL journals:           ${sage.journals} in ${sage.batches} pending batch(es), ${sage.journalLines} lines`);
      write(`  Journal totals:        debits ${sage.debitTotal}, sum of all lines ${sage.journalTotal} (every journal balances)`);
      write(`  Sage customers:        ${sage.customers}`);
      const proof = status.balanceProof;
      write(`  ${balanceProofSummary(proof)}`);
      for (const item of proof?.items.slice(0, 5) ?? []) write(`    ${item.balanceTransactionId} ${item.type} ${item.difference}: ${item.reason}`);
      for (const item of proof?.inTransit?.items.slice(0, 5) ?? []) write(`    ${item.payoutId} ${item.status} in transit ${item.difference}: ${item.reason}`);
      write(`  Cross-references:      ${sage.crossReferences}`);
      // The Errors view's groups, so the demo names each cause as the window and `s5sync errors` do.
      const groups = operations.errorGroups();
      write(`  Errors:                ${groups.reduce((records, group) => records + group.items.length, 0)} (see \`s5sync errors\`)`);
      for (const group of groups) write(`    ${group.items.length} × ${group.errorClass}: ${group.cause} (e.g. ${group.items[0]!.docKey})`);
      write('');
      write(`Inspect it: sqlite3 "${sandboxPath}" "select sum(PostAmt) from tglJournalDetl"`);
      return summary.outcome === 'failed' ? 1 : 0;
    } finally {
      await runtime.close();
    }
  } finally {
    await simulator.close();
  }
}

/** The demo's own look at the sandbox it created: the runtime keeps its Sage connection to itself. */
async function readSandboxSummary(sandboxPath: string): Promise<Awaited<ReturnType<typeof readSageSummary>>> {
  const port = openSandbox(sandboxPath);
  try {
    return await readSageSummary(port);
  } finally {
    await port.close();
  }
}
