/**
 * Benchmark entry: prints every performance target of issue #19 with its measured value,
 * target and ratio in one table, then the detail.
 *   npx tsx bench/run.ts --quick   10k objects, emulated live Stripe at 3k (a few minutes)
 *   npx tsx bench/run.ts           100k objects, emulated live Stripe at 10k
 *   npx tsx bench/run.ts --size 50000 --live-size 5000
 * The memory case of one large payout (issue #19: "one payout of 90k transactions" at 100k
 * charges) runs at `--one-payout-size` objects (default 2.7 × size: about 0.37 charges per
 * object, so about as many charges as `size` objects), paid out once on day 29 of 30.
 * Each backfill runs in a fresh process (bench/backfill-bench.ts) so its peak RSS is its own;
 * the Stripe simulator runs in yet another process. Results go to bench/results/<date>-*.json.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue } from './bench-support.js';
import type { BackfillResult } from './backfill-bench.js';
import { runStartupBench } from './startup-bench.js';
import { measureSageRoundTrips, SAGE_TARGETS } from './sage-round-trips-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const size = Number(argValue('--size') ?? (quick ? 10_000 : 100_000));
const liveSize = Number(argValue('--live-size') ?? (quick ? 3_000 : 10_000));
const onePayoutSize = Number(argValue('--one-payout-size') ?? Math.round(size * 2.7));
/** Objects the naive design retrieves under live latency; its time is extrapolated linearly (it is one request after another). */
const naiveSample = Number(argValue('--naive') ?? 30);

const TARGETS = {
  peakRssMiB: 200,
  rateLimitFloorRatio: 1.5,
  naiveSpeedup: 10,
  ledgerFloorRatio: 3,
  idleSyncSeconds: 0.4,
  objectsPerSecond: 2_500,
  requestsPerObject: 0.02,
};

// The engine runs bundled, as the CLI and the app ship it: under tsx the process would carry
// about 50 MB of compiler and source maps that the product does not.
const benchBundle = join(here, '..', 'dist', 'bench', 'backfill-bench.mjs');
await build({ entryPoints: [join(here, 'backfill-bench.ts')], outfile: benchBundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
// The start-up bench times the CLI as shipped: bundle it as `npm run prepare` does.
execFileSync(process.execPath, [join(here, '..', 'scripts', 'build-node.mjs')], { stdio: 'inherit' });

const date = new Date().toISOString().slice(0, 10);
mkdirSync(join(here, 'results'), { recursive: true });
const loadBefore = loadavg()[0]!;

function backfill(label: string, objects: number, extra: string[]): BackfillResult {
  const out = join(here, 'results', `${date}-${label}.json`);
  process.stderr.write(`backfill ${label}: ${objects} objects ${extra.join(' ')}…\n`);
  execFileSync(process.execPath, [benchBundle, '--objects', String(objects), ...extra, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(out, 'utf8')) as BackfillResult;
}

const daily = backfill(`${size}-daily`, size, []);
const onePayout = backfill(`${onePayoutSize}-one-payout`, onePayoutSize, ['--payout-every', '29']);
const live = backfill(`${liveSize}-live-stripe`, liveSize, ['--live-stripe', '--naive', String(naiveSample)]);
process.stderr.write('start-up: idle s5sync sync --once…\n');
const startup = await runStartupBench({ runs: 15 });
writeFileSync(join(here, 'results', `${date}-startup.json`), `${JSON.stringify(startup, null, 2)}\n`);
process.stderr.write('Sage round trips on the mssql code path…\n');
const sage = await measureSageRoundTrips();
writeFileSync(join(here, 'results', `${date}-sage-round-trips.json`), `${JSON.stringify(sage, null, 2)}\n`);

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
const naive = live.naive!;
const naiveSeconds = (naive.wallSeconds / naive.sampleObjects) * live.backfill.objects;

/** One row per target: measured value, target, ratio (measured ÷ target for a ceiling, target ÷ measured for a floor; ≤ 1 meets it). */
const rows: string[][] = [['#', 'target (issue #19)', 'measured', 'target', 'ratio', '']];
function target(item: string, name: string, measured: number, limit: number, kind: 'at most' | 'at least', unit = ''): void {
  const ratio = kind === 'at most' ? measured / limit : limit / measured;
  rows.push([item, name, `${round(measured)}${unit}`, `${kind === 'at most' ? '<=' : '>='} ${limit}${unit}`, String(round(ratio)), ratio <= 1 ? 'ok' : 'MISS']);
}
const peak = Math.max(daily.backfill.peakRssMiB, onePayout.backfill.peakRssMiB);
target('1', `peak RSS of the sync process, worst of ${size / 1000}k objects paid out daily and one payout of ${onePayout.largestPayoutItems} txns (${onePayoutSize / 1000}k objects)`, peak, TARGETS.peakRssMiB, 'at most', ' MiB');
target('2', 'Sage round trips per document (mssql code path)', sage.roundTripsPerDocument, SAGE_TARGETS.roundTripsPerDocument, 'at most');
target('2', `Sage documents/s at ${sage.latencyMs} ms a round trip`, sage.documentsPerSecond, SAGE_TARGETS.documentsPerSecond, 'at least');
target('3', `live-Stripe backfill of ${liveSize / 1000}k objects ÷ rate-limit floor (${live.backfill.rateLimitFloorSeconds} s)`, live.backfill.wallSeconds / live.backfill.rateLimitFloorSeconds, TARGETS.rateLimitFloorRatio, 'at most', '×');
target('4', `engine speed-up over the naive design, same latencies, ${live.backfill.objects} objects`, naiveSeconds / live.backfill.wallSeconds, TARGETS.naiveSpeedup, 'at least', '×');
target('5', `ledger time ÷ SQLite floor (${daily.ledgerCost!.rows} rows in one WAL transaction: ${daily.ledgerCost!.floorMs} ms)`, daily.ledgerCost!.ratio, TARGETS.ledgerFloorRatio, 'at most', '×');
target('5', `ledger CPU time ÷ SQLite floor's CPU time (${daily.ledgerCost!.floorCpuMs} CPU-ms; the load does not stretch it)`, daily.ledgerCost!.cpuRatio, TARGETS.ledgerFloorRatio, 'at most', '×');
target('6', `idle s5sync sync --once, whole process (median of ${startup.runs})`, startup.wallMs.median / 1000, TARGETS.idleSyncSeconds, 'at most', ' s');
// The same runs in CPU seconds: what the machine's other load does not stretch (wall = CPU on an idle machine, plus I/O waits).
if (startup.cpuMs) target('6', 'idle s5sync sync --once, CPU of the whole process (median)', startup.cpuMs.median / 1000, TARGETS.idleSyncSeconds, 'at most', ' s');
const stripeObjectsRead = (r: BackfillResult): number => Object.entries(r.simulator.objectsGenerated).reduce((sum, [kind, n]) => (kind === 'event' ? sum : sum + n), 0);
const readRequests = (r: BackfillResult): number => r.backfill.stripeRequests - (r.backfill.simulatorRoutes['POST /v1/customers/:id'] ?? 0);
target('brief', `Stripe objects/s end to end, ${size / 1000}k, simulator on loopback`, stripeObjectsRead(daily) / daily.backfill.wallSeconds, TARGETS.objectsPerSecond, 'at least');
// The same by CPU: what two idle cores would allow. Each process is one thread of work, so no less
// than the busiest one's CPU time, nor less than half of all three (docs/performance.md, "Throughput").
{
  const { total: engine } = daily.backfill.cpuSeconds;
  const { sageSandbox, simulator } = daily.backfill.cpuSecondsBeside;
  const bound = Math.max(engine, sageSandbox ?? 0, simulator ?? 0, (engine + (sageSandbox ?? 0) + (simulator ?? 0)) / 2);
  target(
    'brief',
    `Stripe objects/s by CPU on two idle cores (engine ${engine} CPU-s with the ledger timed, sandbox ${sageSandbox ?? '?'}, simulator ${simulator ?? '?'})`,
    stripeObjectsRead(daily) / bound,
    TARGETS.objectsPerSecond,
    'at least',
  );
}
target('brief', 'Stripe read requests per object read', readRequests(daily) / stripeObjectsRead(daily), TARGETS.requestsPerObject, 'at most');
target('brief', 'idle poll, Stripe requests', daily.idlePoll.steadyState.stripeRequests, 1, 'at most');

const print = (table: string[][]): void => {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table) process.stdout.write(`${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
};
print(rows);

process.stdout.write('\ndetail\n');
const detail: string[][] = [['', `${size / 1000}k daily`, `${onePayoutSize / 1000}k one payout`, `${liveSize / 1000}k live Stripe`]];
const all = [daily, onePayout, live];
const line = (name: string, cell: (r: BackfillResult) => string | number): void => {
  detail.push([name, ...all.map((r) => String(cell(r)))]);
};
line('top-level objects / documents written', (r) => `${r.backfill.objects} / ${r.backfill.documentsWritten}`);
line('largest payout, transactions', (r) => r.largestPayoutItems);
line('wall s / engine CPU s', (r) => `${r.backfill.wallSeconds} / ${r.backfill.cpuSeconds.total}`);
line('peak RSS MiB (heap used / total at peak)', (r) => `${r.backfill.peakRssMiB} (${r.backfill.atPeakMiB.heapUsed} / ${r.backfill.atPeakMiB.heapTotal})`);
line('peak RSS MiB: Sage sandbox process / sync and sandbox together', (r) => `${r.backfill.sageSandbox.peakRssMiB ?? 'in the sync process'} / ${r.backfill.sageSandbox.peakTotalRssMiB ?? '-'}`);
line('peak RSS: step at the peak (phase, last ledger call)', (r) => r.backfill.memoryBySteps[0]?.step ?? '?');
line('Stripe requests / retried', (r) => `${r.backfill.stripeRequests} / ${r.backfill.retries}`);
line('ledger ms / floor ms / ratio', (r) => `${r.ledgerCost!.ms} / ${r.ledgerCost!.floorMs} / ${r.ledgerCost!.ratio}`);
line('ledger CPU ms / floor CPU ms / ratio', (r) => `${r.ledgerCost!.cpuMs} / ${r.ledgerCost!.floorCpuMs} / ${r.ledgerCost!.cpuRatio}`);
line('the ledger\'s rows filled once into its schema, ms / CPU ms / ratios to the floor', (r) => `${r.ledgerCost!.schemaFill.ms} / ${r.ledgerCost!.schemaFill.cpuMs} / ${r.ledgerCost!.schemaFill.ratio}× / ${r.ledgerCost!.schemaFill.cpuRatio}×`);
line('ledger: top calls (ms)', (r) => r.ledgerCost!.topCalls.slice(0, 3).map((c) => `${c.method} ${c.ms}`).join(', '));
line('after the backfill, a quarter hour of activity: engine CPU-ms a run, median / max (documents in all runs)', (r) => `${r.activity.medianCpuMs ?? '-'} / ${r.activity.maxCpuMs ?? '-'} (${r.activity.documentsWritten} in ${r.activity.quarterHours})`);
line('load average before / after', (r) => `${r.loadAverage.before} / ${r.loadAverage.after}`);
print(detail);
process.stdout.write(
  `\nnaive design under the same latencies: ${naive.sampleObjects} objects in ${naive.wallSeconds} s (${naive.stripeRequests} requests, ${naive.sageRoundTripsPerDocument} Sage round trips/document), extrapolated to ${live.backfill.objects} objects: ${round(naiveSeconds, 0)} s\n`,
);
process.stdout.write(`idle sync --once: median ${startup.wallMs.median} ms, min ${startup.wallMs.min} ms, CPU ${startup.cpuMs?.median ?? '?'} ms; bare node -e 0: ${startup.bareNodeMs.median} ms\n`);
process.stdout.write(`idle sync --once of a SQL Server site (never logs in): median ${startup.sqlServer.wallMs.median} ms, CPU ${startup.sqlServer.cpuMs?.median ?? '?'} ms\n`);
process.stdout.write(`Sage: ${sage.documents} documents, ${sage.roundTrips} round trips, ${sage.documentsPerSecond} docs/s wall (${sage.documentsPerSecondUnloaded} with the CPU to itself)\n`);
const m = daily.machine;
process.stdout.write(`\n${m.nproc} cores, ${m.cpuModel}, ${m.ramGiB} GiB, Node ${m.node}; load average ${round(loadBefore)} at start, ${round(loadavg()[0]!)} at the end\n`);
