/**
 * Benchmark entry.
 *   npx tsx bench/run.ts --quick   10k objects + naive baseline on a 2,000-object sample (about a minute)
 *   npx tsx bench/run.ts           10k (naive baseline on all of it) and 100k
 *   npx tsx bench/run.ts --sizes 10000,50000 [--naive 2000]
 * Each size runs in a fresh process (bench/backfill-bench.ts) so its peak RSS is its own; the
 * Stripe simulator runs in yet another process. Results go to bench/results/<date>-<size>.json.
 */
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue } from './bench-support.js';
import type { BackfillResult } from './backfill-bench.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const sizes = (argValue('--sizes') ?? (quick ? '10000' : '10000,100000')).split(',').map(Number);
const naiveArg = argValue('--naive');

const TARGETS = { objectsPerSecond: 2_500, requestsPerObject: 0.02, peakRssMiB: 250, idlePollRequests: 1 };

// The engine runs bundled, as the CLI and the app ship it: under tsx the process would carry
// about 50 MB of compiler and source maps that the product does not.
const benchBundle = join(here, '..', 'dist', 'bench', 'backfill-bench.mjs');
await build({
  entryPoints: [join(here, 'backfill-bench.ts')],
  outfile: benchBundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});

const results: BackfillResult[] = [];
const date = new Date().toISOString().slice(0, 10);
mkdirSync(join(here, 'results'), { recursive: true });
for (const size of sizes) {
  const out = join(here, 'results', `${date}-${size}.json`);
  // The naive baseline runs on the 10k data set only (it is one request and one transaction per object).
  const naive = size <= 10_000 ? (naiveArg ?? (quick ? '2000' : '10000')) : '0';
  process.stderr.write(`backfill ${size} objects (naive sample ${naive})…\n`);
  execFileSync(process.execPath, [benchBundle, '--objects', String(size), '--naive', naive, '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  results.push(JSON.parse(readFileSync(out, 'utf8')) as BackfillResult);
  process.stderr.write(`  wrote ${out}\n`);
}

const mark = (ok: boolean): string => (ok ? 'ok' : 'MISS');
const rows: string[][] = [['metric', ...results.map((r) => `${r.size / 1000}k target`), 'target']];
const row = (name: string, cell: (r: BackfillResult) => string, target = ''): void => {
  rows.push([name, ...results.map(cell), target]);
};
/** Every Stripe object the backfill read: top-level objects plus the balance transactions and invoice payments listed or expanded with them. */
const stripeObjectsRead = (r: BackfillResult): number =>
  Object.entries(r.simulator.objectsGenerated).reduce((sum, [kind, n]) => (kind === 'event' ? sum : sum + n), 0);
const readRequests = (r: BackfillResult): number => r.backfill.stripeRequests - (r.backfill.simulatorRoutes['POST /v1/customers/:id'] ?? 0);
row('Stripe objects read (incl. balance txns)', (r) => String(stripeObjectsRead(r)));
row('  of which top-level (in the ledger)', (r) => String(r.backfill.objects));
row('documents written', (r) => String(r.backfill.documentsWritten));
row('wall time, s', (r) => String(r.backfill.wallSeconds));
row('Stripe objects/s end to end', (r) => {
  const rate = Math.round(stripeObjectsRead(r) / r.backfill.wallSeconds);
  return `${rate} ${mark(rate >= TARGETS.objectsPerSecond)}`;
}, '>= 2,500');
row('  top-level objects/s', (r) => String(r.backfill.objectsPerSecond));
row('Stripe read requests/object read', (r) => {
  const perObject = Math.round((readRequests(r) / stripeObjectsRead(r)) * 10_000) / 10_000;
  return `${perObject} ${mark(perObject <= TARGETS.requestsPerObject)}`;
}, '<= 0.02');
row('engine CPU, s', (r) => String(r.backfill.cpuSeconds.total));
row('objects per engine CPU-s', (r) => String(Math.round(r.backfill.objects / r.backfill.cpuSeconds.total)));
row('Stripe requests (reads + write-backs)', (r) => String(r.backfill.stripeRequests));
row('  read requests/top-level object', (r) => String(Math.round((readRequests(r) / r.backfill.objects) * 10_000) / 10_000));
row('metadata write-backs (Sage ids to Stripe)', (r) => String(r.backfill.simulatorRoutes['POST /v1/customers/:id'] ?? 0));
row('Sage round trips/document', (r) => String(r.backfill.sageRoundTripsPerDocument));
row('peak RSS (50 ms samples), MiB', (r) => `${r.backfill.peakRssMiB} ${mark(r.backfill.peakRssMiB <= TARGETS.peakRssMiB)}`, '<= 250');
row('VmHWM, MiB', (r) => String(r.backfill.vmHwmMiB));
row('poll right after, requests', (r) => String(r.idlePoll.stripeRequests));
row('poll 15 min later, requests', (r) => String(r.idlePoll.afterQuietQuarterHour.stripeRequests));
row('idle poll (30 min later), requests', (r) => `${r.idlePoll.steadyState.stripeRequests} ${mark(r.idlePoll.steadyState.stripeRequests <= 1)}`, '1');
row('idle poll (30 min later), CPU ms', (r) => String(r.idlePoll.steadyState.cpuMs), 'near 0');
row('load average before/after', (r) => `${r.loadAverage.before}/${r.loadAverage.after}`);
for (const r of results) {
  if (!r.naive) continue;
  row(`naive (${r.naive.sampleObjects} of ${r.size / 1000}k): objects/s`, (x) => (x === r ? String(r.naive!.objectsPerSecond) : ''));
  row('naive: Stripe requests/object', (x) => (x === r ? String(r.naive!.stripeRequestsPerObject) : ''));
  row('naive: Sage round trips/document', (x) => (x === r ? String(r.naive!.sageRoundTripsPerDocument) : ''));
}
rows[0] = rows[0]!.map((cell) => cell.replace(' target', ''));
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) process.stdout.write(`${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}\n`);
const m = results[0]?.machine;
if (m) process.stdout.write(`\n${m.nproc} cores, ${m.cpuModel}, ${m.ramGiB} GiB, Node ${m.node}; simulator in a separate process\n`);
await (await import('./sage-round-trips-bench.js')).runSageRoundTripsBench();
