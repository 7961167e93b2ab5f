import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeBalanceTransaction, StripeCharge, StripeDispute, StripeRefund } from '../../main/core/stripe/objects.js';
import { openSimulatedBooks, type PayoutBooks } from './simulated-books.js';

/**
 * Stripe money shapes end to end, simulator over HTTP into the Sage sandbox: inquiries
 * (`warning_…` disputes) and prevented disputes, which move no money; refunds of ACH debits
 * (`pyr_`), pending, succeeded or failed; top-ups as the expanded source of their balance
 * transactions; and charges that carry their payment method as Stripe shapes it. Each
 * balance transaction must be in Sage once, on the accounts this test expects (its own table,
 * the default mapping's numbers, not the production rules), dated on the company's business
 * day, and the clearing account must equal Stripe's balance to the cent.
 */

const TIME_ZONE = 'America/Chicago';
/** The test's own account numbers, as Sage stores them (no mask). */
const CLEARING = '105000';
const BANK = '101000';
const REVENUE = '400000';
const REFUNDS = '490000';
const FEES = '615000';

const businessDay = (unixSeconds: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(unixSeconds * 1000));

interface SageRow {
  account: string;
  amount: number;
  date: string;
}

/** The Sage rows of every written document that books the transaction, from the sandbox's own tables. */
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

const sumOn = (rows: readonly SageRow[], account: string) => rows.filter((row) => row.account === account).reduce((sum, row) => sum + row.amount, 0);

/** A refund's balance transaction in Sage: clearing and the refunds account by the amount, on its business day. */
function expectRefundBooked(books: PayoutBooks, bt: StripeBalanceTransaction): void {
  const rows = sageRowsFor(books, bt.id);
  expect(sumOn(rows, CLEARING), `${bt.id} clearing`).toBe(bt.net * 10);
  expect(sumOn(rows, REFUNDS), `${bt.id} refunds`).toBe(-bt.amount * 10);
  expect(rows.length, `${bt.id} rows`).toBe(2);
  for (const row of rows) expect(row.date, `${bt.id} date`).toBe(businessDay(bt.created));
}

describe('Stripe money shapes through HTTP into the Sage sandbox', () => {
  let books: PayoutBooks;
  let byId: Map<string, StripeBalanceTransaction>;

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: 11, days: 40 });
    expect((await books.sync()).outcome).toBe('succeeded');
    books.simulator.advanceDays(2);
    expect((await books.sync()).outcome).toBe('succeeded');
    byId = new Map(books.simulator.objects('balance_transaction').map((bt) => [bt.id, bt]));
  }, 180_000);

  afterAll(async () => {
    await books.close();
  });

  const disputesIn = (statuses: readonly string[]) => (books.simulator.objects('dispute') as readonly StripeDispute[]).filter((dispute) => statuses.includes(dispute.status));

  it('an inquiry moves no money: no balance transaction, nothing in Sage, the record kept with its status', () => {
    const inquiries = disputesIn(['warning_needs_response', 'warning_under_review', 'warning_closed']);
    expect(new Set(inquiries.map((dispute) => dispute.status))).toEqual(new Set(['warning_needs_response', 'warning_under_review', 'warning_closed']));
    for (const inquiry of inquiries) {
      expect(inquiry.balance_transactions).toEqual([]);
      const stored = books.ledgerSql<{ status: string }>(`SELECT json_extract(body, '$.status') AS status FROM stripe_objects WHERE id = ?`, inquiry.id);
      expect(stored, `${inquiry.id} in the ledger`).toEqual([{ status: inquiry.status }]);
      expect(books.ledgerSql('SELECT doc_key FROM documents WHERE stripe_object_id = ?', inquiry.id), `${inquiry.id} documents`).toEqual([]);
      expect(books.sageSql('SELECT DocKey FROM tciStripeXref_STRIPE WHERE StripeObjectID = ?', inquiry.id), `${inquiry.id} in Sage`).toEqual([]);
    }
    // As in Stripe's own dispute example: a card inquiry says so in payment_method_details.
    for (const inquiry of inquiries) expect((inquiry as unknown as { payment_method_details: unknown }).payment_method_details).toEqual({ type: 'card', card: { brand: 'amex', case_type: 'inquiry', network: 'amex', network_reason_code: null } });
    const chargebacks = disputesIn(['needs_response', 'under_review', 'won', 'lost']).filter((dispute) => !dispute.id.startsWith('pdp_'));
    expect(chargebacks.length).toBeGreaterThan(0);
    for (const chargeback of chargebacks) expect((chargeback as unknown as { payment_method_details: { card: { case_type: string } } }).payment_method_details.card.case_type).toBe('chargeback');
    // An open inquiry leaves the payment refundable, as Stripe says of inquiries.
    const open = inquiries.find((dispute) => dispute.status === 'warning_needs_response') as (StripeDispute & { is_charge_refundable: boolean }) | undefined;
    expect(open?.is_charge_refundable).toBe(true);
  });

  it('an inquiry answered by refunding in full books the sale and the refund, and no chargeback', () => {
    const refunded = disputesIn(['warning_closed']).filter((dispute) => (books.simulator.objects('charge') as readonly StripeCharge[]).find((charge) => charge.id === dispute.charge)?.refunded);
    expect(refunded.length).toBeGreaterThan(0);
    for (const inquiry of refunded) {
      const charge = (books.simulator.objects('charge') as readonly StripeCharge[]).find((candidate) => candidate.id === inquiry.charge)!;
      const sale = byId.get(charge.balance_transaction as string)!;
      const saleRows = sageRowsFor(books, sale.id);
      expect(sumOn(saleRows, CLEARING)).toBe(sale.net * 10);
      expect(sumOn(saleRows, REVENUE)).toBe(-sale.amount * 10);
      expect(sumOn(saleRows, FEES)).toBe(sale.fee * 10);
      const [refund] = (books.simulator.objects('refund') as readonly StripeRefund[]).filter((candidate) => candidate.charge === charge.id);
      expect(refund!.amount).toBe(charge.amount);
      expectRefundBooked(books, byId.get(refund!.balance_transaction as string)!);
    }
  });

  it('a prevented dispute has no balance transaction; the cardholder’s refund is booked as a refund', () => {
    const prevented = disputesIn(['prevented']);
    expect(prevented.length).toBeGreaterThan(0);
    for (const dispute of prevented) {
      expect(dispute.balance_transactions).toEqual([]);
      expect(books.ledgerSql('SELECT doc_key FROM documents WHERE stripe_object_id = ?', dispute.id)).toEqual([]);
      const [refund] = (books.simulator.objects('refund') as readonly StripeRefund[]).filter((candidate) => candidate.charge === dispute.charge);
      expectRefundBooked(books, byId.get(refund!.balance_transaction as string)!);
    }
  });

  it('refunds of ACH debits are pyr_ refunds of py_ charges, booked when Stripe takes the money, and a failed one returns it', () => {
    const refunds = (books.simulator.objects('refund') as readonly StripeRefund[]).filter((refund) => refund.charge?.startsWith('py_'));
    expect(refunds.length).toBeGreaterThan(0);
    for (const refund of refunds) expect(refund.id).toMatch(/^pyr_/);
    const failed = refunds.filter((refund) => refund.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(refunds.some((refund) => refund.status === 'succeeded')).toBe(true);
    for (const refund of refunds) {
      const bt = byId.get(refund.balance_transaction as string)!;
      expect(bt.type).toBe('payment_refund');
      expectRefundBooked(books, bt);
    }
    for (const refund of failed) {
      const failure = byId.get(refund.failure_balance_transaction as string)!;
      expect(failure.type).toBe('refund_failure');
      const rows = sageRowsFor(books, failure.id);
      expect(sumOn(rows, CLEARING), `${refund.id} failure clearing`).toBe(refund.amount * 10);
      expect(sumOn(rows, REFUNDS), `${refund.id} failure refunds`).toBe(-refund.amount * 10);
      for (const row of rows) expect(row.date).toBe(businessDay(failure.created));
    }
  });

  it('a top-up is the expanded source of its balance transactions (Stripe.Topup) and is booked against the bank', async () => {
    const response = await fetch(`${books.simulator.apiBase}/v1/balance_transactions?type=topup&limit=100&expand[]=data.source`, {
      headers: { Authorization: `Bearer ${books.simulator.apiKey}` },
    });
    const page = (await response.json()) as { data: (StripeBalanceTransaction & { source: { id: string; object: string; amount: number; balance_transaction: string; status: string } })[] };
    expect(page.data.length).toBeGreaterThan(0);
    for (const bt of page.data) {
      expect(bt.source).toMatchObject({ object: 'topup', amount: bt.amount, balance_transaction: bt.id });
      expect(bt.source.id).toMatch(/^tu_/);
      const rows = sageRowsFor(books, bt.id);
      expect(sumOn(rows, CLEARING)).toBe(bt.net * 10);
      expect(sumOn(rows, BANK)).toBe(-bt.amount * 10);
      for (const row of rows) expect(row.date).toBe(businessDay(bt.created));
    }
    const reversals = books.simulator.objects('balance_transaction').filter((bt) => bt.type === 'topup_reversal');
    expect(reversals.length).toBeGreaterThan(0);
    for (const bt of reversals) expect(sumOn(sageRowsFor(books, bt.id), BANK)).toBe(-bt.amount * 10);
  });

  it('charges carry their payment method as Stripe shapes it: a card with its brand, or a US bank account', () => {
    const methods = books.ledgerSql<{ id: string; type: string; brand: string | null; bank: string | null }>(
      `SELECT id, json_extract(body, '$.payment_method_details.type') AS type, json_extract(body, '$.payment_method_details.card.brand') AS brand,
              json_extract(body, '$.payment_method_details.us_bank_account.routing_number') AS bank
       FROM stripe_objects WHERE kind = 'charge'`,
    );
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) {
      if (method.id.startsWith('py_')) expect(method).toMatchObject({ type: 'us_bank_account', brand: null, bank: '110000000' });
      else expect(method.type, method.id).toBe('card');
    }
    expect(new Set(methods.filter((method) => method.type === 'card').map((method) => method.brand))).toEqual(new Set(['visa', 'mastercard', 'amex', 'discover']));
  });

  it('the clearing account equals Stripe’s balance to the cent, and the proof is exact', () => {
    const balance = books.simulator.objects('balance_transaction').reduce((sum, bt) => sum + bt.net, 0) * 10;
    const [row] = books.sageSql<{ total: number }>(
      `SELECT SUM(d.PostAmt) AS total FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = ?`,
      CLEARING,
    );
    expect(row!.total).toBe(balance);
    const [proof] = books.ledgerSql<{ value: string }>(`SELECT value FROM cursors WHERE name = 'balance-proof:last'`);
    expect(JSON.parse(proof!.value)).toMatchObject({ holds: true, exact: true, difference: '0.000', items: [] });
  });
});
