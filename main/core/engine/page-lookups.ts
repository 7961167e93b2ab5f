import type { Ledger } from '../ports/ledger.js';
import type { AnySyncedObject, StripeBalanceTransaction } from '../stripe/objects.js';

/**
 * The planners' look-ups for one plan-pass page, read from the ledger in one query each when the
 * page starts: a charge's balance transaction was read and parsed two or three times per charge,
 * and its invoice link twice, one query each. Anything not read ahead is read on first use and
 * kept until the next page. Only Stripe data is kept here: the plan pass does not change it.
 *
 * The page's documents are read ahead too, by the documents ledger itself (readAhead): the
 * planners' point reads (a charge's journal, AR receipt and AR invoice by key, the documents
 * tracing the charge or its transaction, a customer's documents, a Stripe invoice's) were some
 * 30,000 queries at 10k objects, most for documents not planned yet. The ledger answers them
 * from that read only while no row has changed since: the write pass's and the pass's own
 * changes drop it at once; a skip or retry committed by another process (`s5sync retry` beside
 * the tray app) is seen once a read past the page has seen it, as by one read transaction
 * (test/adapters/ledger-document-read-ahead.test.ts). Such a change only moves a document to
 * planned or skipped, and saving and withdrawing check the state in SQL again.
 */
export class PageLookups {
  private readonly transactions = new Map<string, StripeBalanceTransaction | null>();
  private readonly invoices = new Map<string, string | null>();

  constructor(private readonly ledger: Ledger) {}

  /** Forgets the previous page and reads this page's transactions, invoice links and documents. */
  startPage(objects: readonly AnySyncedObject[]): void {
    this.transactions.clear();
    this.invoices.clear();
    const transactionIds: string[] = [];
    const paymentIds: string[] = [];
    for (const object of objects) {
      if (object.object === 'charge' || object.object === 'refund' || object.object === 'payout') {
        for (const field of [object.balance_transaction, object.failure_balance_transaction]) if (typeof field === 'string') transactionIds.push(field);
      }
      if (object.object === 'charge') paymentIds.push(object.id);
      if (object.object === 'charge' || object.object === 'refund') {
        for (const id of [object.object === 'refund' ? object.charge : null, object.payment_intent]) if (typeof id === 'string') paymentIds.push(id);
      }
    }
    const transactions = this.ledger.objects.balanceTransactions(transactionIds);
    for (const id of transactionIds) this.transactions.set(id, transactions.get(id) ?? null);
    const invoices = this.ledger.objects.invoicesForPayments(paymentIds);
    for (const id of paymentIds) this.invoices.set(id, invoices.get(id) ?? null);
    const objectIds = objects.map((object) => object.id);
    // A charge's planners also ask for its invoice's documents (`in_…:paid`, its AR invoice).
    const invoiceIds = [...new Set(invoices.values())];
    this.ledger.documents.readAhead({ keyOwners: [...objectIds, ...invoiceIds], objectIds, traceIds: [...objectIds, ...transactionIds, ...invoiceIds] });
  }

  /** Drops the page's documents read ahead (the page is saved; memory is the next page's). */
  endPage(): void {
    this.ledger.documents.forgetReadAhead();
  }

  balanceTransaction(id: string): StripeBalanceTransaction | null {
    if (!this.transactions.has(id)) this.transactions.set(id, this.ledger.objects.getBalanceTransaction(id));
    return this.transactions.get(id)!;
  }

  /** The invoice a payment (a charge id or a PaymentIntent id) is linked to. */
  invoiceForPayment(paymentId: string): string | null {
    if (!this.invoices.has(paymentId)) this.invoices.set(paymentId, this.ledger.objects.invoiceForCharge(paymentId));
    return this.invoices.get(paymentId)!;
  }
}
