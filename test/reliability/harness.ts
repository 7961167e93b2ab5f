/**
 * Shared helpers of the reliability suites (test/reliability and test/soak): seeded random
 * numbers, in-process runs of the real runtime against the Stripe simulator and a Sage
 * sandbox, a snapshot of what landed in Sage, and the SIGKILL crash campaign.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import type { StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { SagePort } from '../../main/adapters/sage/sql-port.js';
import { LEDGER_FILE_NAME, openRuntime, type Runtime, type RuntimeOptions } from '../../main/app/open-runtime.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';
import { lastBalanceProof } from '../../main/core/engine/balance-proof-step.js';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import type { Clock } from '../../main/core/ports/clock.js';
import type { CrashWorkerInput } from './crash-worker.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../..');

/** mulberry32: small, fast, good enough to spread kill points; same seed, same campaign. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Workspace {
  dir: string;
  dataDir: string;
  sandboxPath: string;
  /** Config keys merged over the test config in every runtime opened on this workspace (e.g. `mapping`). */
  config?: Record<string, unknown>;
}

export function newWorkspace(prefix: string, simulator: StripeSimulator): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `s5sync-${prefix}-`));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const sandboxPath = join(dir, 'sage.sqlite');
  // The company's open fiscal years (this one and the last, counted from `today`) must cover
  // the whole campaign, which moves the simulated clock on by up to a few months.
  const sixMonthsOn = simulator.now() + 183 * 86_400;
  createSandbox(sandboxPath, { today: new Date(sixMonthsOn * 1000).toISOString().slice(0, 10) });
  return { dir, dataDir, sandboxPath };
}

/** The engine clock follows the simulator: same seed and same simulated time, same documents. */
export function simulatorClock(simulator: StripeSimulator): Clock {
  return { now: () => simulator.now() * 1000, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };
}

export async function openWorkspaceRuntime(
  simulator: StripeSimulator,
  workspace: Workspace,
  options: {
    backfillDays: number;
    clock?: Clock;
    apiKey?: string;
    env?: NodeJS.ProcessEnv;
    wrapSage?: RuntimeOptions['wrapSage'];
    stripeDeadlineMs?: number;
  },
): Promise<Runtime> {
  const config = parseConfig(
    {
      dataDir: workspace.dataDir,
      stripe: { apiBase: simulator.apiBase, apiKey: options.apiKey ?? simulator.apiKey, requestsPerSecond: null },
      sage: { kind: 'sandbox', path: workspace.sandboxPath },
      sync: { backfillDays: options.backfillDays },
      ...workspace.config,
    },
    workspace.dir,
  );
  return openRuntime(config, options.env ?? {}, {
    clock: options.clock ?? simulatorClock(simulator),
    wrapSage: options.wrapSage,
    ...(options.stripeDeadlineMs ? { stripeDeadlineMs: options.stripeDeadlineMs } : {}),
  });
}

/** The runtime and the Sage port it writes through, opened, for fault suites to inject failures after opening. */
export async function openWorkspaceRuntimeWithSagePort(
  simulator: StripeSimulator,
  workspace: Workspace,
  options: { backfillDays: number; clock?: Clock },
): Promise<{ runtime: Runtime; sage: SagePort }> {
  const opened: { port?: SagePort } = {};
  const runtime = await openWorkspaceRuntime(simulator, workspace, { ...options, wrapSage: (port) => (opened.port = port) });
  return { runtime, sage: opened.port! };
}

/** One `runOnce` in this process, runtime opened and closed around it. */
export async function runInProcess(
  simulator: StripeSimulator,
  workspace: Workspace,
  options: { backfillDays: number; prepare?: (runtime: Runtime) => void },
): Promise<RunSummary> {
  const runtime = await openWorkspaceRuntime(simulator, workspace, options);
  try {
    options.prepare?.(runtime);
    return await runtime.engine.runOnce();
  } finally {
    await runtime.close();
  }
}

export interface SageSnapshot {
  docKeys: string[];
  xrefRows: number;
  duplicateDocKeys: string[];
  journalHeaders: number;
  journalLines: number;
  /** SUM(PostAmt) of all lines, canonical text from the sandbox's thousandths. */
  postAmtTotal: number;
  unbalancedJournals: number;
  journalsWithoutXref: number;
  xrefWithoutJournal: number;
  customers: number;
  salesOrders: number;
  /** Rows of the pending cash receipt and application tables (the sync's and the one a Sage user keyed). */
  arReceipts: number;
  arApplications: number;
  /** Receipts no xref row names: only the hand-keyed golden one may be. */
  receiptsWithoutXref: number;
  xrefWithoutReceipt: number;
  arInvoices: number;
  arInvoiceLines: number;
  /** Pending invoices no xref row names: only the hand-keyed golden one may be. */
  invoicesWithoutXref: number;
  xrefWithoutInvoice: number;
  /** Invariants of the pending AR batches, each 0 when they hold. */
  arInconsistencies: Record<string, number>;
}

export function sageSnapshot(sandboxPath: string): SageSnapshot {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number | null }).n ?? 0;
    const docKeys = (db.prepare('SELECT DocKey FROM tciStripeXref_STRIPE ORDER BY DocKey').all() as { DocKey: string }[]).map((row) => row.DocKey);
    return {
      docKeys: [...new Set(docKeys)],
      xrefRows: docKeys.length,
      duplicateDocKeys: (
        db.prepare('SELECT DocKey FROM tciStripeXref_STRIPE GROUP BY DocKey HAVING COUNT(*) > 1').all() as { DocKey: string }[]
      ).map((row) => row.DocKey),
      journalHeaders: count('SELECT COUNT(*) AS n FROM tglJournalHdr'),
      journalLines: count('SELECT COUNT(*) AS n FROM tglJournalDetl'),
      postAmtTotal: count('SELECT SUM(PostAmt) AS n FROM tglJournalDetl'),
      unbalancedJournals: count(
        'SELECT COUNT(*) AS n FROM (SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0)',
      ),
      journalsWithoutXref: count(
        `SELECT COUNT(*) AS n FROM tglJournalHdr h WHERE NOT EXISTS
           (SELECT 1 FROM tciStripeXref_STRIPE x WHERE x.SageTable = 'tglJournalHdr' AND x.SageKey = h.JrnlHdrKey)`,
      ),
      xrefWithoutJournal: count(
        `SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE x WHERE x.SageTable = 'tglJournalHdr' AND NOT EXISTS
           (SELECT 1 FROM tglJournalHdr h WHERE h.JrnlHdrKey = x.SageKey)`,
      ),
      customers: count('SELECT COUNT(*) AS n FROM tarCustomer'),
      salesOrders: count('SELECT COUNT(*) AS n FROM tsoSalesOrder'),
      arReceipts: count('SELECT COUNT(*) AS n FROM tarPendCustPmt'),
      arApplications: count('SELECT COUNT(*) AS n FROM tarPendCustPmtAppl'),
      receiptsWithoutXref: count(
        `SELECT COUNT(*) AS n FROM tarPendCustPmt p WHERE NOT EXISTS
           (SELECT 1 FROM tciStripeXref_STRIPE x WHERE x.SageTable = 'tarPendCustPmt' AND x.SageKey = p.CustPmtKey)`,
      ),
      xrefWithoutReceipt: count(
        `SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE x WHERE x.SageTable = 'tarPendCustPmt' AND NOT EXISTS
           (SELECT 1 FROM tarPendCustPmt p WHERE p.CustPmtKey = x.SageKey)`,
      ),
      arInvoices: count('SELECT COUNT(*) AS n FROM tarPendInvoice'),
      arInvoiceLines: count('SELECT COUNT(*) AS n FROM tarInvoiceDetl'),
      invoicesWithoutXref: count(
        `SELECT COUNT(*) AS n FROM tarPendInvoice i WHERE NOT EXISTS
           (SELECT 1 FROM tciStripeXref_STRIPE x WHERE x.SageTable = 'tarPendInvoice' AND x.SageKey = i.InvcKey)`,
      ),
      xrefWithoutInvoice: count(
        `SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE x WHERE x.SageTable = 'tarPendInvoice' AND NOT EXISTS
           (SELECT 1 FROM tarPendInvoice i WHERE i.InvcKey = x.SageKey)`,
      ),
      arInconsistencies: {
        // The batch's deposit follows its receipts (the captured batch's did), whichever receipts a crash left out.
        depositNotReceipts: count(
          `SELECT COUNT(*) AS n FROM tarBatch b WHERE EXISTS (SELECT 1 FROM tarPendCustPmt p WHERE p.BatchKey = b.BatchKey)
             AND b.BankDepAmt <> (SELECT SUM(p.TranAmt) FROM tarPendCustPmt p WHERE p.BatchKey = b.BatchKey)`,
        ),
        // A receipt is its applied amounts plus what is left unapplied.
        receiptNotApplied: count(
          `SELECT COUNT(*) AS n FROM tarPendCustPmt p
             WHERE p.TranAmt <> p.UnappliedAmt + IFNULL((SELECT SUM(a.PmtAmt) FROM tarPendCustPmtAppl a WHERE a.ApplyFromPmtKey = p.CustPmtKey), 0)`,
        ),
        applicationOtherBatch: count(
          'SELECT COUNT(*) AS n FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey WHERE a.BatchKey <> p.BatchKey OR a.ApplyFromTranID <> p.TranID',
        ),
        seqNoTwice: count('SELECT COUNT(*) AS n FROM (SELECT 1 FROM tarPendCustPmtAppl GROUP BY BatchKey, SeqNo HAVING COUNT(*) > 1)'),
        seqNoNotBelowNext: count('SELECT COUNT(*) AS n FROM tarPendCustPmtAppl a JOIN tciBatchLog l ON l.BatchKey = a.BatchKey WHERE a.SeqNo >= l.NextSeqNo'),
        receiptNumberTwice: count('SELECT COUNT(*) AS n FROM (SELECT 1 FROM tarPendCustPmt GROUP BY CompanyID, TranID HAVING COUNT(*) > 1)'),
        // An invoice is whole: its lines add up to it and each line has its distribution (a crash leaves all or nothing).
        invoiceNotLines: count(
          `SELECT COUNT(*) AS n FROM tarPendInvoice i
             WHERE i.TranAmt <> IFNULL((SELECT SUM(l.ExtAmt) FROM tarInvoiceDetl l WHERE l.InvcKey = i.InvcKey), 0)`,
        ),
        lineNotDistributed: count(
          `SELECT COUNT(*) AS n FROM tarInvoiceDetl l
             WHERE l.ExtAmt <> IFNULL((SELECT SUM(d.ExtAmt) FROM tarInvoiceLineDist d WHERE d.InvoiceLineKey = l.InvoiceLineKey), 0)`,
        ),
        invoiceNumberTwice: count('SELECT COUNT(*) AS n FROM (SELECT 1 FROM tarPendInvoice GROUP BY CompanyID, TranID HAVING COUNT(*) > 1)'),
        invoiceBatchWithoutInvoice: count(
          "SELECT COUNT(*) AS n FROM tciBatchLog l WHERE l.BatchType = 501 AND NOT EXISTS (SELECT 1 FROM tarPendInvoice i WHERE i.BatchKey = l.BatchKey)",
        ),
        batchWithoutReceipt: count(
          "SELECT COUNT(*) AS n FROM tciBatchLog l WHERE l.BatchType = 503 AND NOT EXISTS (SELECT 1 FROM tarPendCustPmt p WHERE p.BatchKey = l.BatchKey)",
        ),
      },
    };
  } finally {
    db.close();
  }
}

export interface LedgerSnapshot {
  states: Record<string, number>;
  written: string[];
  lastRun: RunSummary | null;
  /** The balance proof the last run that read the balance-transaction history made. */
  lastProof: BalanceProof | null;
}

export function ledgerSnapshot(workspace: Workspace): LedgerSnapshot {
  const ledger = new SqliteLedger(join(workspace.dataDir, LEDGER_FILE_NAME), { now: () => new Date().toISOString() });
  try {
    const written = ledger.documents.documentsInState('written', 1_000_000).map((doc) => doc.docKey).sort();
    return { states: ledger.documents.countDocuments(), written, lastRun: ledger.runs.lastRun(), lastProof: lastBalanceProof(ledger.runs) };
  } finally {
    ledger.close();
  }
}

// ---------------------------------------------------------------------------------------
// The crash campaign

export interface WorkerResult {
  outcome: 'killed-random' | 'killed-in-window' | 'finished' | 'exited';
  exitCode: number | null;
  commits: number;
  /** Commits of documents whose key ends with `kill.countKeySuffix`. */
  suffixCommits: number;
  summary: RunSummary | null;
  stderr: string;
}

let workerCommand: string[] | null = null;

/**
 * `node --import tsx crash-worker.ts` spends more than a second compiling the engine on
 * every start; a campaign restarts it hundreds of times, so the worker is bundled once with
 * esbuild (same source, CommonJS, node_modules left external and found via NODE_PATH).
 * S5_CRASH_WORKER_TSX=1 runs the TypeScript source through tsx instead.
 */
async function crashWorkerCommand(): Promise<string[]> {
  if (workerCommand) return workerCommand;
  if (process.env.S5_CRASH_WORKER_TSX === '1') {
    workerCommand = ['--import', 'tsx', join(HERE, 'crash-worker.ts')];
    return workerCommand;
  }
  const { build } = await import('esbuild');
  const outfile = join(mkdtempSync(join(tmpdir(), 's5sync-crash-worker-')), 'crash-worker.cjs');
  await build({
    entryPoints: [join(HERE, 'crash-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  workerCommand = [outfile];
  return workerCommand;
}

/** Runs crash-worker.ts once; kills it after `killAfterMs` from READY, or as soon as it pauses. */
export async function runWorker(input: CrashWorkerInput, kill: { afterMs: number | null; countKeySuffix?: string }): Promise<WorkerResult> {
  const command = await crashWorkerCommand();
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, command, {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_PATH: join(REPO_ROOT, 'node_modules'), S5_CRASH_WORKER: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let outcome: WorkerResult['outcome'] | null = null;
    let commits = 0;
    let suffixCommits = 0;
    let summary: RunSummary | null = null;
    let stderr = '';
    let buffered = '';
    let timer: NodeJS.Timeout | null = null;
    const killNow = (why: WorkerResult['outcome']): void => {
      if (outcome !== null) return;
      outcome = why;
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const text of lines) {
        if (text === 'READY' && kill.afterMs !== null) timer = setTimeout(() => killNow('killed-random'), kill.afterMs);
        else if (text.startsWith('COMMITTED ')) {
          commits++;
          if (kill.countKeySuffix && text.endsWith(kill.countKeySuffix)) suffixCommits++;
        }
        else if (text.startsWith('PAUSED ')) killNow('killed-in-window');
        else if (text.startsWith('DONE ')) summary = JSON.parse(text.slice(5)) as RunSummary;
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolveResult({ outcome: outcome ?? (summary ? 'finished' : 'exited'), exitCode: code, commits, suffixCommits, summary, stderr });
    });
  });
}

export interface CampaignOptions {
  seed: number;
  kills: number;
  /** Random kills land uniformly in [0, maxDelayMs) after the worker is READY. */
  maxDelayMs: number;
  /** Every `windowEvery`th attempt pauses after a random commit in [1, windowMaxCommit] and is killed there. */
  windowEvery: number;
  windowMaxCommit: number;
  /**
   * The first attempt after every other catch-up pauses after the first commit of a document
   * whose key ends with this (e.g. `:ar-receipt`) and is killed there, so kills land right after
   * the rarer documents too; it has no random kill.
   */
  windowKeySuffix?: string;
  backfillDays: number;
  writeDelayMs: number;
  /**
   * Called when a worker run finished before its kill (everything due is in Sage): the
   * scenario moves Stripe time on so the next runs have new work.
   */
  onCaughtUp(): Promise<void>;
}

export interface CampaignResult {
  attempts: number;
  randomKills: number;
  windowKills: number;
  /** Kills that happened after the worker had committed at least one Sage document. */
  killsDuringWrites: number;
  /** Window kills right after a document with `windowKeySuffix` committed, and such commits seen in all runs. */
  keySuffixWindowKills: number;
  keySuffixCommits: number;
  finishedRuns: number;
  finalSummary: RunSummary;
  commitsSeen: number;
  durationMs: number;
}

/**
 * SIGKILLs the worker `kills` times at seeded random points and in the commit window, then
 * runs it to completion without kills. A run that finishes before its kill counts as a
 * finished run and moves Stripe time on (onCaughtUp); the campaign goes on until the kill
 * count is reached.
 */
export async function crashCampaign(simulator: StripeSimulator, workspace: Workspace, options: CampaignOptions): Promise<CampaignResult> {
  const random = seededRandom(options.seed);
  const started = Date.now();
  const input = (pauseAtCommit: number | null, sageOverMssql = false, pauseAtKeySuffix: string | null = null, sageWhenNeeded = false): CrashWorkerInput => ({
    apiBase: simulator.apiBase,
    apiKey: simulator.apiKey,
    now: simulator.now(),
    dataDir: workspace.dataDir,
    sandboxPath: workspace.sandboxPath,
    backfillDays: options.backfillDays,
    pauseMs: 30_000,
    writeDelayMs: options.writeDelayMs,
    pauseAtCommit,
    pauseAtKeySuffix,
    sageOverMssql,
    sageWhenNeeded,
    config: workspace.config,
  });
  const result = { attempts: 0, randomKills: 0, windowKills: 0, killsDuringWrites: 0, keySuffixWindowKills: 0, keySuffixCommits: 0, finishedRuns: 0, commitsSeen: 0 };
  let caughtUp = false;
  while (result.randomKills + result.windowKills < options.kills) {
    result.attempts++;
    const inWindow = result.attempts % options.windowEvery === 0;
    // Right after Stripe time moved on there is new work of every kind: every other such run dies right after its
    // first such document (every one would leave few attempts for random kills).
    const atKeySuffix = caughtUp && options.windowKeySuffix !== undefined && result.finishedRuns % 2 === 1 ? options.windowKeySuffix : null;
    caughtUp = false;
    const pauseAtCommit = inWindow && atKeySuffix === null ? 1 + Math.floor(random() * options.windowMaxCommit) : null;
    const afterMs = inWindow || atKeySuffix !== null ? null : Math.floor(random() * options.maxDelayMs);
    // Every other pair of attempts writes through the mssql executor's batches (over the same sandbox file);
    // one attempt in four opens the sandbox's port only at its first statement, as the scheduled sync does.
    const run = await runWorker(input(pauseAtCommit, result.attempts % 4 >= 2, atKeySuffix, result.attempts % 4 === 1), { afterMs, countKeySuffix: options.windowKeySuffix });
    result.commitsSeen += run.commits;
    result.keySuffixCommits += run.suffixCommits;
    if (atKeySuffix !== null && run.outcome === 'killed-in-window') result.keySuffixWindowKills++;
    if (run.summary && run.summary.outcome === 'failed') throw new Error(`a run failed: ${run.summary.message}`);
    if (run.outcome === 'killed-random') result.randomKills++;
    else if (run.outcome === 'killed-in-window') result.windowKills++;
    else if (run.outcome === 'finished') result.finishedRuns++;
    else throw new Error(`crash worker exited on its own (code ${run.exitCode}): ${run.stderr.slice(-2000)}`);
    if (run.outcome !== 'finished' && run.commits > 0) result.killsDuringWrites++;
    if (run.summary) {
      await options.onCaughtUp();
      caughtUp = true;
    }
  }
  const last = await runWorker(input(null), { afterMs: null, countKeySuffix: options.windowKeySuffix });
  result.keySuffixCommits += last.suffixCommits;
  if (!last.summary) throw new Error(`the final clean run did not finish (code ${last.exitCode}): ${last.stderr.slice(-2000)}`);
  return { ...result, finalSummary: last.summary, durationMs: Date.now() - started };
}
