/**
 * The balance proof's cost a run on a kept bench ledger, by part (session 9, proof).
 *   npx tsx bench/proof-replay.ts LEDGER_FILE [--runs 8]
 * Works on a copy: eight runs, each storing five new balance transactions with their journals
 * written on the clearing account, then one proof (`proveBalanceAfterRun`, a stub of Stripe's
 * balance) timed with process.cpuUsage(); beside it, what the in-transit half read before it was
 * carried (every written line on the in-transit account) and the stored payouts it still reads.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLedger } from '../main/adapters/ledger/sqlite-ledger.js';
import { proveBalanceAfterRun } from '../main/core/engine/balance-proof-step.js';
import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../main/core/engine/engine-context.js';
import type { StripeBalance, StripeBalanceTransaction, StripePayout } from '../main/core/stripe/objects.js';
import { argValue } from './bench-support.js';

const cpuMs = (work: () => void): number => {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const source = process.argv[2]!;
const runs = Number(argValue('--runs') ?? 8);
const dir = mkdtempSync(join(tmpdir(), 's5sync-proof-replay-'));
const file = join(dir, 'ledger.sqlite');
copyFileSync(source, file);
const ledger = new SqliteLedger(file);
try {
  const { version, mapping } = ledger.mappings.currentMapping()!;
  let now = Math.max(...ledger.objects.payouts().map((stored) => stored.object.created)) + 86_400;
  const balance = { object: 'balance', livemode: false, available: [{ amount: 1_000_000, currency: 'usd' }], pending: [] } as unknown as StripeBalance;
  const context = (): RunContext =>
    ({
      runId: 1,
      ledger,
      stripe: { balance: async () => balance },
      sage: {},
      clock: { now: () => now * 1000, sleep: async () => undefined },
      options: DEFAULT_ENGINE_OPTIONS,
      emit: () => undefined,
      nowSeconds: () => now,
      counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
    }) as unknown as RunContext;
  process.stdout.write(`${source}: ${ledger.objects.payouts().length} payouts\n`);
  let sequence = 0;
  for (let run = 0; run <= runs; run++) {
    now += 900;
    const fresh: StripeBalanceTransaction[] = Array.from({ length: 5 }, () => {
      const id = `txn_replay_${++sequence}`;
      return { id, object: 'balance_transaction', amount: 1_000, fee: 59, net: 941, currency: 'usd', type: 'charge', reporting_category: 'charge', source: null, created: now - 60, available_on: now + 86_400, status: 'pending', description: null, exchange_rate: null, fee_details: [] } as unknown as StripeBalanceTransaction;
    });
    ledger.objects.upsertBalanceTransactions(fresh, null);
    for (const bt of fresh) {
      const key = `replay:${bt.id}`;
      ledger.documents.savePlan(key, [{ type: 'journal', key, postDate: '2026-03-10', stripeObjectId: key, description: key, lines: [
        { acctNo: mapping.accounts.clearing, amount: '9.410', comment: 'net', traceId: bt.id },
        { acctNo: '4000-00', amount: '-9.410', comment: 'sale', traceId: bt.id },
      ] }], version, 'planned');
      ledger.documents.markWritten(key, { docKey: key, sageTable: 'tglJournal', sageKey: 900_000 + sequence, sageNumber: `GJ-${sequence}`, batchKey: 1 });
    }
    const start = process.cpuUsage();
    await proveBalanceAfterRun(context(), mapping);
    const used = process.cpuUsage(start);
    const proof = (used.user + used.system) / 1000;
    const inTransitLines = cpuMs(() => void ledger.reconciliation.writtenLinesOnAccount(mapping.accounts.payoutsInTransit));
    const payouts = cpuMs(() => {
      for (const stored of ledger.objects.payouts()) {
        const payout = stored.object as StripePayout;
        if (typeof payout.balance_transaction === 'string') ledger.objects.getBalanceTransaction(payout.balance_transaction);
      }
    });
    process.stdout.write(`run ${run}: proof ${proof.toFixed(2)} CPU-ms; beside it, all in-transit lines ${inTransitLines.toFixed(2)}, the payouts ${payouts.toFixed(2)}\n`);
  }
} finally {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
}
