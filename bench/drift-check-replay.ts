/**
 * The drift checks' CPU on a kept ledger, at the end of ordinary runs after a backfill.
 *   npx tsx bench/drift-check-replay.ts <folder of a kept ledger.sqlite> [--runs 8]
 * (a ledger kept by `node dist/bench/backfill-bench.mjs --objects 10000 --untimed-ledger --keep`).
 * Works on a copy. Each run adds a quarter hour's activity the way the engine stores it: five
 * succeeded charges and their balance transactions (copies of a charge the backfill wrote, with
 * new ids), journals for four of them marked writing then written, and one old written charge
 * stored again with a new body (a refund after writing: a candidate the check plans again);
 * then times checkDrift as the engine calls it after a run that wrote documents. The first
 * check (before any run) is timed apart: on a ledger from before the drift lists it builds
 * them from the history.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../main/adapters/ledger/sqlite-ledger.js';
import { checkDrift } from '../main/core/engine/drift-checks.js';
import type { RunContext } from '../main/core/engine/engine-context.js';
import type { SageDocument } from '../main/core/sage/documents.js';
import type { AnySyncedObject, StripeBalanceTransaction } from '../main/core/stripe/objects.js';
import { argValue } from './bench-support.js';

const source = process.argv[2];
if (!source) throw new Error('usage: npx tsx bench/drift-check-replay.ts <folder of a kept ledger.sqlite> [--runs 8]');
const runs = Number(argValue('--runs') ?? 8);
const dir = mkdtempSync(join(tmpdir(), 's5sync-drift-replay-'));
for (const name of readdirSync(source)) if (name.startsWith('ledger.sqlite')) copyFileSync(join(source, name), join(dir, name));

let clockMs = Date.parse('2030-01-01T00:00:00.000Z');
const ledger = new SqliteLedger(join(dir, 'ledger.sqlite'), { now: () => new Date(clockMs).toISOString() });
const cpuMs = (work: () => void): number => {
  const start = process.cpuUsage();
  work();
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1000;
};

/** A charge the backfill wrote a journal for, with its transaction and the journal, as stored. */
const writtenCharges = ledger.objects.objectsCreatedSince(0, ['charge']).map((stored) => stored.object);
const template = (() => {
  for (const object of writtenCharges) {
    const charge = object as AnySyncedObject & { balance_transaction: string | null; status: string };
    if (charge.status !== 'succeeded' || !charge.balance_transaction) continue;
    const journal = ledger.documents.documentsForObject(charge.id).find((document) => document.state === 'written' && document.document.type === 'journal');
    const transaction = ledger.objects.balanceTransactions([charge.balance_transaction]).get(charge.balance_transaction);
    if (journal && transaction) return { charge, transaction, journal: journal.document };
  }
  throw new Error('no written charge journal in this ledger');
})();
let nowSeconds = Math.max(...writtenCharges.map((charge) => ('created' in charge ? charge.created : 0))) + 3_600;
const context = { ledger, nowSeconds: () => nowSeconds } as unknown as RunContext;
const renamed = <T>(value: T, chargeId: string, transactionId: string): T =>
  JSON.parse(JSON.stringify(value).split(template.charge.id).join(chargeId).split(template.transaction.id).join(transactionId)) as T;

const first = cpuMs(() => checkDrift(context));
console.log(`first check: ${first.toFixed(1)} CPU-ms`);
const version = ledger.mappings.currentMapping()!.version;
for (let run = 1; run <= runs; run++) {
  clockMs += 900_000;
  nowSeconds += 900;
  const charges: AnySyncedObject[] = [];
  const transactions: StripeBalanceTransaction[] = [];
  const journals: SageDocument[] = [];
  for (let index = 0; index < 5; index++) {
    const chargeId = `ch_replay_${run}_${index}`;
    const transactionId = `txn_replay_${run}_${index}`;
    charges.push({ ...renamed(template.charge, chargeId, transactionId), created: nowSeconds - 60 } as AnySyncedObject);
    transactions.push({ ...renamed(template.transaction, chargeId, transactionId), created: nowSeconds - 60 });
    if (index < 4) journals.push(renamed(template.journal, chargeId, transactionId));
  }
  ledger.objects.upsertObjects(charges);
  ledger.objects.upsertBalanceTransactions(transactions, null);
  ledger.documents.savePlans(journals.map((journal) => ({ objectId: journal.stripeObjectId, documents: [journal] })), version, 'planned');
  ledger.documents.markWritingAll(journals.map((journal) => journal.key));
  clockMs += 1_000;
  ledger.documents.markWrittenAll(journals.map((journal, index) => ({ docKey: journal.key, ref: { docKey: journal.key, sageTable: 'tglJournal', sageKey: index, sageNumber: `R${run}-${index}`, batchKey: run } })));
  clockMs += 1_000;
  const old = writtenCharges[(run * 37) % writtenCharges.length]!;
  ledger.objects.upsertObjects([{ ...old, metadata: { ...('metadata' in old ? old.metadata : {}), replay: String(run) } } as AnySyncedObject]);
  let findings = 0;
  const spent = cpuMs(() => (findings = checkDrift(context)));
  console.log(`run ${run}: checkDrift ${spent.toFixed(1)} CPU-ms, ${findings} finding(s)`);
}
ledger.close();
rmSync(dir, { recursive: true, force: true });
