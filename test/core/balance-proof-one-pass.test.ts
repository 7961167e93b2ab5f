import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { SPINE_FROM_CURSOR } from '../../main/core/engine/balance-transaction-spine.js';
import { openingBeforeWindow, proveBalanceAfterRun } from '../../main/core/engine/balance-proof-step.js';
import type { StripeBalance } from '../../main/core/stripe/objects.js';
import { bt, fee, mapping } from './fixtures/stripe.js';
import { fixedRunContext } from '../support/fixed-run-context.js';

/**
 * The first balance proof fixes the opening balance (what Stripe held before the backfill
 * window) from the same pass over the history that the proof makes: the history is read once,
 * not once for the opening and again for the proof, and the opening is Stripe's balance less
 * the window's transactions in the home currency, worked out here by hand.
 */

const NOW = 1_700_000_000;
const FROM = NOW - 30 * 86_400;

let dir: string;
let ledger: SqliteLedger;
let passes: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-proof-one-pass-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  ledger.mappings.saveMapping(mapping());
  ledger.runs.setCursor(SPINE_FROM_CURSOR, String(FROM));
  ledger.objects.upsertBalanceTransactions(
    [
      bt({ id: 'txn_a', amount: 10_000, fee_details: [fee(320)], created: FROM + 100 }),
      bt({ id: 'txn_b', amount: 5_000, fee_details: [fee(175)], created: FROM + 200 }),
      bt({ id: 'txn_c', amount: -2_000, type: 'refund', reporting_category: 'refund', created: FROM + 300 }),
      // Another currency: not in the home currency's balance nor in the opening.
      bt({ id: 'txn_eur', amount: 7_000, currency: 'eur', created: FROM + 400 }),
      // Before the window: the opening already holds it.
      bt({ id: 'txn_old', amount: 99_000, created: FROM - 1 }),
    ],
    null,
  );
  passes = 0;
  const tracesOnAccount = ledger.reconciliation.tracesOnAccount.bind(ledger.reconciliation);
  ledger.reconciliation.tracesOnAccount = (acctNo, from, upTo) => {
    const traces = tracesOnAccount(acctNo, from, upTo);
    return {
      *[Symbol.iterator]() {
        passes++;
        yield* traces;
      },
    };
  };
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const balance: StripeBalance = { object: 'balance', livemode: false, available: [{ amount: 150_000, currency: 'usd' }], pending: [{ amount: 1_000, currency: 'usd' }] } as StripeBalance;

describe('the first balance proof', () => {
  it('reads the history once and fixes the opening from that pass; later proofs keep it', async () => {
    const context = fixedRunContext({ ledger, stripe: { balance: async () => balance } });
    const proof = await proveBalanceAfterRun(context, mapping());
    expect(passes).toBe(1);
    // 1,510.00 in Stripe less the window's nets in USD: 96.80 + 48.25 - 20.00.
    const opening = 151_000 - (10_000 - 320) - (5_000 - 175) - -2_000;
    expect(proof.opening).toBe((opening / 100).toFixed(3));
    expect(openingBeforeWindow(ledger.runs)).toBe(BigInt(opening * 10));

    // The next proof counts the first one's carried past instead of reading the window again (balance-proof-carry.ts).
    const next = await proveBalanceAfterRun(context, mapping());
    expect(passes).toBe(1);
    expect(next.opening).toBe(proof.opening);
    expect({ ...next, checkedAt: proof.checkedAt }).toEqual(proof);
  });
});
