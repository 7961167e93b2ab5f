/**
 * Backfill benchmark: Stripe simulator (child process) → real SyncEngine over loopback HTTP →
 * SQLite ledger → SageWriter → Sage 500 sandbox, all in a fresh temp dir.
 *
 *   npx tsx bench/backfill-bench.ts --objects 10000 [--days 30] [--seed 7] [--payout-every 28] [--naive 10000] [--out file.json] [--keep]
 *
 * `--live-stripe` makes the simulator answer like Stripe over the internet (300 ms a request,
 * 25 requests/s per endpoint, 429 beyond), and the engine paces itself at `--rps` (default 20,
 * the product's default) per endpoint.
 *
 * `--payout-every N` pays out automatically every N days instead of daily: with N close to
 * `--days`, one payout holds most of the history (the memory case of issue #19).
 *
 * `--untimed-ledger` leaves the ledger unwrapped (no ledger cost): the timer takes the process's
 * CPU time around each of some 40k ledger calls at 10k objects, about a tenth of the engine's
 * CPU, so a throughput measurement is taken without it (docs/performance.md, "Throughput").
 *
 * After the backfill and its idle polls, `--active-quarters N` (default 8, 0 for none) lets the
 * simulator make new objects for a quarter hour N times and runs the engine after each: the
 * `activity` figure, what an ordinary poll costs with the backfill's history in the ledger.
 *
 * `--cpu-profile FILE` writes a V8 CPU profile of the engine's process for the backfill run alone
 * (not start-up, the idle polls nor the ledger floor); bench/profile-summary.ts reads it.
 *
 * The runtime is the product's own (openRuntime), with its SagePort wrapped to count round trips.
 * The Sage sandbox runs in a process of its own (sage-sandbox-process.ts), as SQL Server does
 * beside the product, so the peak RSS is the sync process's alone; the sandbox's and the total
 * are reported beside it. `--sandbox-in-process` runs it inside the engine's process, as before.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../main/adapters/config/config-file.js';
import { createSandbox } from '../main/simulators/sage-sandbox/sandbox.js';
import Database from 'better-sqlite3';
import { LEDGER_FILE_NAME, openRuntime } from '../main/app/open-runtime.js';
import { boundHeapGrowth } from '../main/app/engine-heap.js';
import { SANDBOX_FILE_NAME } from '../main/cli/demo-command.js';
import type { RunPhase } from '../main/core/engine/engine-events.js';
import type { Clock } from '../main/core/ports/clock.js';
import type { Ledger } from '../main/core/ports/ledger.js';
import { startSandboxProcess, type SandboxProcess } from './sage-sandbox-client.js';
import {
  argValue,
  countingPort,
  machineInfo,
  mib,
  startRssSampler,
  type LabelPeak,
  processCpuSeconds,
  startSimulatorProcess,
  timeSageWaits,
  totalRoundTrips,
  vmHwmBytes,
  type RoundTrips,
  type SageWaits,
} from './bench-support.js';
import { runNaiveBaseline, type NaiveResult } from './naive-baseline.js';
import { ledgerRows, sqliteFloorMs, timeLedger, timerCostPerCall, type LedgerTimer } from './ledger-cost.js';
import { schemaFloorMs } from './ledger-schema-floor.js';

/** Stripe over the internet, as the simulator emulates it with `--live-stripe` (issue #19, items 3 and 4). */
export const LIVE_STRIPE = { latencyMs: 300, requestsPerSecond: 25 };

export interface BackfillResult {
  size: number;
  seed: number;
  days: number;
  payoutEveryDays: number;
  /** Emulated Stripe latency and rate limit, or null for the bare simulator. */
  liveStripe: typeof LIVE_STRIPE | null;
  /** The engine's pace per endpoint (null: unthrottled). */
  requestsPerSecond: number | null;
  /** Balance transactions in the largest payout the simulator made. */
  largestPayoutItems: number;
  simulator: { objectsGenerated: Record<string, number>; setupMs: number; separateProcess: true };
  backfill: {
    outcome: string | null;
    message: string | null;
    wallSeconds: number;
    objects: number;
    objectsByKind: Record<string, number>;
    objectsPerSecond: number;
    stripeRequests: number;
    stripeRequestsPerObject: number;
    simulatorRoutes: Record<string, number>;
    documentsWritten: number;
    documentsFailed: number;
    documentStates: Record<string, number>;
    sageRoundTrips: RoundTrips & { total: number };
    sageRoundTripsPerDocument: number;
    /**
     * The brief's throughput: the Stripe objects the simulator made, events aside (as bench/run.ts
     * counts them), per second of the backfill's wall time and per CPU second of the engine's process.
     */
    stripeObjects: { count: number; perWallSecond: number; perEngineCpuSecond: number };
    /**
     * Wall time with a Sage request out (bench-support.ts timeSageWaits), seconds and share of the
     * backfill's wall time; by the run's phase when each wait began ('start' before the first progress event).
     */
    sageWait: { seconds: number; shareOfWall: number; byPhase: Record<string, number> };
    cpuSeconds: { user: number; system: number; total: number };
    /**
     * CPU seconds of the processes beside the engine's during the backfill: the Stripe simulator
     * and the Sage sandbox (null in the engine's process or off Linux). With the engine's, what
     * the run costs the machine: on two idle cores it could take no less than the largest of the
     * three, nor less than half their sum.
     */
    cpuSecondsBeside: { simulator: number | null; sageSandbox: number | null };
    /** Peak RSS of the sync process (the engine's): what the memory target is measured on. */
    peakRssMiB: number;
    /** Where the Sage sandbox ran, its own peak RSS, and the peak of both processes together (MiB; null when in the engine's process). */
    sageSandbox: { separateProcess: boolean; peakRssMiB: number | null; peakTotalRssMiB: number | null };
    /** process.memoryUsage() at the peak RSS sample, MiB: V8 heap used and total, external (SQLite, buffers). */
    atPeakMiB: { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
    vmHwmMiB: number | null;
    phases: Partial<Record<RunPhase, { firstSeconds: number; lastSeconds: number; peakRssMiB: number }>>;
    /** The highest peaks by step (run phase and the last ledger call begun), MiB: what holds the memory. */
    memoryBySteps: ({ step: string } & LabelPeak)[];
    /** Stripe requests so far, and CustID write-backs among them, sampled every second of the backfill. */
    requestTimeline: { seconds: number; requests: number; writeBacks: number }[];
    /** All Stripe requests (reads and write-backs) ÷ 25 requests/s: the time no engine could beat if the limit were account-wide. */
    rateLimitFloorSeconds: number;
    /** Stripe requests the engine retried (429s and transient errors). */
    retries: number;
  };
  /** Wall time inside ledger calls against SQLite's floor for as many rows (ledger-cost.ts); null with `untimedLedger`. */
  ledgerCost: {
    ms: number;
    rows: number;
    averageBytes: number;
    floorMs: number;
    ratio: number;
    /** The same in CPU time (ledger-cost.ts): what the load of other work on the machine does not stretch. */
    cpuMs: number;
    floorCpuMs: number;
    cpuRatio: number;
    /** The ledger's time before the timer's own cost (`timer.calls` × its cost per call, measured in the same process) was taken off. */
    rawMs: number;
    rawCpuMs: number;
    timer: { calls: number; msPerCall: number; cpuMsPerCall: number };
    /** The floor's three runs; `floorMs` and `floorCpuMs` are their medians. */
    floorRuns: { ms: number; cpuMs: number }[];
    /**
     * The ledger's own rows inserted once into its own schema, shuffled, in one transaction
     * (ledger-schema-floor.ts), median of three, and that against the floor: the part of the
     * ratio the schema takes before any of the engine's reads, updates and commits.
     */
    schemaFill: { ms: number; cpuMs: number; ratio: number; cpuRatio: number };
    /** Per call as recorded, the timer's cost included. */
    topCalls: { method: string; count: number; ms: number; cpuMs: number }[];
  } | null;
  idlePoll: {
    stripeRequests: number;
    simulatorRoutes: Record<string, number>;
    eventsApplied: number;
    objectsSeen: number;
    documentsWritten: number;
    cpuMs: number;
    wallMs: number;
    sageRoundTrips: number;
    afterQuietQuarterHour: { stripeRequests: number; simulatorRoutes: Record<string, number>; eventsApplied: number; cpuMs: number; wallMs: number };
    /** A further quiet quarter hour later: the cost of a poll on an idle account. */
    steadyState: { stripeRequests: number; cpuMs: number };
  };
  /**
   * Ordinary runs after the backfill: each after a quarter hour in which the simulator made new
   * objects at its own pace, the engine's CPU for each. What a site pays per poll, and whether
   * it grows with the ledger's history rather than with the run's own work (docs/performance.md,
   * "Session 9").
   */
  activity: { quarterHours: number; documentsWritten: number; medianCpuMs: number | null; maxCpuMs: number | null; runs: ActiveRun[] };
  naive: NaiveResult | null;
  machine: ReturnType<typeof machineInfo>;
  /** 1-minute load average before and after: other work on the machine inflates wall time, not CPU seconds. */
  loadAverage: { before: number; after: number };
  at: string;
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Quarter hours of activity run after the backfill's idle polls (two hours: the hourly sweeps and checks fall in them). */
const ACTIVE_QUARTERS = 8;

interface ActiveRun {
  objectsSeen: number;
  documentsWritten: number;
  stripeRequests: number;
  cpuMs: number;
  wallMs: number;
}

function activitySummary(runs: ActiveRun[]): BackfillResult['activity'] {
  const cpu = runs.map((run) => run.cpuMs).sort((a, b) => a - b);
  return {
    quarterHours: runs.length,
    documentsWritten: runs.reduce((sum, run) => sum + run.documentsWritten, 0),
    medianCpuMs: cpu.length === 0 ? null : cpu[Math.floor((cpu.length - 1) / 2)]!,
    maxCpuMs: cpu.length === 0 ? null : cpu[cpu.length - 1]!,
    runs,
  };
}

/** A consistent copy of the ledger as it is now (SQLite's VACUUM INTO, from a reader beside the engine's connection). */
function snapshotOf(ledgerPath: string, copyPath: string): string {
  const db = new Database(ledgerPath, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run(copyPath);
  } finally {
    db.close();
  }
  return copyPath;
}

function diffRoutes(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const [route, n] of Object.entries(after)) {
    const delta = n - (before[route] ?? 0);
    if (delta > 0) diff[route] = delta;
  }
  return diff;
}

/** Balance transactions in the largest payout the engine itemised, read from its ledger file. */
function largestPayoutItems(ledgerPath: string): number {
  const db = new Database(ledgerPath, { readonly: true });
  try {
    const row = db.prepare('SELECT COUNT(*) AS n FROM payout_items GROUP BY payout_id ORDER BY n DESC LIMIT 1').get() as { n: number } | undefined;
    return row?.n ?? 0;
  } finally {
    db.close();
  }
}

export async function runBackfillBench(options: {
  objects: number;
  days?: number;
  seed?: number;
  payoutEveryDays?: number;
  liveStripe?: boolean;
  requestsPerSecond?: number | null;
  naiveSample?: number;
  keep?: boolean;
  /** Runs the Sage sandbox in the engine's process (the bench's old way) instead of a process of its own. */
  sandboxInProcess?: boolean;
  /** Writes a CPU profile of the backfill run (engine's process) to this file. */
  cpuProfile?: string;
  /** Leaves the ledger untimed (ledgerCost null): the timer's own CPU is not the engine's. */
  untimedLedger?: boolean;
  /** Quarter hours of activity after the backfill (default ACTIVE_QUARTERS; 0 for none). */
  activeQuarters?: number;
}): Promise<BackfillResult> {
  const days = options.days ?? 30;
  const seed = options.seed ?? 7;
  const loadBefore = loadavg()[0]!;
  const payoutEveryDays = options.payoutEveryDays ?? 1;
  const liveStripe = options.liveStripe ? LIVE_STRIPE : null;
  const requestsPerSecond = options.requestsPerSecond === undefined ? (liveStripe ? 20 : null) : options.requestsPerSecond;
  const simulator = await startSimulatorProcess({ seed, days, objectsTarget: options.objects, payoutEveryDays, ...(liveStripe ? { liveStripe } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 's5sync-bench-'));
  let sandboxProcess: SandboxProcess | null = null;
  try {
    const today = new Date(simulator.now * 1000).toISOString().slice(0, 10);
    const sandboxPath = join(dir, SANDBOX_FILE_NAME);
    if (options.sandboxInProcess) createSandbox(sandboxPath, { today });
    else sandboxProcess = await startSandboxProcess({ path: sandboxPath, today });
    const separateSandbox = sandboxProcess;
    const config = parseConfig(
      {
        dataDir: dir,
        stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond },
        sage: { kind: 'sandbox', path: sandboxPath },
        sync: { backfillDays: days + 5, shadowMode: false, writeBackMetadata: true },
      },
      dir,
    );
    // The simulator's clock does not move during the bench; the engine follows it as in `s5sync demo`,
    // plus the real time elapsed since, so its pace per endpoint (which waits on the clock) keeps time.
    let simulatedNow = simulator.now;
    const started = performance.now();
    const clock: Clock = { now: () => simulatedNow * 1000 + Math.floor(performance.now() - started), sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };

    let counted: ReturnType<typeof countingPort> | null = null;
    let sageWaits: SageWaits | null = null;
    // Set below, before the backfill: the phase a Sage wait began in.
    let currentPhase = 'start';
    let ledgerTimer: LedgerTimer | null = null;
    // The bench's process is the engine's, as the CLI's is (bin/s5sync.mjs bounds it at its start).
    boundHeapGrowth();
    const runtime = await openRuntime(config, {}, {
      clock,
      ...(separateSandbox ? { openSage: () => Promise.resolve(separateSandbox.port) } : {}),
      ...(options.untimedLedger
        ? {}
        : {
            wrapLedger: (ledger: Ledger) => {
              ledgerTimer = timeLedger(ledger);
              return ledgerTimer.ledger;
            },
          }),
      wrapSage: (port) => {
        const timed = timeSageWaits(port, () => currentPhase);
        sageWaits = timed.waits;
        counted = countingPort(timed.port);
        return counted.port;
      },
    });
    const { engine, ledger } = runtime;
    const counts = (): RoundTrips => counted!.counts;

    const phases: BackfillResult['backfill']['phases'] = {};
    let t0 = 0;
    let retries = 0;
    let backfillRunning = true;
    engine.subscribe((event) => {
      if (event.type === 'warning' && event.code === 'stripe-retry') retries++;
      // The phases of the backfill run only, not of the idle polls after it.
      if (event.type !== 'progress' || !backfillRunning) return;
      currentPhase = event.progress.phase;
      const at = round((performance.now() - t0) / 1000, 3);
      const phase = (phases[event.progress.phase] ??= { firstSeconds: at, lastSeconds: at, peakRssMiB: 0 });
      phase.lastSeconds = at;
      // rss() alone: the full memoryUsage() walks V8's heap spaces, and on every progress event
      // it cost the engine 0.09–0.12 CPU-s at 10k that the product never spends.
      phase.peakRssMiB = Math.max(phase.peakRssMiB, mib(process.memoryUsage.rss())!);
    });

    // --- backfill ---
    const routesBefore = await simulator.requestCounts();
    if (global.gc) global.gc();
    const rss = startRssSampler(
      50,
      () => `${currentPhase} ${(ledgerTimer as LedgerTimer | null)?.lastCall() ?? ''}`,
      separateSandbox ? () => separateSandbox.rssBytes() : undefined,
    );
    const profiler = options.cpuProfile ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const besideCpu = (): { simulator: number | null; sageSandbox: number | null } => ({
      simulator: processCpuSeconds(simulator.pid),
      sageSandbox: separateSandbox ? processCpuSeconds(separateSandbox.pid) : null,
    });
    const beside0 = besideCpu();
    const cpu0 = process.cpuUsage();
    const waits = sageWaits as SageWaits | null;
    const waitedBefore = { ms: waits?.ms ?? 0, byLabel: { ...waits?.byLabel } };
    t0 = performance.now();
    // Stripe requests over time (every second): when the CustID write-backs start and end against the reading.
    const requestTimeline: BackfillResult['backfill']['requestTimeline'] = [];
    let sampling: Promise<void> = Promise.resolve();
    const sampler = setInterval(() => {
      sampling = sampling.then(async () => {
        const routes = diffRoutes(await simulator.requestCounts(), routesBefore);
        const requests = Object.values(routes).reduce((sum, n) => sum + n, 0);
        requestTimeline.push({ seconds: round((performance.now() - t0) / 1000, 1), requests, writeBacks: routes['POST /v1/customers/:id'] ?? 0 });
      });
    }, 1_000);
    const summary = await engine.runOnce();
    const wallSeconds = (performance.now() - t0) / 1000;
    const waitedSeconds = ((waits?.ms ?? 0) - waitedBefore.ms) / 1000;
    const waitedByPhase = Object.fromEntries(
      Object.entries(waits?.byLabel ?? {}).map(([phase, ms]) => [phase, round((ms - (waitedBefore.byLabel[phase] ?? 0)) / 1000, 3)]),
    );
    backfillRunning = false;
    clearInterval(sampler);
    await sampling;
    const cpu = process.cpuUsage(cpu0);
    const beside1 = besideCpu();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(options.cpuProfile!, JSON.stringify(profile));
      profiler.disconnect();
    }
    const besideDelta = (before: number | null, after: number | null): number | null => (before === null || after === null ? null : round(after - before));
    const backfillRetries = retries;
    rss.stop();
    const peakRss = rss.peakBytes();
    const hwm = vmHwmBytes();
    const routesAfter = await simulator.requestCounts();
    const byKind = ledger.objects.countObjects();
    const objects = Object.values(byKind).reduce((a, b) => a + b, 0);
    const documentStates = ledger.documents.countDocuments();
    const trips = { ...counts(), total: totalRoundTrips(counts()) };
    const stripeObjectsMade = Object.entries(simulator.counts).reduce((sum, [kind, n]) => (kind === 'event' ? sum : sum + n), 0);
    const engineCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const timer = ledgerTimer as LedgerTimer | null;
    // The timer's own cost per call, measured now in this process, taken off the totals (ledger-cost.ts).
    const timerCost = timer && timerCostPerCall();
    const timedCalls = timer ? [...timer.calls.values()].reduce((sum, entry) => sum + entry.count, 0) : 0;
    const timed = timer && timerCost && {
      rawMs: timer.ms(),
      rawCpuMs: timer.cpuMs(),
      ms: timer.ms() - timedCalls * timerCost.ms,
      cpuMs: timer.cpuMs() - timedCalls * timerCost.cpuMs,
      timer: { calls: timedCalls, msPerCall: round(timerCost.ms, 5), cpuMsPerCall: round(timerCost.cpuMs, 5) },
      topCalls: [...timer.calls]
        .map(([method, entry]) => ({ method, count: entry.count, ms: Math.round(entry.ms), cpuMs: Math.round(entry.cpuMs) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 40),
    };

    // --- idle poll: nothing advanced ---
    const tripsBefore = totalRoundTrips(counts());
    const idleCpu0 = process.cpuUsage();
    const idleT0 = performance.now();
    const idle = await engine.runOnce();
    const idleWallMs = performance.now() - idleT0;
    const idleCpu = process.cpuUsage(idleCpu0);
    const routesIdle = await simulator.requestCounts();

    // --- idle poll after a quiet quarter hour: our own write-back events have left the overlap window ---
    simulatedNow = await simulator.advance(900, false);
    const quietCpu0 = process.cpuUsage();
    const quietT0 = performance.now();
    const quiet = await engine.runOnce();
    const quietWallMs = performance.now() - quietT0;
    const quietCpu = process.cpuUsage(quietCpu0);
    const routesQuiet = await simulator.requestCounts();

    // --- steady state: another quiet quarter hour; the backfill's own events are behind the overlap now ---
    simulatedNow = await simulator.advance(900, false);
    const steadyCpu0 = process.cpuUsage();
    const steady = await engine.runOnce();
    const steadyCpu = process.cpuUsage(steadyCpu0);

    // --- activity after the backfill: quarter hours of the simulator's own pace of new objects ---
    // Target 5 counts the backfill's rows and fills the schema with them, so both are taken first.
    const ledgerPath = join(dir, LEDGER_FILE_NAME);
    const rows = ledgerRows(ledgerPath);
    const afterBackfill = timed ? snapshotOf(ledgerPath, join(dir, 'ledger-after-backfill.sqlite')) : null;
    const activeRuns: ActiveRun[] = [];
    for (let quarter = 0; quarter < (options.activeQuarters ?? ACTIVE_QUARTERS); quarter++) {
      simulatedNow = await simulator.advance(900, true);
      const activeCpu0 = process.cpuUsage();
      const activeT0 = performance.now();
      const run = await engine.runOnce();
      const activeWallMs = performance.now() - activeT0;
      const activeCpu = process.cpuUsage(activeCpu0);
      activeRuns.push({
        objectsSeen: run.objectsSeen,
        documentsWritten: run.documentsWritten,
        stripeRequests: run.stripeRequests,
        cpuMs: round((activeCpu.user + activeCpu.system) / 1000, 1),
        wallMs: round(activeWallMs, 1),
      });
    }

    const naive =
      options.naiveSample && options.naiveSample > 0
        ? await runNaiveBaseline({ apiBase: simulator.apiBase, apiKey: simulator.apiKey, ledger, config, dir, today, sample: options.naiveSample })
        : null;

    await runtime.close();
    const floor = timed && sqliteFloorMs(dir, rows.rows, rows.averageBytes);
    const schemaFill = afterBackfill && schemaFloorMs(dir, afterBackfill);

    return {
      size: options.objects,
      seed,
      days,
      payoutEveryDays,
      liveStripe,
      requestsPerSecond,
      largestPayoutItems: largestPayoutItems(join(dir, LEDGER_FILE_NAME)),
      simulator: { objectsGenerated: simulator.counts, setupMs: simulator.setupMs, separateProcess: true },
      backfill: {
        outcome: summary.outcome,
        message: summary.message,
        wallSeconds: round(wallSeconds, 3),
        objects,
        objectsByKind: byKind,
        objectsPerSecond: Math.round(objects / wallSeconds),
        stripeRequests: summary.stripeRequests,
        stripeRequestsPerObject: round(summary.stripeRequests / objects, 4),
        simulatorRoutes: diffRoutes(routesAfter, routesBefore),
        documentsWritten: summary.documentsWritten,
        documentsFailed: summary.documentsFailed,
        documentStates,
        sageRoundTrips: trips,
        sageRoundTripsPerDocument: round(trips.total / Math.max(1, summary.documentsWritten), 2),
        stripeObjects: { count: stripeObjectsMade, perWallSecond: Math.round(stripeObjectsMade / wallSeconds), perEngineCpuSecond: Math.round(stripeObjectsMade / engineCpuSeconds) },
        sageWait: { seconds: round(waitedSeconds, 3), shareOfWall: round(waitedSeconds / wallSeconds, 3), byPhase: waitedByPhase },
        cpuSeconds: { user: round(cpu.user / 1e6), system: round(cpu.system / 1e6), total: round((cpu.user + cpu.system) / 1e6) },
        cpuSecondsBeside: { simulator: besideDelta(beside0.simulator, beside1.simulator), sageSandbox: besideDelta(beside0.sageSandbox, beside1.sageSandbox) },
        peakRssMiB: mib(peakRss)!,
        sageSandbox: {
          separateProcess: separateSandbox !== null,
          peakRssMiB: separateSandbox ? mib(rss.peakBesideBytes()) : null,
          peakTotalRssMiB: separateSandbox ? mib(rss.peakTotalBytes()) : null,
        },
        atPeakMiB: {
          heapUsed: mib(rss.atPeak().heapUsed)!,
          heapTotal: mib(rss.atPeak().heapTotal)!,
          external: mib(rss.atPeak().external)!,
          arrayBuffers: mib(rss.atPeak().arrayBuffers)!,
        },
        vmHwmMiB: mib(hwm),
        phases,
        memoryBySteps: Object.entries(rss.byLabel())
          .map(([step, peak]) => ({ step, ...peak }))
          .sort((a, b) => b.rssMiB - a.rssMiB)
          .slice(0, 15),
        requestTimeline,
        rateLimitFloorSeconds: round(summary.stripeRequests / LIVE_STRIPE.requestsPerSecond, 1),
        retries: backfillRetries,
      },
      ledgerCost:
        timed && floor && schemaFill
          ? {
              ms: Math.round(timed.ms),
              rows: rows.rows,
              averageBytes: rows.averageBytes,
              floorMs: Math.round(floor.ms),
              ratio: round(timed.ms / floor.ms, 2),
              cpuMs: Math.round(timed.cpuMs),
              floorCpuMs: Math.round(floor.cpuMs),
              cpuRatio: round(timed.cpuMs / floor.cpuMs, 2),
              rawMs: Math.round(timed.rawMs),
              rawCpuMs: Math.round(timed.rawCpuMs),
              timer: timed.timer,
              floorRuns: floor.all.map((run) => ({ ms: Math.round(run.ms), cpuMs: Math.round(run.cpuMs) })),
              schemaFill: {
                ms: Math.round(schemaFill.ms),
                cpuMs: Math.round(schemaFill.cpuMs),
                ratio: round(schemaFill.ms / floor.ms, 2),
                cpuRatio: round(schemaFill.cpuMs / floor.cpuMs, 2),
              },
              topCalls: timed.topCalls,
            }
          : null,
      idlePoll: {
        stripeRequests: idle.stripeRequests,
        simulatorRoutes: diffRoutes(routesIdle, routesAfter),
        eventsApplied: idle.eventsApplied,
        objectsSeen: idle.objectsSeen,
        documentsWritten: idle.documentsWritten,
        cpuMs: round((idleCpu.user + idleCpu.system) / 1000, 1),
        wallMs: round(idleWallMs, 1),
        sageRoundTrips: totalRoundTrips(counts()) - tripsBefore,
        afterQuietQuarterHour: {
          stripeRequests: quiet.stripeRequests,
          simulatorRoutes: diffRoutes(routesQuiet, routesIdle),
          eventsApplied: quiet.eventsApplied,
          cpuMs: round((quietCpu.user + quietCpu.system) / 1000, 1),
          wallMs: round(quietWallMs, 1),
        },
        steadyState: { stripeRequests: steady.stripeRequests, cpuMs: round((steadyCpu.user + steadyCpu.system) / 1000, 1) },
      },
      activity: activitySummary(activeRuns),
      naive,
      machine: machineInfo(),
      loadAverage: { before: round(loadBefore), after: round(loadavg()[0]!) },
      at: new Date().toISOString(),
    };
  } finally {
    sandboxProcess?.stop();
    await simulator.close();
    if (options.keep) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'));
if (isMain) {
  const objects = Number(argValue('--objects') ?? 10_000);
  const result = await runBackfillBench({
    objects,
    days: argValue('--days') ? Number(argValue('--days')) : undefined,
    payoutEveryDays: argValue('--payout-every') ? Number(argValue('--payout-every')) : undefined,
    liveStripe: process.argv.includes('--live-stripe'),
    requestsPerSecond: argValue('--rps') ? Number(argValue('--rps')) : undefined,
    seed: argValue('--seed') ? Number(argValue('--seed')) : undefined,
    naiveSample: argValue('--naive') ? Number(argValue('--naive')) : 0,
    keep: process.argv.includes('--keep'),
    sandboxInProcess: process.argv.includes('--sandbox-in-process'),
    cpuProfile: argValue('--cpu-profile'),
    untimedLedger: process.argv.includes('--untimed-ledger'),
    activeQuarters: argValue('--active-quarters') ? Number(argValue('--active-quarters')) : undefined,
  });
  const out = argValue('--out');
  if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
