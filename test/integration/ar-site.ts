import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import type { StripeCharge, StripeCustomer } from '../../main/core/stripe/objects.js';
import { keyCashReceiptByHand, postInvoiceInSage } from '../adapters/sage-hand-keyed-ar.js';
import { keyArInvoiceByHand } from '../adapters/sage-hand-keyed-ar-invoice.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * The Sage site of the AR payment tests (issue #21): two Stripe customers synced into Sage, each
 * with open invoices a Sage user posted (Ada 5001 125.00 and 5002 200.00; Bob 5003 80.00, 5004
 * and 5005 60.00 each), the partner's proof of a cash receipt, and readers of what landed in
 * the sandbox.
 */

export const AR_ON = { mapping: { arPayments: { enabled: true, metadataKey: 'sage_invoice', unmatched: 'on-account' } } };

export interface ArSite {
  books: SimulatedBooks;
  ada: { custId: string; stripe: StripeCustomer };
  bob: { custId: string; stripe: StripeCustomer };
}

export async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

export async function openArSite(config: Record<string, unknown> = AR_ON): Promise<ArSite> {
  const books = await openBooks({ seed: 21, days: 2, balanceActivity: false, config }, 's5sync-ar-');
  expect((await books.sync()).outcome).not.toBe('failed');
  const customers = books.sageSql<{ StripeObjectID: string; SageNumber: string }>(
    "SELECT StripeObjectID, SageNumber FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:customer' ORDER BY DocKey LIMIT 2",
  );
  expect(customers).toHaveLength(2);
  const [a, b] = customers as [{ StripeObjectID: string; SageNumber: string }, { StripeObjectID: string; SageNumber: string }];
  const raw = new Database(books.sandboxPath);
  try {
    postInvoiceInSage(raw, a.SageNumber, 5001, '125.00');
    postInvoiceInSage(raw, a.SageNumber, 5002, '200.00');
    postInvoiceInSage(raw, b.SageNumber, 5003, '80.00');
    postInvoiceInSage(raw, b.SageNumber, 5004, '60.00');
    postInvoiceInSage(raw, b.SageNumber, 5005, '60.00');
  } finally {
    raw.close();
  }
  const stripe = (id: string): StripeCustomer => books.simulator.object('customer', id)!;
  return { books, ada: { custId: a.SageNumber, stripe: stripe(a.StripeObjectID) }, bob: { custId: b.SageNumber, stripe: stripe(b.StripeObjectID) } };
}

/** The partner's part (docs/sage-setup.md): a receipt keyed by hand, captured, checked and rehearsed. */
export async function proveCashReceipt(s: ArSite): Promise<void> {
  const raw = new Database(s.books.sandboxPath);
  let batchNo: number;
  try {
    const golden = postInvoiceInSage(raw, s.bob.custId, 4999, '40.00');
    batchNo = keyCashReceiptByHand(raw, s.bob.custId, golden, '40.00').batchNo;
  } finally {
    raw.close();
  }
  expect((await cli(['capture', 'cash-receipt', String(batchNo), '--config', s.books.configPath])).code).toBe(0);
  const checked = await cli(['check', '--config', s.books.configPath]);
  expect(checked.out).toMatch(/PASS.*Cash receipt tables and columns/);
  const rehearsed = await cli(['check', '--rehearse', '--config', s.books.configPath]);
  expect(rehearsed.out).toMatch(/PASS.*AR cash receipt in a pending batch/);
}

/** The partner's part for AR invoices (docs/sage-setup.md 8.1b): an invoice keyed by hand, captured, and optionally checked and rehearsed. */
export async function proveArInvoice(s: ArSite, prove: { check: boolean; rehearse: boolean }): Promise<void> {
  const raw = new Database(s.books.sandboxPath);
  let batchNo: number;
  try {
    batchNo = keyArInvoiceByHand(raw, s.bob.custId, '250.00').batchNo;
  } finally {
    raw.close();
  }
  expect((await cli(['capture', 'ar-invoice', String(batchNo), '--config', s.books.configPath])).code).toBe(0);
  if (prove.check) expect((await cli(['check', '--config', s.books.configPath])).out).toMatch(/PASS {2}AR invoice tables and columns: tarPendInvoice, tarInvoiceDetl and tarInvoiceLineDist \(keyed by InvoiceLineDistKey, amount in ExtAmt\)/);
  if (prove.rehearse) expect((await cli(['check', '--rehearse', '--config', s.books.configPath])).out).toMatch(/PASS {2}AR invoice for a Stripe sale in a pending batch: written and read back \(tarPendInvoice \d{10}-IN, cash receipt \d{10}-CR applied to it\)/);
}

export function pay(s: ArSite, who: StripeCustomer, amount: number, description: string | null, metadata: Record<string, string> = {}, fee?: number): StripeCharge {
  s.books.simulator.advanceSeconds(60, { generate: false });
  return s.books.simulator.referencedPayments.pay(s.books.simulator.now(), { customer: who, amount, description, metadata, fee });
}

export async function syncAgain(s: ArSite): Promise<void> {
  s.books.simulator.advanceSeconds(120, { generate: false });
  expect((await s.books.sync()).outcome).not.toBe('failed');
}

export const receipts = (s: ArSite) =>
  s.books.sageSql<{ CustID: string; TranAmt: number; UnappliedAmt: number; TranDate: string; TranCmnt: string }>(
    `SELECT c.CustID, p.TranAmt, p.UnappliedAmt, p.TranDate, p.TranCmnt FROM tarPendCustPmt p JOIN tarCustomer c ON c.CustKey = p.CustKey
     WHERE p.CreateUserID = 'stripe' ORDER BY p.TranCmnt`,
  );

export const applications = (s: ArSite) =>
  s.books.sageSql<{ TranCmnt: string; ApplyToTranID: string; PmtAmt: number }>(
    `SELECT p.TranCmnt, a.ApplyToTranID, a.PmtAmt FROM tarPendCustPmtAppl a JOIN tarPendCustPmt p ON p.CustPmtKey = a.ApplyFromPmtKey
     WHERE p.CreateUserID = 'stripe' ORDER BY p.TranCmnt`,
  );

/** GL lines whose comment starts with a Stripe id, by account and amount. */
export const glLines = (s: ArSite, stripeId: string) =>
  s.books.sageSql<{ GLAcctNo: string; PostAmt: number }>(
    `SELECT a.GLAcctNo, d.PostAmt FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE d.PostCmnt LIKE ? ORDER BY d.JrnlHdrKey, d.EntryNo`,
    `${stripeId}%`,
  );
