/**
 * Replays a plan pass's document reads on a kept ledger (`backfill-bench.ts --keep`), page by
 * page as the plan pass reads ahead (core/engine/page-lookups.ts), and checks that every answer
 * read ahead equals the answer of a second connection that never reads ahead; then times the
 * same reads both ways, interleaved.
 *
 *   npx tsx bench/document-read-ahead-replay.ts <kept ledger folder or ledger.sqlite> [--rounds 5]
 *
 * Per object it asks what the planners ask (section 5 of docs/performance.md, session 8): each
 * stored document key of the object and the keys its planners look for whether planned or not
 * (a journal's AR receipt and AR invoice, an invoice's `:paid` journal and its AR invoice), the
 * object's documents, the documents tracing the object and its balance transactions, and whether
 * those are booked. The ledger is copied first; the copy is opened, never the kept file.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLedger } from '../main/adapters/ledger/sqlite-ledger.js';
import { PageLookups } from '../main/core/engine/page-lookups.js';
import type { AnySyncedObject } from '../main/core/stripe/objects.js';

const PAGE = 500;

type Read = { method: 'getDocument' | 'documentsForObject' | 'documentsTracing' | 'isTraceBooked'; arg: string };

function readsOf(object: AnySyncedObject, keysOf: Map<string, string[]>): Read[] {
  const reads: Read[] = [];
  const transactions: string[] = [];
  if (object.object === 'charge' || object.object === 'refund' || object.object === 'payout') {
    for (const field of [object.balance_transaction, object.failure_balance_transaction]) if (typeof field === 'string') transactions.push(field);
  }
  const keys = new Set(keysOf.get(object.id) ?? []);
  for (const bt of transactions) for (const key of [`${object.id}:${bt}`, `${object.id}:${bt}:ar-receipt`, `${object.id}:${bt}:ar-invoice`]) keys.add(key);
  if (object.object === 'invoice') for (const key of [`${object.id}:paid`, `${object.id}:paid:ar-invoice`]) keys.add(key);
  for (const key of keys) reads.push({ method: 'getDocument', arg: key });
  reads.push({ method: 'documentsForObject', arg: object.id }, { method: 'documentsTracing', arg: object.id });
  for (const bt of transactions) reads.push({ method: 'documentsTracing', arg: bt }, { method: 'isTraceBooked', arg: bt });
  return reads;
}

function answer(ledger: SqliteLedger, read: Read): unknown {
  return ledger.documents[read.method](read.arg);
}

function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const given = process.argv[2];
if (!given) throw new Error('usage: document-read-ahead-replay.ts <kept ledger folder or ledger.sqlite> [--rounds N]');
const source = statSync(given).isDirectory() ? join(given, 'ledger.sqlite') : given;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 5) || 5;
const dir = mkdtempSync(join(tmpdir(), 'read-ahead-replay-'));
const path = join(dir, 'ledger.sqlite');
copyFileSync(source, path);
if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${path}-wal`);

try {
  const raw = new Database(path, { readonly: true });
  const objects = (raw.prepare('SELECT body FROM stripe_objects ORDER BY created, id').pluck().all() as string[]).map((body) => JSON.parse(body) as AnySyncedObject);
  const keysOf = new Map<string, string[]>();
  for (const key of raw.prepare('SELECT doc_key FROM documents').pluck().all() as string[]) {
    const owner = key.slice(0, Math.max(0, key.indexOf(':')));
    keysOf.set(owner, [...(keysOf.get(owner) ?? []), key]);
  }
  raw.close();
  const pages: { objects: AnySyncedObject[]; reads: Read[] }[] = [];
  for (let start = 0; start < objects.length; start += PAGE) {
    const page = objects.slice(start, start + PAGE);
    pages.push({ objects: page, reads: page.flatMap((object) => readsOf(object, keysOf)) });
  }
  const reads = pages.reduce((sum, page) => sum + page.reads.length, 0);

  const ledger = new SqliteLedger(path);
  const plain = new SqliteLedger(path);
  const lookups = new PageLookups(ledger);
  // The same Stripe look-ups per page on the plain connection, without its documents read ahead.
  const withoutReadAhead = { objects: plain.objects, documents: Object.assign(Object.create(plain.documents) as object, { readAhead() {}, forgetReadAhead() {} }) };
  const plainLookups = new PageLookups(withoutReadAhead as unknown as SqliteLedger);
  // Equivalence: every answer read ahead against the plain connection's.
  let compared = 0;
  let found = 0;
  for (const page of pages) {
    lookups.startPage(page.objects);
    for (const read of page.reads) {
      const ahead = JSON.stringify(answer(ledger, read));
      const expected = JSON.stringify(answer(plain, read));
      if (ahead !== expected) throw new Error(`${read.method}(${read.arg}) read ahead differs:\n${ahead}\n${expected}`);
      compared++;
      if (expected !== 'null' && expected !== '[]' && expected !== 'false') found++;
    }
    const transactions = page.reads.filter((read) => read.method === 'isTraceBooked').map((read) => read.arg);
    const booked = ledger.documents.bookedTraceIds(transactions);
    for (const id of transactions) if (booked.has(id) !== plain.documents.isTraceBooked(id)) throw new Error(`bookedTraceIds differs on ${id}`);
    lookups.endPage();
  }
  console.log(`${objects.length} objects in ${pages.length} pages: ${compared} reads compared (${found} found something), all equal`);

  // Timing: the same reads, one query each (as before) and read ahead per page (the page's read included), interleaved; both read the page's Stripe look-ups.
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < rounds; round++) {
    before.push(
      cpuMs(() =>
        pages.forEach((page) => {
          plainLookups.startPage(page.objects);
          page.reads.forEach((read) => answer(plain, read));
        }),
      ),
    );
    after.push(
      cpuMs(() =>
        pages.forEach((page) => {
          lookups.startPage(page.objects);
          page.reads.forEach((read) => answer(ledger, read));
          lookups.endPage();
        }),
      ),
    );
  }
  console.log(`${reads} reads, CPU-ms per pass (median of ${rounds}): one query each ${median(before).toFixed(1)} [${before.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  read ahead per page ${median(after).toFixed(1)} [${after.map((v) => v.toFixed(0)).join(', ')}]`);
  ledger.close();
  plain.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
