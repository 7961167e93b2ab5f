/**
 * Start-up benchmark: an idle `s5sync sync --once` as a whole process, as Task Scheduler runs
 * it every few minutes. The real CLI (bin/s5sync.mjs over the bundle in dist/, built first by
 * bench/run.ts) runs against a Sage sandbox and the Stripe simulator in its own process; one
 * run backfills a few days, then N idle runs are timed from spawn to exit (like hyperfine:
 * median, min, max). Then the same idle runs as a SQL Server site: the config names SQL Server
 * at a closed port (127.0.0.1:1) over the same ledger, so a run succeeds only if it never logs
 * in (main/app/sage-when-needed.ts), and its cost is the sandbox run's without the sandbox.
 *
 *   npx tsx bench/startup-bench.ts [--runs 15] [--out file.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../main/simulators/sage-sandbox/sandbox.js';
import { argValue, startSimulatorProcess } from './bench-support.js';

export interface StartupResult {
  runs: number;
  wallMs: { median: number; min: number; max: number; all: number[] };
  /** CPU (user + system) of each run, from the reaped children's times in /proc/self/stat; null off Linux. Less sensitive to other load than wall time. */
  cpuMs: { median: number } | null;
  /** The same idle runs with a SQL Server config no server answers (each run would fail if it logged in). */
  sqlServer: { wallMs: { median: number; min: number; max: number }; cpuMs: { median: number } | null };
  /** A bare `node -e 0` on the same machine at the same time: the floor no bundle can go under. */
  bareNodeMs: { median: number };
  loadAverage: { before: number; after: number };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** CPU ms of this process's waited-for children (cutime + cstime), Linux only. */
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14; clock ticks are 100 a second.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv = process.env): { wallMs: number; cpuMs: number | null } {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  const wallMs = performance.now() - t0;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}: ${result.stdout}${result.stderr}`);
  const cpu1 = childrenCpuMs();
  return { wallMs, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
}

export async function runStartupBench(options: { runs: number }): Promise<StartupResult> {
  const loadBefore = loadavg()[0]!;
  const simulator = await startSimulatorProcess({ seed: 7, days: 3 });
  const dir = mkdtempSync(join(tmpdir(), 's5sync-startup-'));
  try {
    const sandboxPath = join(dir, 'sage-sandbox.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now * 1000).toISOString().slice(0, 10) });
    const configPath = join(dir, 'config.json');
    const common = { dataDir: join(dir, 'data'), stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null }, sync: { backfillDays: 10 } };
    writeFileSync(configPath, JSON.stringify({ ...common, sage: { kind: 'sandbox', path: sandboxPath } }));
    const sqlServerConfigPath = join(dir, 'sql-server.json');
    writeFileSync(sqlServerConfigPath, JSON.stringify({ ...common, sage: { kind: 'mssql', server: '127.0.0.1', port: 1, database: 'sage500', user: 's5sync', encrypt: false } }));
    const cli = join(process.cwd(), 'bin', 's5sync.mjs');
    const sync = [cli, 'sync', '--once', '--config', configPath];
    timeProcess(sync); // the backfill
    timeProcess(sync); // its own write-back events
    const all: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const run = timeProcess(sync);
      all.push(Math.round(run.wallMs));
      if (run.cpuMs !== null) cpu.push(run.cpuMs);
    }
    const sqlServerWall: number[] = [];
    const sqlServerCpu: number[] = [];
    const sqlServerEnv = { ...process.env, S5SYNC_SQL_PASSWORD: 'no-server-listens' };
    for (let i = 0; i < options.runs; i++) {
      const run = timeProcess([cli, 'sync', '--once', '--config', sqlServerConfigPath], sqlServerEnv);
      sqlServerWall.push(Math.round(run.wallMs));
      if (run.cpuMs !== null) sqlServerCpu.push(run.cpuMs);
    }
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) bare.push(timeProcess(['-e', '0']).wallMs);
    return {
      runs: options.runs,
      wallMs: { median: median(all), min: Math.min(...all), max: Math.max(...all), all },
      cpuMs: cpu.length === all.length ? { median: median(cpu) } : null,
      sqlServer: {
        wallMs: { median: median(sqlServerWall), min: Math.min(...sqlServerWall), max: Math.max(...sqlServerWall) },
        cpuMs: sqlServerCpu.length === sqlServerWall.length ? { median: median(sqlServerCpu) } : null,
      },
      bareNodeMs: { median: Math.round(median(bare)) },
      loadAverage: { before: Math.round(loadBefore * 100) / 100, after: Math.round(loadavg()[0]! * 100) / 100 },
    };
  } finally {
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'));
if (isMain) {
  const result = await runStartupBench({ runs: Number(argValue('--runs') ?? 15) });
  const out = argValue('--out');
  if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
