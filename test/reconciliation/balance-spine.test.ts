import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unmaskAccountNo } from '../../main/adapters/sage/gl-checks.js';
import { main } from '../../main/cli/s5sync.js';
import type { BalanceProof } from '../../main/core/reconciliation/balance-proof.js';
import type { StripeBalanceTransaction, StripeCharge, StripeDispute } from '../../main/core/stripe/objects.js';
import { BANK, CLEARING, openSimulatedBooks, type PayoutBooks } from './simulated-books.js';

/**
 * The money spine end to end: the simulator (over HTTP) generates ACH payments that succeed
 * and fail, standalone Stripe and Tax fees, top-ups and a reversal, account adjustments,
 * reserve holds and releases and dp_/du_ disputes; the Sage sandbox must hold every balance
 * transaction exactly once, on the account this test expects (its own table below, not the
 * production rules), dated on the company's business day, and the clearing account must equal
 * Stripe's balance, and the payouts-in-transit account the payouts on their way, to the cent.
 */

const TIME_ZONE = 'America/Chicago';
/** The test's own expectation of the counter account per standalone type (default mapping). */
const EXPECTED_COUNTER: Record<string, string> = {
  stripe_fee: '6150-00',
  tax_fee: '6155-00',
  topup: '1010-00',
  topup_reversal: '1010-00',
  adjustment: '6170-00',
  reserve_transaction: '1060-00',
};
/** Disputes are adjustments too, booked by their dispute; only `other_adjustment` stands alone. */
const isStandalone = (bt: StripeBalanceTransaction) => bt.type in EXPECTED_COUNTER && (bt.type !== 'adjustment' || bt.reporting_category === 'other_adjustment');
const REVENUE = unmaskAccountNo('4000-00');
const SUSPENSE = unmaskAccountNo('1990-00');
const IN_TRANSIT = unmaskAccountNo('1020-00');

const businessDay = (unixSeconds: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(unixSeconds * 1000));

interface SageRow {
  account: string;
  amount: number;
  date: string;
}

function sageRowsFor(books: PayoutBooks, btId: string): SageRow[] {
  const keys = books.ledgerSql<{ doc_key: string }>(`SELECT t.doc_key FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE t.trace_id = ? AND d.state = 'written'`, btId).map((row) => row.doc_key);
  if (keys.length === 0) return [];
  return books
    .sageSql<{ GLAcctNo: string; PostAmt: number; TranDate: string }>(
      `SELECT a.GLAcctNo, d.PostAmt, d.TranDate FROM tglJournalDetl d
       JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
       JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
       WHERE x.DocKey IN (${keys.map(() => '?').join(', ')})`,
      ...keys,
    )
    .map((row) => ({ account: row.GLAcctNo, amount: row.PostAmt, date: String(row.TranDate).slice(0, 10) }));
}

function sumOn(rows: readonly SageRow[], account: string): number {
  return rows.filter((row) => row.account === account).reduce((sum, row) => sum + row.amount, 0);
}

function lastProof(books: PayoutBooks): BalanceProof {
  const [row] = books.ledgerSql<{ value: string }>(`SELECT value FROM cursors WHERE name = 'balance-proof:last'`);
  expect(row, 'a balance proof was made').toBeDefined();
  return JSON.parse(row!.value) as BalanceProof;
}

/** Sage's clearing account in thousandths, summed straight from the sandbox's journal rows. */
function sageClearing(books: PayoutBooks): number {
  const [row] = books.sageSql<{ total: number | null }>(
    `SELECT SUM(d.PostAmt) AS total FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?`,
    CLEARING,
  );
  return row?.total ?? 0;
}

/** Sage's payouts-in-transit account in thousandths, straight from the sandbox's journal rows. */
function sageInTransit(books: PayoutBooks): number {
  const [row] = books.sageSql<{ total: number | null }>(
    `SELECT SUM(d.PostAmt) AS total FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?`,
    IN_TRANSIT,
  );
  return row?.total ?? 0;
}

/** Stripe's balance per the simulator's own transactions, and its payouts on their way (USD cents → thousandths). */
function expectedStripe(books: PayoutBooks): { balance: number; inTransit: number } {
  const balance = books.simulator.objects('balance_transaction').reduce((sum, bt) => sum + bt.net, 0) * 10;
  const inTransit = books.simulator
    .objects('payout')
    .filter((payout) => payout.status === 'pending' || payout.status === 'in_transit')
    .reduce((sum, payout) => sum + payout.amount, 0) * 10;
  return { balance, inTransit };
}

/** The proof is exact, and so is Sage: clearing is Stripe's balance and in transit is the payouts on their way, to the cent. */
function expectProofAgreesWithSage(books: PayoutBooks): void {
  const proof = lastProof(books);
  const { balance, inTransit } = expectedStripe(books);
  expect(sageClearing(books)).toBe(balance);
  expect(sageInTransit(books)).toBe(inTransit);
  expect(proof).toMatchObject({ holds: true, exact: true, difference: '0.000', unexplained: '0.000', items: [] });
  expect(Math.round(Number(proof.stripeBalance) * 1000)).toBe(balance);
  expect(Math.round(Number(proof.booked) * 1000)).toBe(balance);
  expect(proof.inTransit).toMatchObject({ account: '1020-00', difference: '0.000', holds: true, items: [] });
  expect(Math.round(Number(proof.inTransit!.stripe) * 1000)).toBe(inTransit);
}

describe('the money spine on an automatic payout schedule', () => {
  let books: PayoutBooks;
  let transactions: readonly StripeBalanceTransaction[];

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: 7, days: 35 });
    expect((await books.sync()).outcome).toBe('succeeded');
    books.simulator.advanceDays(2);
    expect((await books.sync()).outcome).toBe('succeeded');
    transactions = books.simulator.objects('balance_transaction');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  it('books every standalone transaction once, against the expected account, on its business day', () => {
    const standalone = transactions.filter(isStandalone);
    expect(new Set(standalone.map((bt) => bt.type))).toEqual(new Set(Object.keys(EXPECTED_COUNTER)));
    for (const bt of standalone) {
      const rows = sageRowsFor(books, bt.id);
      expect(rows.length, `${bt.id} ${bt.type} in Sage`).toBe(2);
      expect(sumOn(rows, CLEARING), `${bt.id} clearing`).toBe(bt.net * 10);
      expect(sumOn(rows, unmaskAccountNo(EXPECTED_COUNTER[bt.type]!)), `${bt.id} counter`).toBe(-bt.amount * 10);
      for (const row of rows) expect(row.date, `${bt.id} date`).toBe(businessDay(bt.created));
    }
  });

  it('books a pending ACH payment, and a failed one together with its reversal, without holding payouts back', () => {
    const ach = books.simulator.objects('charge').filter((charge) => charge.id.startsWith('py_'));
    const failed = ach.filter((charge) => charge.status === 'failed');
    const pending = ach.filter((charge) => charge.status === 'pending');
    expect(failed.length).toBeGreaterThan(0);
    expect(pending.length).toBeGreaterThan(0);
    const byId = new Map(transactions.map((bt) => [bt.id, bt]));
    for (const charge of [...failed, ...pending]) {
      const payment = byId.get(charge.balance_transaction as string)!;
      const rows = sageRowsFor(books, payment.id);
      expect(sumOn(rows, CLEARING), `${charge.id} payment clearing`).toBe(payment.net * 10);
      expect(sumOn(rows, REVENUE), `${charge.id} payment revenue`).toBe(-payment.amount * 10);
      expect(rows[0]!.date).toBe(businessDay(payment.created));
    }
    for (const charge of failed) {
      const reversal = byId.get((charge as StripeCharge).failure_balance_transaction as string)!;
      expect(reversal.type).toBe('payment_failure_refund');
      const rows = sageRowsFor(books, reversal.id);
      expect(sumOn(rows, CLEARING), `${charge.id} reversal clearing`).toBe(-charge.amount * 10);
      expect(sumOn(rows, REVENUE), `${charge.id} reversal revenue`).toBe(charge.amount * 10);
      expect(rows[0]!.date).toBe(businessDay(reversal.created));
    }
    // Every automatic payout Stripe has paid and reconciled is in Sage, failed ACH debits or not.
    const inSage = new Set(books.sageSql<{ StripeObjectID: string }>('SELECT StripeObjectID FROM tciStripeXref_STRIPE').map((row) => row.StripeObjectID));
    const reconciled = books.simulator.objects('payout').filter((payout) => payout.status === 'paid' && payout.reconciliation_status === 'completed');
    expect(reconciled.length).toBeGreaterThan(0);
    expect(reconciled.filter((payout) => !inSage.has(payout.id)).map((payout) => payout.id)).toEqual([]);
  });

  it('books each dispute by what it is, whatever its id prefix (dp_, du_ or pdp_), once per transaction', () => {
    const disputes = books.simulator.objects('dispute') as readonly StripeDispute[];
    for (const prefix of ['dp_', 'pdp_']) expect(disputes.some((dispute) => dispute.id.startsWith(prefix)), prefix).toBe(true);
    for (const dispute of disputes) {
      for (const bt of dispute.balance_transactions) {
        const written = books.ledgerSql<{ n: number }>(
          `SELECT COUNT(DISTINCT t.doc_key) AS n FROM document_traces t JOIN documents d ON d.doc_key = t.doc_key WHERE t.trace_id = ? AND d.state = 'written'`,
          bt.id,
        )[0]!.n;
        expect(written, `${dispute.id} ${bt.id}`).toBe(1);
        expect(sumOn(sageRowsFor(books, bt.id), CLEARING)).toBe(bt.net * 10);
      }
    }
  });

  it('proves the clearing account against Stripe\u2019s balance and in transit against the payouts on their way, to the cent', () => {
    expectProofAgreesWithSage(books);
  });

  it('shows the proof in s5sync report balance and s5sync status', async () => {
    const proof = lastProof(books);
    const out: string[] = [];
    expect(await main(['report', 'balance', '--config', books.configPath], (text) => out.push(text))).toBe(0);
    expect(out.join('\n')).toContain('The clearing account equals Stripe\u2019s balance and payouts in transit equal the payouts on their way, to the cent.');
    for (const item of proof.items) expect(out.join('\n')).toContain(item.balanceTransactionId);
    const json: string[] = [];
    expect(await main(['report', 'balance', '--json', '--config', books.configPath], (text) => json.push(text))).toBe(0);
    expect(JSON.parse(json.join('\n'))).toEqual(proof);
    const status: string[] = [];
    expect(await main(['status', '--config', books.configPath], (text) => status.push(text))).toBe(0);
    expect(status.join('\n')).toMatch(/balance proof \(.*\): Stripe balance .* USD, clearing 1050-00 .* USD; in transit .* USD, 1020-00 .* USD: holds exactly/);
  });

  it('books a transaction type without a rule to suspense with a warning on the record, and the proof still holds', async () => {
    const mystery = books.simulator.recordBalanceTransaction({
      amount: -1_234,
      type: 'quantum_settlement',
      reportingCategory: 'mystery_category',
      source: null,
      availableOn: books.simulator.now(),
      description: 'Something new from Stripe',
    });
    // Stripe sends no event for it: the hourly read of the balance-transaction history finds it.
    books.simulator.advanceSeconds(3_600);
    expect((await books.sync()).outcome).toBe('succeeded');
    const rows = sageRowsFor(books, mystery.id);
    expect(sumOn(rows, CLEARING)).toBe(-12_340);
    expect(sumOn(rows, SUSPENSE)).toBe(12_340);
    const [issue] = books.ledgerSql<{ message: string }>('SELECT message FROM object_issues WHERE object_id = ?', mystery.id);
    expect(issue?.message).toMatch(/suspense account 1990-00.*quantum_settlement/);
    expectProofAgreesWithSage(books);
  });
});

describe('the money spine on a manual payout schedule', () => {
  let books: PayoutBooks;

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: 8, days: 20, payoutSchedule: 'manual' });
    expect((await books.sync()).outcome).toBe('succeeded');
    books.simulator.advanceDays(4);
    expect((await books.sync()).outcome).toBe('succeeded');
  }, 120_000);

  afterAll(async () => {
    await books.close();
  });

  it('Stripe refuses to itemise a manual payout, and the engine never asks', async () => {
    const manual = books.simulator.objects('payout').find((payout) => !payout.automatic)!;
    expect(manual).toBeDefined();
    const response = await fetch(`${books.simulator.apiBase}/v1/balance_transactions?payout=${manual.id}`, {
      headers: { Authorization: `Bearer ${books.simulator.apiKey}` },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'Balance transaction history can only be filtered on automatic transfers, not manual.',
    );
    expect(books.simulator.requestLog.filter((entry) => entry.query.includes('payout=') && entry.status !== 400)).toEqual([]);
  });

  it('books the standalone money and every paid manual payout, and proves the balance', () => {
    const transactions = books.simulator.objects('balance_transaction');
    for (const bt of transactions.filter(isStandalone)) {
      expect(sumOn(sageRowsFor(books, bt.id), CLEARING), `${bt.id} ${bt.type}`).toBe(bt.net * 10);
    }
    const paid = books.simulator.objects('payout').filter((payout) => payout.status === 'paid');
    expect(paid.length).toBeGreaterThan(0);
    for (const payout of paid) {
      const rows = sageRowsFor(books, payout.balance_transaction as string);
      expect(sumOn(rows, BANK), payout.id).toBe(payout.amount * 10);
    }
    expectProofAgreesWithSage(books);
  });
});
