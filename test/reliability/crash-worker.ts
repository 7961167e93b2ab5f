/**
 * Child process of the crash tests (run with `node --import tsx`): opens the real runtime on
 * a shared data dir and Sage sandbox and runs one sync cycle against a Stripe simulator that
 * lives in the parent process. The parent kills this process with SIGKILL at random moments.
 *
 * Input: env S5_CRASH_WORKER, JSON of CrashWorkerInput. Output, one line each on stdout:
 *   READY                      runtime open, about to run
 *   COMMITTED <n> <docKey>     SageTarget.writeMany() returned (Sage committed) and the ledger
 *                              has not yet recorded "written"
 *   PAUSED <n> <docKey>        the worker now sleeps inside that window so a kill lands there
 *   DONE <summary json>        the run finished
 */
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import type { SyncEngineDeps } from '../../main/core/engine/sync-engine.js';
import type { Clock } from '../../main/core/ports/clock.js';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { writerOptionsFor } from '../../main/app/site-rehearsal.js';
import { arInvoiceReadiness } from '../../main/app/ar-invoice-readiness.js';
import { arReadiness } from '../../main/app/ar-readiness.js';
import { loadSiteTemplate } from '../../main/adapters/sage/site-template.js';
import { LoopbackMssqlPool } from '../../main/simulators/sage-sandbox/mssql-loopback.js';
import { openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';

export interface CrashWorkerInput {
  apiBase: string;
  apiKey: string;
  /** Simulated Stripe "now", Unix seconds: the engine clock is frozen there. */
  now: number;
  dataDir: string;
  sandboxPath: string;
  backfillDays: number;
  /** Pause after the nth committed Sage write of this process (1-based); null never pauses. */
  pauseAtCommit: number | null;
  /** Pause after the first committed document whose key ends with this (e.g. `:ar-receipt`); null never. */
  pauseAtKeySuffix?: string | null;
  pauseMs: number;
  /** Sleep before each Sage write, so the write phase is long enough for random kills to hit. */
  writeDelayMs: number;
  /**
   * Write through the real MssqlExecutor (its T-SQL batches: keys, numbers and multi-row inserts
   * of a chunk in a few requests) answered by the sandbox file (LoopbackMssqlPool), instead of
   * the sandbox executor: a kill then lands between or inside those batches.
   */
  sageOverMssql?: boolean;
  /**
   * Open Sage at the run's first statement, as the scheduled `s5sync sync --once` does
   * (sage-when-needed.ts), so kills also land on a process whose Sage port opened late.
   */
  sageWhenNeeded?: boolean;
  /** Config keys merged over the worker's config (the workspace's, e.g. AR payments on). */
  config?: Record<string, unknown>;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.S5_CRASH_WORKER ?? '') as CrashWorkerInput;
  const line = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };

  const clock: Clock = { now: () => input.now * 1000, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };
  const config = parseConfig(
    {
      dataDir: input.dataDir,
      stripe: { apiBase: input.apiBase, apiKey: input.apiKey, requestsPerSecond: null },
      sage: { kind: 'sandbox', path: input.sandboxPath },
      sync: { backfillDays: input.backfillDays },
      ...input.config,
    },
    input.dataDir,
  );
  const runtime = await openRuntime(config, {}, { clock, sageWhenNeeded: input.sageWhenNeeded ?? false });

  // Wrap the engine's SageTarget: the marker is written after Sage committed the document
  // (and its xref row) and before the engine calls ledger.markWritten.
  const deps = (runtime.engine as unknown as { deps: SyncEngineDeps }).deps;
  if (input.sageOverMssql) {
    const sandbox = openSandbox(input.sandboxPath);
    const executor = new MssqlExecutor(new LoopbackMssqlPool(sandbox), () => Promise.resolve(new LoopbackMssqlPool(sandbox)));
    // As open-runtime.ts does: the site's captured codes, and the cash receipt and AR invoice where the site proved them.
    const readiness = arReadiness(config);
    const invoices = arInvoiceReadiness(config, readiness.cashReceipt);
    const options = {
      ...writerOptionsFor(config, loadSiteTemplate(config.dataDir, config.companyId)),
      receiptTemplate: readiness.cashReceipt.proved ? readiness.template : null,
      invoiceTemplate: invoices.proved ? invoices.template : null,
    };
    (deps as { sage: SyncEngineDeps['sage'] }).sage = new SageWriter(executor, options);
  }
  const target = deps.sage;
  const originalWriteMany = target.writeMany.bind(target);
  let commits = 0;
  target.writeMany = async (docs, context) => {
    if (input.writeDelayMs > 0) await new Promise((done) => setTimeout(done, input.writeDelayMs));
    const outcomes = await originalWriteMany(docs, context);
    for (const [index, outcome] of outcomes.entries()) {
      if (!('ref' in outcome)) continue;
      commits++;
      line(`COMMITTED ${commits} ${docs[index]!.key}`);
      if (commits === input.pauseAtCommit || (input.pauseAtKeySuffix && docs[index]!.key.endsWith(input.pauseAtKeySuffix))) {
        line(`PAUSED ${commits} ${docs[index]!.key}`);
        await new Promise((done) => setTimeout(done, input.pauseMs));
      }
    }
    return outcomes;
  };

  line('READY');
  const summary = await runtime.engine.runOnce();
  await runtime.close();
  line(`DONE ${JSON.stringify(summary)}`);
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
