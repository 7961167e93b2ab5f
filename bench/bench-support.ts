import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BatchStep, ParameterBinding, ProcedureArg, SagePort, SqlParams, SqlRow, SqlSession } from '../main/adapters/sage/sql-port.js';

export interface SimulatorHandle {
  /** The simulator process's id (its CPU time is read from /proc: see processCpuSeconds). */
  pid: number;
  apiBase: string;
  apiKey: string;
  /** Simulated now, Unix seconds (fixed: the bench never advances it). */
  now: number;
  counts: Record<string, number>;
  setupMs: number;
  requestCounts(): Promise<Record<string, number>>;
  /** Moves the simulated clock; `generate: false` adds no activity. Returns the new now. */
  advance(seconds: number, generate: boolean): Promise<number>;
  close(): Promise<void>;
}

/** Starts bench/simulator-process.ts in a child process and waits until it listens. */
export function startSimulatorProcess(options: { seed: number; days: number; objectsTarget?: number; payoutEveryDays?: number }): Promise<SimulatorHandle> {
  // Resolved from the repository root, so it works from the bundled bench too (see run.ts).
  const child: ChildProcess = fork(join(process.cwd(), 'bench', 'simulator-process.ts'), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`simulator process exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message: { type: string; apiBase: string; apiKey: string; now: number; counts: Record<string, number>; setupMs: number }) => {
      child.off('exit', onExit);
      resolve({
        pid: child.pid!,
        apiBase: message.apiBase,
        apiKey: message.apiKey,
        now: message.now,
        counts: message.counts,
        setupMs: message.setupMs,
        requestCounts: () =>
          new Promise((done) => {
            child.once('message', (reply: { requestCounts: Record<string, number> }) => done(reply.requestCounts));
            child.send({ type: 'counts' });
          }),
        advance: (seconds: number, generate: boolean) =>
          new Promise((done) => {
            child.once('message', (reply: { now: number }) => done(reply.now));
            child.send({ type: 'advance', seconds, generate });
          }),
        close: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.send({ type: 'close' });
          }),
      });
    });
  });
}

export interface RoundTrips {
  query: number;
  execute: number;
  procedure: number;
  /** Batches of steps sent as one request (a port with `batch`: MssqlExecutor, the bench's sandbox process). */
  batch: number;
  transaction: number;
}

export const totalRoundTrips = (counts: RoundTrips): number => counts.query + counts.execute + counts.procedure + counts.batch + counts.transaction;

function countingSession(session: SqlSession, counts: RoundTrips): SqlSession {
  return {
    query: (sql: string, params?: SqlParams): Promise<SqlRow[]> => {
      counts.query++;
      return session.query(sql, params);
    },
    execute: (sql: string, params?: SqlParams): Promise<number> => {
      counts.execute++;
      return session.execute(sql, params);
    },
    procedure: (name: string, args: readonly ProcedureArg[], binding?: ParameterBinding) => {
      counts.procedure++;
      return session.procedure(name, args, binding);
    },
    ...(session.batch
      ? {
          batch: (steps: readonly BatchStep[]) => {
            counts.batch++;
            return session.batch!(steps);
          },
        }
      : {}),
  };
}

/**
 * Wraps a SagePort and counts its round trips: every query/execute/procedure/batch call, inside a
 * transaction or not, plus one per transaction (BEGIN…COMMIT). A batch is passed on only where the
 * port has one, so the writer takes the same path as without the count.
 */
export function countingPort(port: SagePort): { port: SagePort; counts: RoundTrips } {
  const counts: RoundTrips = { query: 0, execute: 0, procedure: 0, batch: 0, transaction: 0 };
  const outer = countingSession(port, counts);
  const wrapped: SagePort = {
    ...outer,
    transaction: <T>(work: (tx: SqlSession) => Promise<T>): Promise<T> => {
      counts.transaction++;
      return port.transaction((tx) => work(countingSession(tx, counts)));
    },
    dialect: port.dialect,
    acquireAppLock: (resource) => port.acquireAppLock(resource),
    close: () => port.close(),
  };
  return { port: wrapped, counts };
}

/** The peak resident set while one label was current, with the V8 heap at that moment, MiB. */
export interface LabelPeak {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  samples: number;
}

/**
 * Samples RSS every `everyMs` (timer-based, so it sees the heap between awaits); keeps the
 * breakdown at the peak, and the peak under each label `label()` names at the sample (the run's
 * phase and the last ledger call, say), so the memory can be attributed to a step.
 */
export function startRssSampler(
  everyMs = 50,
  label?: () => string,
  /** Another process's resident bytes now (the Sage sandbox's), added for the total. */
  beside?: () => number | null,
): { peakBytes(): number; atPeak(): NodeJS.MemoryUsage; peakBesideBytes(): number; peakTotalBytes(): number; byLabel(): Record<string, LabelPeak>; stop(): void } {
  let atPeak = process.memoryUsage();
  let peakBeside = 0;
  let peakTotal = 0;
  const peaks = new Map<string, LabelPeak>();
  const sample = (): void => {
    const now = process.memoryUsage();
    if (now.rss > atPeak.rss) atPeak = now;
    const besideNow = beside?.() ?? 0;
    peakBeside = Math.max(peakBeside, besideNow);
    peakTotal = Math.max(peakTotal, now.rss + besideNow);
    if (!label) return;
    const name = label();
    const entry = peaks.get(name) ?? { rssMiB: 0, heapUsedMiB: 0, heapTotalMiB: 0, samples: 0 };
    entry.samples++;
    if (mib(now.rss)! > entry.rssMiB) Object.assign(entry, { rssMiB: mib(now.rss)!, heapUsedMiB: mib(now.heapUsed)!, heapTotalMiB: mib(now.heapTotal)! });
    peaks.set(name, entry);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    peakBytes: () => {
      sample();
      return atPeak.rss;
    },
    atPeak: () => atPeak,
    peakBesideBytes: () => peakBeside,
    peakTotalBytes: () => peakTotal,
    byLabel: () => Object.fromEntries(peaks),
    stop: () => clearInterval(timer),
  };
}

/** VmHWM (peak resident set) of this process in bytes, from /proc/self/status; null off Linux. */
export function vmHwmBytes(): number | null {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) another process has used so far, from /proc/PID/stat (fields 14
 * and 15, in clock ticks of 1/100 s on Linux); null off Linux or once it has exited.
 */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  ramGiB: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux
  }
  return { nproc: cpus().length, cpuModel: model.trim(), ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${process.platform}-${process.arch}` };
}

export const mib = (bytes: number | null): number | null => (bytes === null ? null : Math.round((bytes / 2 ** 20) * 10) / 10);

export function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** Wall time with at least one Sage request outstanding, ms: in all, and by the label current when the wait began. */
export interface SageWaits {
  ms: number;
  byLabel: Record<string, number>;
}

/**
 * Wraps a SagePort and clocks the wall time during which the engine has a Sage request out
 * (a query, execute, procedure or batch, a transaction's BEGIN before its work and its COMMIT
 * after): overlapping requests count once. In the bench's separate sandbox process that is the
 * time the engine's thread could do other work while Sage works, the request's own sending and
 * its answer's parsing included (they happen inside the call).
 */
export function timeSageWaits(port: SagePort, label: () => string): { port: SagePort; waits: SageWaits } {
  const waits: SageWaits = { ms: 0, byLabel: {} };
  let outstanding = 0;
  let since = 0;
  let sinceLabel = '';
  const begin = (): void => {
    if (outstanding++ === 0) {
      since = performance.now();
      sinceLabel = label();
    }
  };
  const end = (): void => {
    if (--outstanding > 0) return;
    const ms = performance.now() - since;
    waits.ms += ms;
    waits.byLabel[sinceLabel] = (waits.byLabel[sinceLabel] ?? 0) + ms;
  };
  const clocked = <T>(call: () => Promise<T>): Promise<T> => {
    begin();
    return call().finally(end);
  };
  const session = (inner: SqlSession): SqlSession => ({
    query: (sql, params) => clocked(() => inner.query(sql, params)),
    execute: (sql, params) => clocked(() => inner.execute(sql, params)),
    procedure: (name, args, binding) => clocked(() => inner.procedure(name, args, binding)),
    ...(inner.batch ? { batch: (steps: readonly BatchStep[]) => clocked(() => inner.batch!(steps)) } : {}),
  });
  const wrapped: SagePort = {
    ...session(port),
    dialect: port.dialect,
    transaction: <T>(work: (tx: SqlSession) => Promise<T>): Promise<T> =>
      clocked(() =>
        port.transaction(async (tx) => {
          // The BEGIN is answered: the work's own requests are clocked on their own, then the COMMIT again.
          end();
          try {
            return await work(session(tx));
          } finally {
            begin();
          }
        }),
      ),
    acquireAppLock: (resource) => port.acquireAppLock(resource),
    close: () => port.close(),
  };
  return { port: wrapped, waits };
}
