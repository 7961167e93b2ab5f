import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../main/adapters/ledger/ledger-connection.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { SqliteStripeObjectLedger } from '../../main/adapters/ledger/sqlite-stripe-object-ledger.js';
import { bt, charge } from '../core/fixtures/stripe.js';

/**
 * A balance transaction stored again with the body this connection last wrote costs no
 * statement (recent-rows.ts). What the file holds must still be the newest body stored: after
 * a change, a rollback, or once the remembered bodies' bound has pushed it out.
 */

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-recent-bts-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The body as another connection reads it from the file. */
function inFile(id: string) {
  const other = new SqliteLedger(join(dir, 'ledger.sqlite'));
  try {
    return other.objects.getBalanceTransaction(id);
  } finally {
    other.close();
  }
}

describe('balance transactions stored again', () => {
  it('with another body or source are written', () => {
    const pending = bt({ id: 'txn_1', amount: 1_000, status: 'pending', source: 'ch_1' });
    ledger.objects.upsertBalanceTransactions([pending], null);
    ledger.objects.upsertBalanceTransactions([pending], null);
    expect(inFile('txn_1')).toMatchObject({ status: 'pending', source: 'ch_1' });
    ledger.objects.upsertBalanceTransactions([{ ...pending, status: 'available' }], null);
    expect(inFile('txn_1')).toMatchObject({ status: 'available' });
    // An expanded source is stored as its id: the same row as before, not written again, still found by source.
    ledger.objects.addPayoutItems([{ ...pending, status: 'available', source: charge({ id: 'ch_1' }) }], 'po_1');
    expect(inFile('txn_1')).toMatchObject({ status: 'available', source: 'ch_1' });
    expect(ledger.objects.balanceTransactionsOfSource('ch_1').map((entry) => entry.transaction.id)).toEqual(['txn_1']);
  });

  it('after a rollback are written: the body rolled back is not taken for the one in the file', () => {
    const pending = bt({ id: 'txn_1', amount: 1_000, status: 'pending' });
    const available = { ...pending, status: 'available' as const };
    ledger.objects.upsertBalanceTransactions([pending], null);
    expect(() =>
      ledger.inTransaction(() => {
        ledger.objects.upsertBalanceTransactions([available], null);
        throw new Error('the page failed after storing');
      }),
    ).toThrow('the page failed');
    expect(inFile('txn_1')).toMatchObject({ status: 'pending' });
    ledger.objects.upsertBalanceTransactions([available], null);
    expect(inFile('txn_1')).toMatchObject({ status: 'available' });
  });

  it('past the bound are compared by the file again, and a change is written', () => {
    const connection = new LedgerConnection(join(dir, 'bounded.sqlite'));
    try {
      const first = bt({ id: 'txn_1', amount: 1_000, status: 'pending' });
      const bounded = new SqliteStripeObjectLedger(connection, { recentTransactionChars: JSON.stringify(first).length + 10 });
      bounded.upsertBalanceTransactions([first, bt({ id: 'txn_2', amount: 2_000 })], null);
      bounded.upsertBalanceTransactions([{ ...first, status: 'available' }, bt({ id: 'txn_2', amount: 2_000 })], null);
      expect(bounded.balanceTransactions(['txn_1', 'txn_2'])).toEqual(
        new Map([
          ['txn_1', { ...first, status: 'available' }],
          ['txn_2', bt({ id: 'txn_2', amount: 2_000 })],
        ]),
      );
    } finally {
      connection.close();
    }
  });
});
