import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Ledger } from '../main/core/ports/ledger.js';

/**
 * The ledger's cost in a backfill against SQLite's own floor on the same machine (issue #19,
 * item 5). The cost is the wall time spent inside ledger calls (outermost calls only, so a call
 * made inside another is not counted twice). The engine's own `inTransaction` counts its
 * opening and commit (its time less the callback's), not the engine's work inside it, whose
 * ledger calls count as calls: a commit moved from a ledger call into the engine's transaction
 * is still counted. The floor is plain inserts of the same number of rows, of the same average
 * size, in one WAL transaction.
 *
 * Both are also measured in CPU time (process.cpuUsage around each outermost call, outside
 * the wall-clock window): on a machine shared with other work the wall times of a short burst
 * like the floor and of thousands of calls spread over a run are stretched unequally, while
 * CPU time is not.
 */

export interface LedgerTimer {
  ledger: Ledger;
  /** Milliseconds inside ledger calls so far. */
  ms(): number;
  /** CPU milliseconds of the process inside ledger calls so far. */
  cpuMs(): number;
  /** Calls so far, by part and method, e.g. `objects.getObject`. */
  calls: Map<string, { count: number; ms: number; cpuMs: number }>;
  /** The outermost ledger call made last (the bench's memory sampler labels its samples with it). */
  lastCall(): string;
}

/** A generator, or a plain object whose iterator does the work (not an array, Set or Map: their rows are read already). */
function isLazyIterable(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || !(Symbol.iterator in value)) return false;
  return typeof (value as Partial<Iterator<unknown>>).next === 'function' || Object.getPrototypeOf(value) === Object.prototype;
}

interface CallTimer {
  /** `part` with each method timed under `name.method`, outermost calls only. */
  timed<T extends object>(part: T, name: string): T;
  record(method: string, ms: number, cpuMs: number): void;
  calls: Map<string, { count: number; ms: number; cpuMs: number }>;
  depth: { value: number };
  totals(): { ms: number; cpuMs: number };
  lastCall(): string;
}

export function cpuMsSince(cpu0: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000;
}

function callTimer(): CallTimer {
  const depth = { value: 0 };
  let total = 0;
  let totalCpu = 0;
  const calls = new Map<string, { count: number; ms: number; cpuMs: number }>();
  let last = '';
  const record = (method: string, ms: number, cpuMs: number): void => {
    total += ms;
    totalCpu += cpuMs;
    const entry = calls.get(method) ?? { count: 0, ms: 0, cpuMs: 0 };
    entry.count++;
    entry.ms += ms;
    entry.cpuMs += cpuMs;
    calls.set(method, entry);
  };
  const timed = <T extends object>(part: T, name: string): T =>
    new Proxy(part, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const method = `${name}.${String(key)}`;
        const call = (work: () => unknown, as: string): unknown => {
          const outermost = depth.value === 0;
          const cpu0 = outermost ? process.cpuUsage() : null;
          if (outermost) last = as;
          depth.value++;
          const t0 = performance.now();
          try {
            return work();
          } finally {
            const ms = performance.now() - t0;
            depth.value--;
            if (cpu0 !== null) record(as, ms, cpuMsSince(cpu0));
          }
        };
        return (...args: unknown[]) => {
          const result = call(() => (value as (...a: unknown[]) => unknown).apply(target, args), method);
          // A call that hands back a lazy iterable (the balance proof's stream of traces) does its
          // SQL while the caller iterates: each step is timed as the ledger's too.
          if (!isLazyIterable(result)) return result;
          const reading = `${method} (rows read)`;
          if (typeof (result as Partial<Iterator<unknown>>).next === 'function') {
            const generator = result as Iterator<unknown>;
            const timedGenerator = { next: () => call(() => generator.next(), reading), return: generator.return?.bind(generator), [Symbol.iterator]: () => timedGenerator };
            return timedGenerator;
          }
          const iterable = result as Iterable<unknown>;
          return {
            [Symbol.iterator]: () => {
              const iterator = call(() => iterable[Symbol.iterator](), reading) as Iterator<unknown>;
              return { next: () => call(() => iterator.next(), reading), return: iterator.return?.bind(iterator) };
            },
          };
        };
      },
    });
  return { timed, record, calls, depth, totals: () => ({ ms: total, cpuMs: totalCpu }), lastCall: () => last };
}

/**
 * What the timer itself records for a call that does nothing: its `process.cpuUsage()` and
 * clock reads fall partly inside the window they measure. The bench subtracts this per call
 * (tens of thousands of calls at 10k), so the ledger is not charged for its own stopwatch.
 * The least of five rounds: a round the machine interrupted says nothing about the timer.
 */
export function timerCostPerCall(calls = 20_000): { ms: number; cpuMs: number } {
  let best = { ms: Infinity, cpuMs: Infinity };
  for (let round = 0; round < 5; round++) {
    const timer = callTimer();
    const nothing = timer.timed({ call: (): void => undefined }, 'nothing');
    for (let i = 0; i < calls; i++) nothing.call();
    const { ms, cpuMs } = timer.totals();
    best = { ms: Math.min(best.ms, ms / calls), cpuMs: Math.min(best.cpuMs, cpuMs / calls) };
  }
  return best;
}

export function timeLedger(inner: Ledger): LedgerTimer {
  const { timed, record, calls, depth, totals, lastCall } = callTimer();
  const ledger: Ledger = {
    runs: timed(inner.runs, 'runs'),
    objects: timed(inner.objects, 'objects'),
    documents: timed(inner.documents, 'documents'),
    reconciliation: timed(inner.reconciliation, 'reconciliation'),
    mappings: timed(inner.mappings, 'mappings'),
    related: timed(inner.related, 'related'),
    inTransaction: (work) => {
      if (depth.value > 0) return inner.inTransaction(work);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let workMs = 0;
      let workCpuMs = 0;
      try {
        return inner.inTransaction(() => {
          const workCpu0 = process.cpuUsage();
          const workT0 = performance.now();
          try {
            return work();
          } finally {
            workMs = performance.now() - workT0;
            workCpuMs = cpuMsSince(workCpu0);
          }
        });
      } finally {
        record('inTransaction (begin, commit)', performance.now() - t0 - workMs, cpuMsSince(cpu0) - workCpuMs);
      }
    },
    // The balance proof's one transaction: its calls are timed one by one, its begin and commit (one a proof) are not.
    inWriteTransaction: (work) => inner.inWriteTransaction(work),
    close: () => inner.close(),
  };
  return { ledger, ms: () => totals().ms, cpuMs: () => totals().cpuMs, calls, lastCall };
}

/** Rows in the ledger's tables and their average size (the floor inserts as many, as large). */
export function ledgerRows(ledgerPath: string): { rows: number; averageBytes: number } {
  const db = new Database(ledgerPath, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((row) => row.name);
    let rows = 0;
    for (const table of tables) rows += (db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
    const pages = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    return { rows, averageBytes: Math.max(16, Math.round(pages / Math.max(1, rows))) };
  } finally {
    db.close();
  }
}

/**
 * Milliseconds (wall and CPU) to insert `rows` rows of `bytes` bytes, keyed by text, in one WAL
 * transaction (synchronous=NORMAL, as the ledger): the median of three, each into a fresh file.
 * One burst of a few hundred milliseconds is at the mercy of one descheduling; the ledger's
 * time, spread over thousands of calls, is not.
 */
export function sqliteFloorMs(dir: string, rows: number, bytes: number): { ms: number; cpuMs: number; all: { ms: number; cpuMs: number }[] } {
  const all = [0, 1, 2].map((attempt) => floorOnce(join(dir, `floor-${attempt}.sqlite`), rows, bytes));
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1]!;
  return { ms: median(all.map((run) => run.ms)), cpuMs: median(all.map((run) => run.cpuMs)), all };
}

function floorOnce(path: string, rows: number, bytes: number): { ms: number; cpuMs: number } {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE floor (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO floor (id, body) VALUES (?, ?)');
    const body = 'x'.repeat(bytes);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(`row_${i.toString(36).padStart(8, '0')}`, body);
    })();
    const ms = performance.now() - t0;
    return { ms, cpuMs: cpuMsSince(cpu0) };
  } finally {
    db.close();
  }
}
