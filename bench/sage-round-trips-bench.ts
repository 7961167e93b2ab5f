/**
 * Sage round trips of a backfill on the real mssql code path (issue #19 item 2).
 *   npx tsx bench/sage-round-trips-bench.ts [--sage-docs 10000] [--latency-ms 1]
 * The product's SageWriter writes a backfill's document mix (one new customer in ten documents,
 * as the 100k backfill bench produced, one sales order of two lines in ten as the order flow makes
 * from invoices; the rest charge journals of three lines and payout journals of five) in the engine's write chunks through the real MssqlExecutor. Its requests go to
 * LoopbackMssqlPool, which stands where SQL Server's TDS endpoint would: each request is one
 * round trip, delayed by the emulated LAN latency, and answered by a Sage sandbox running the
 * same statements. Counted: round trips per document; measured: documents per second, wall
 * clock, with that latency. The per-document writer (a chunk of one) runs on a sample as the
 * before. Targets: <= 0.5 round trips per document, >= 1,000 documents/s at 1 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MssqlExecutor } from '../main/adapters/sage/mssql-executor.js';
import { SageWriter } from '../main/adapters/sage/sage-writer.js';
import { WRITE_CHUNK } from '../main/core/engine/write-pass.js';
import type { CustomerDocument, JournalDocument, SageDocument, SalesOrderDocument } from '../main/core/sage/documents.js';
import { LoopbackMssqlPool } from '../main/simulators/sage-sandbox/mssql-loopback.js';
import { createSandbox, openSandbox } from '../main/simulators/sage-sandbox/sandbox.js';
import { argValue } from './bench-support.js';

const TODAY = '2026-11-26';
export const SAGE_TARGETS = { roundTripsPerDocument: 0.5, documentsPerSecond: 1_000 };

export interface SageRoundTripsResult {
  documents: number;
  chunk: number;
  latencyMs: number;
  roundTrips: number;
  statements: number;
  roundTripsPerDocument: number;
  documentsPerSecond: number;
  wallSeconds: number;
  /** This process's CPU time while writing: on a loaded machine the wall clock also counts other processes' turns. */
  cpuSeconds: number;
  /** Documents/s if the CPU were this process's alone: documents / (CPU time + round trips × latency). */
  documentsPerSecondUnloaded: number;
  loadAverage: number;
  perDocumentSample: { documents: number; roundTripsPerDocument: number; documentsPerSecond: number };
}

const amount = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}0`;

function customer(index: number): CustomerDocument {
  const custId = `B${String(index).padStart(7, '0')}`;
  return {
    type: 'customer', action: 'insert', key: `customer:cus_${index}`, stripeObjectId: `cus_${index}`, custId, custName: `Bench customer ${index}`,
    custClassId: 'RETAIL', addrLines: [`${index} Main Street`], city: 'Springfield', stateId: 'IL', postalCode: '62701', countryId: 'US',
    contactName: `Contact ${index}`, email: `c${index}@example.com`, phone: null,
  };
}

/** A charge (three lines) or, every 25th, a payout of five lines; each balances to the cent. */
function journal(index: number): JournalDocument {
  const id = `ch_${index}`;
  const gross = 1_000 + ((index * 7_919) % 50_000);
  const fee = 30 + Math.floor(gross * 0.029);
  const lines =
    index % 25 === 0
      ? [
          { acctNo: '1010-00', amount: amount(gross * 4 - fee), comment: `Payout po_${index}` },
          { acctNo: '6150-00', amount: amount(fee), comment: `Stripe fees po_${index}` },
          { acctNo: '1050-00', amount: amount(-gross), comment: `Clearing po_${index} 1` },
          { acctNo: '1050-00', amount: amount(-gross), comment: `Clearing po_${index} 2` },
          { acctNo: '1050-00', amount: amount(-gross * 2), comment: `Clearing po_${index} 3` },
        ]
      : [
          { acctNo: '1050-00', amount: amount(gross - fee), comment: `Charge ${id}` },
          { acctNo: '6150-00', amount: amount(fee), comment: `Stripe fee ${id}` },
          { acctNo: '4000-00', amount: amount(-gross), comment: `Sale ${id}` },
        ];
  return { type: 'journal', key: `je:${id}`, postDate: TODAY, stripeObjectId: id, description: `Charge ${id}`, lines: lines.map((line) => ({ ...line, traceId: `txn_${index}` })) };
}

/** An invoice's sales order (the order flow), for the customer created at most nine documents before. */
function salesOrder(index: number): SalesOrderDocument {
  const custIndex = index - (index % 10);
  return {
    type: 'sales_order', key: `so:in_${index}`, stripeObjectId: `in_${index}`, custId: `B${String(custIndex).padStart(7, '0')}`, tranDate: TODAY,
    comment: `Stripe invoice in_${index}`,
    lines: [
      { itemId: 'STRIPE-SALE', description: 'Subscription', quantity: '1.00000000', unitPrice: '25.00000', extAmount: '25.000' },
      { itemId: 'STRIPE-SALE', description: 'Usage', quantity: '3.00000000', unitPrice: '2.50000', extAmount: '7.500' },
    ],
  };
}

/** One new customer and one sales order in ten documents, the rest journals. */
function documents(count: number, offset: number): SageDocument[] {
  return Array.from({ length: count }, (_, position) => {
    const index = offset + position;
    return index % 10 === 0 ? customer(index) : index % 10 === 5 ? salesOrder(index) : journal(index);
  });
}

async function writeThrough(dir: string, name: string, docs: readonly SageDocument[], chunk: number, latencyMs: number): Promise<{ roundTrips: number; statements: number; seconds: number; cpuSeconds: number }> {
  const path = join(dir, `${name}.sqlite`);
  createSandbox(path, { today: TODAY });
  const sandbox = openSandbox(path);
  const pool = new LoopbackMssqlPool(sandbox, latencyMs);
  const executor = new MssqlExecutor(pool, () => Promise.resolve(new LoopbackMssqlPool(sandbox, latencyMs)));
  const lock = await executor.acquireAppLock('stripe-sync-bench');
  const writer = new SageWriter(executor, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
  const before = { ...pool.stats };
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let start = 0; start < docs.length; start += chunk) {
    const outcomes = await writer.writeMany(docs.slice(start, start + chunk), { runId: 1 });
    const failed = outcomes.find((outcome) => 'error' in outcome);
    if (failed && 'error' in failed) throw new Error(`the bench wrote a document Sage refused: ${String(failed.error)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await lock.release();
  await sandbox.close();
  // The books, read independently of the writer: every document once, every journal balanced.
  const raw = new Database(path, { readonly: true });
  const xref = (raw.prepare('SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE').get() as { n: number }).n;
  const unbalanced = raw.prepare('SELECT JrnlHdrKey FROM tglJournalDetl GROUP BY JrnlHdrKey HAVING SUM(PostAmt) <> 0').all().length;
  raw.close();
  if (xref !== docs.length || unbalanced > 0) throw new Error(`${name}: ${xref} xref rows for ${docs.length} documents, ${unbalanced} unbalanced journals`);
  return { roundTrips: pool.stats.roundTrips - before.roundTrips, statements: pool.stats.statements - before.statements, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export async function measureSageRoundTrips(options: { documents?: number; latencyMs?: number; sample?: number } = {}): Promise<SageRoundTripsResult> {
  const count = options.documents ?? 10_000;
  const latencyMs = options.latencyMs ?? 1;
  const sample = options.sample ?? 500;
  const dir = mkdtempSync(join(tmpdir(), 's5sync-sage-rt-'));
  try {
    // Warm both paths (JIT, the writer's first reads of journal, company, accounts and countries) on a throwaway sandbox.
    await writeThrough(dir, 'warm', documents(WRITE_CHUNK, 1_000_000), WRITE_CHUNK, 0);
    const batched = await writeThrough(dir, 'batched', documents(count, 0), WRITE_CHUNK, latencyMs);
    const single = await writeThrough(dir, 'per-document', documents(sample, 0), 1, latencyMs);
    return {
      documents: count,
      chunk: WRITE_CHUNK,
      latencyMs,
      roundTrips: batched.roundTrips,
      statements: batched.statements,
      roundTripsPerDocument: round(batched.roundTrips / count, 3),
      documentsPerSecond: Math.round(count / batched.seconds),
      wallSeconds: round(batched.seconds, 2),
      cpuSeconds: round(batched.cpuSeconds, 2),
      documentsPerSecondUnloaded: Math.round(count / (batched.cpuSeconds + (batched.roundTrips * latencyMs) / 1000)),
      loadAverage: round(loadavg()[0]!, 1),
      perDocumentSample: { documents: sample, roundTripsPerDocument: round(single.roundTrips / sample, 2), documentsPerSecond: Math.round(sample / single.seconds) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the two targets of #19 item 2 with their measured values (bench/run.ts calls this). */
export async function runSageRoundTripsBench(options: { documents?: number; latencyMs?: number } = {}): Promise<SageRoundTripsResult> {
  const result = await measureSageRoundTrips(options);
  const mark = (ok: boolean): string => (ok ? 'ok' : 'MISS');
  const lines = [
    `\nSage writes on the mssql code path, ${result.documents} documents (1 customer and 1 sales order in 10), chunks of ${result.chunk}, ${result.latencyMs} ms per round trip:`,
    `  Sage round trips/document   ${result.roundTripsPerDocument} ${mark(result.roundTripsPerDocument <= SAGE_TARGETS.roundTripsPerDocument)}   target <= ${SAGE_TARGETS.roundTripsPerDocument}`,
    `  Sage documents/s            ${result.documentsPerSecond} ${mark(result.documentsPerSecond >= SAGE_TARGETS.documentsPerSecond)}   target >= ${SAGE_TARGETS.documentsPerSecond}`,
    `  (${result.roundTrips} round trips carrying ${result.statements} statements in ${result.wallSeconds} s wall, ${result.cpuSeconds} CPU-s; load average ${result.loadAverage})`,
    `  documents/s with the CPU to itself: ${result.documentsPerSecondUnloaded} (documents / (CPU-s + round trips x latency))`,
    `  per-document writer on ${result.perDocumentSample.documents}: ${result.perDocumentSample.roundTripsPerDocument} round trips/document, ${result.perDocumentSample.documentsPerSecond} documents/s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return result;
}

if (process.argv[1]?.endsWith('sage-round-trips-bench.ts')) {
  const documents = argValue('--sage-docs');
  const latency = argValue('--latency-ms');
  await runSageRoundTripsBench({ documents: documents ? Number(documents) : undefined, latencyMs: latency ? Number(latency) : undefined });
}
