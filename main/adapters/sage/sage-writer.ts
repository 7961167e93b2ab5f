import {
  SageWriteError,
  type CustomerQuery,
  type JournalInSage,
  type SageCustomerMatch,
  type SageTarget,
  type WriteContext,
  type WriteOutcome,
} from '../../core/ports/sage-target.js';
import { isGlJournal, type CustomerDocument, type JournalDocument, type SageDocument, type SageRef, type SalesOrderDocument } from '../../core/sage/documents.js';
import { ArInvoiceWriter } from './ar-invoice-writer.js';
import type { InvoiceTemplate } from './ar-invoice-template.js';
import { ArReceiptWriter } from './ar-receipt-writer.js';
import type { ReceiptTemplate } from './ar-receipt-template.js';
import { CustomerWriter } from './customer-writer.js';
import { PUBLIC_JOURNAL_CODES, type JournalCodes } from './journal-codes.js';
import { JournalWriter } from './journal-writer.js';
import { SalesOrderWriter } from './sales-order-writer.js';
import { SiteUnicodeColumns } from './unicode-columns.js';
import { toSageWriteError } from './sage-errors.js';
import type { SagePort } from './sql-port.js';
import { findXrefs } from './xref-store.js';
import { findJournalsInSage } from './journals-in-sage.js';
import { SerialQueue } from '../../core/async/serial-queue.js';

export interface SageWriterOptions {
  /** Sage CompanyID, varchar(3). */
  companyId: string;
  /** The Sage user created for the integration (tsmUser.UserID); stamped as creator. */
  userId: string;
  /** tglJournal.JrnlID the journals go to, e.g. 'GJ'. */
  journalId: string;
  /** Default warehouse for sales-order lines; null lets Sage default it. */
  warehouseId?: string | null;
  /** GL code values from the site's golden batch (journal-codes.ts); the public defaults when absent. */
  journalCodes?: JournalCodes;
  /** The site's captured cash receipt (ar-receipt-template.ts); without it no AR cash receipt is written. */
  receiptTemplate?: ReceiptTemplate | null;
  /** The site's captured AR invoice (ar-invoice-template.ts); without it no AR invoice is written. */
  invoiceTemplate?: InvoiceTemplate | null;
}

/**
 * The SageTarget over the narrow SQL port: the same writer runs against SQL Server and the
 * sandbox. Writes are serialized: one writer per company (two could take the same batch and document numbers), and a run's GL
 * batch is created once and then shared by its journals.
 */
export class SageWriter implements SageTarget {
  private readonly journals: JournalWriter;
  private readonly customers: CustomerWriter;
  private readonly salesOrders: SalesOrderWriter;
  private readonly receipts: ArReceiptWriter | null;
  private readonly invoices: ArInvoiceWriter | null;
  private readonly queue = new SerialQueue();

  constructor(
    private readonly port: SagePort,
    private readonly options: SageWriterOptions,
  ) {
    const { companyId, userId, journalId } = options;
    const unicode = new SiteUnicodeColumns(port);
    this.journals = new JournalWriter(port, { companyId, userId, journalId, codes: options.journalCodes ?? PUBLIC_JOURNAL_CODES }, unicode);
    this.customers = new CustomerWriter(port, { companyId, userId }, unicode);
    this.salesOrders = new SalesOrderWriter(port, { companyId, userId, warehouseId: options.warehouseId ?? null }, unicode);
    this.receipts = options.receiptTemplate ? new ArReceiptWriter(port, { companyId, userId, template: options.receiptTemplate }) : null;
    this.invoices = options.invoiceTemplate ? new ArInvoiceWriter(port, { companyId, userId, template: options.invoiceTemplate }) : null;
  }

  /**
   * One document and its cross-reference row in one Sage transaction; idempotent by `doc.key`.
   * Not part of SageTarget (the engine writes through writeMany): the rehearsal uses it to
   * write inside its own rolled-back transaction and stop at the first failure.
   */
  write(doc: SageDocument, context: WriteContext): Promise<SageRef> {
    return this.queue.run(() => this.writeNow(doc, context));
  }

  writeMany(docs: readonly SageDocument[], context: WriteContext): Promise<WriteOutcome[]> {
    return this.queue.run(() => this.writeManyNow(docs, context));
  }

  /**
   * A chunk in groups, each in a few round trips whatever its size: the new customers (one
   * staging session), the GL journals (one transaction), the sales orders (one staging session),
   * after the customers they may name; then AR invoices one by one, then the AR cash receipts (one transaction), which may be applied to those invoices. GL
   * journals name no customer, so writing them after the chunk's customers changes nothing in
   * Sage. Each document still gets its own outcome, in the order given.
   */
  private async writeManyNow(docs: readonly SageDocument[], context: WriteContext): Promise<WriteOutcome[]> {
    const outcomes = new Map<SageDocument, WriteOutcome>();
    const customers = docs.filter((doc): doc is CustomerDocument => doc.type === 'customer');
    const journals = docs.filter(isGlJournal);
    if (customers.length > 0) {
      try {
        for (const [index, outcome] of (await this.customers.writeMany(customers)).entries()) {
          outcomes.set(customers[index]!, 'error' in outcome ? { error: toSageWriteError(outcome.error, `customer ${customers[index]!.key}`) } : outcome);
        }
      } catch (error) {
        for (const doc of customers) outcomes.set(doc, { error: toSageWriteError(error, `customer ${doc.key}`) });
      }
    }
    if (journals.length > 0) {
      for (const [index, outcome] of (await this.journals.writeMany(journals, context.runId, context.warn)).entries()) {
        outcomes.set(journals[index]!, 'error' in outcome ? { error: toSageWriteError(outcome.error, `journal ${journals[index]!.key}`) } : outcome);
      }
    }
    const orders = docs.filter((doc): doc is SalesOrderDocument => doc.type === 'sales_order');
    if (orders.length > 0) {
      try {
        for (const [index, outcome] of (await this.salesOrders.writeMany(orders, context.warn)).entries()) {
          outcomes.set(orders[index]!, 'error' in outcome ? { error: toSageWriteError(outcome.error, `sales_order ${orders[index]!.key}`) } : outcome);
        }
      } catch (error) {
        for (const doc of orders) outcomes.set(doc, { error: toSageWriteError(error, `sales_order ${doc.key}`) });
      }
    }
    // AR invoices one by one, before the receipts: a Stripe sale's receipt is applied to its invoice.
    const failedInvoices = new Map<string, unknown>();
    for (const doc of docs) {
      if (doc.type !== 'journal' || !doc.arInvoice) continue;
      try {
        outcomes.set(doc, { ref: await this.writeNow(doc, context) });
      } catch (error) {
        outcomes.set(doc, { error });
        failedInvoices.set(doc.key, error);
      }
    }
    // A receipt whose invoice just failed shares its fate (and its error class): it is retried with it, never applied elsewhere.
    const receipts = docs.filter((doc): doc is JournalDocument => {
      if (doc.type !== 'journal' || doc.arReceipt === undefined) return false;
      const invoiceError = doc.arReceipt.applyToOwnInvoice ? failedInvoices.get(doc.arReceipt.applyToOwnInvoice.docKey) : undefined;
      if (invoiceError === undefined) return true;
      outcomes.set(doc, { error: invoiceNotWritten(doc.key, doc.arReceipt.applyToOwnInvoice!.docKey, invoiceError) });
      return false;
    });
    if (receipts.length > 0 && !this.receipts) {
      for (const doc of receipts) outcomes.set(doc, { error: noReceiptCaptured(doc.key) });
    } else if (this.receipts && receipts.length > 0) {
      try {
        for (const [index, outcome] of (await this.receipts.writeMany(receipts, context.runId, context.warn)).entries()) {
          outcomes.set(receipts[index]!, 'error' in outcome ? { error: toSageWriteError(outcome.error, `journal ${receipts[index]!.key}`) } : outcome);
        }
      } catch (error) {
        for (const doc of receipts) outcomes.set(doc, { error: toSageWriteError(error, `journal ${doc.key}`) });
      }
    }
    return docs.map((doc) => outcomes.get(doc)!);
  }

  private async writeNow(doc: SageDocument, context: WriteContext): Promise<SageRef> {
    try {
      switch (doc.type) {
        case 'journal':
          if (doc.arInvoice) return await this.writeInvoice(doc, context.runId);
          return doc.arReceipt ? await this.writeReceipt(doc, context.runId) : await this.journals.write(doc, context.runId, context.warn);
        case 'customer':
          return await this.customers.write(doc);
        case 'sales_order':
          return await this.salesOrders.write(doc, context.warn);
      }
    } catch (error) {
      throw toSageWriteError(error, `${doc.type} ${doc.key}`);
    }
  }

  private writeReceipt(doc: JournalDocument, runId: number): Promise<SageRef> {
    if (!this.receipts) throw noReceiptCaptured(doc.key);
    return this.receipts.write(doc, runId);
  }

  private writeInvoice(doc: JournalDocument, runId: number): Promise<SageRef> {
    if (!this.invoices) {
      throw new SageWriteError(
        `${doc.key} is an AR invoice, but no AR invoice was captured on this site; run \`s5sync capture ar-invoice <BatchNo>\` and \`s5sync check --rehearse\` (docs/sage-setup.md), or turn AR invoices for Stripe sales off`,
        'configuration',
        'tarPendInvoice',
      );
    }
    return this.invoices.write(doc, runId);
  }

  async findWritten(docKeys: readonly string[]): Promise<Map<string, SageRef>> {
    try {
      return await findXrefs(this.port, this.options.companyId, docKeys);
    } catch (error) {
      throw toSageWriteError(error, 'Reading tciStripeXref_STRIPE');
    }
  }

  async journalsInSage(docKeys: readonly string[]): Promise<Map<string, JournalInSage>> {
    try {
      return await findJournalsInSage(this.port, this.options.companyId, docKeys);
    } catch (error) {
      throw toSageWriteError(error, 'Reading journals from tciStripeXref_STRIPE, tglJournalDetl and tglTransaction');
    }
  }

  async unicodeCustomerFields(): Promise<ReadonlySet<string>> {
    try {
      return await this.customers.unicodeColumns();
    } catch (error) {
      throw toSageWriteError(error, 'Reading the StgCustomer column types');
    }
  }

  async findCustomer(query: CustomerQuery): Promise<SageCustomerMatch | null> {
    try {
      return await this.customers.find(query);
    } catch (error) {
      throw toSageWriteError(error, 'Looking up the Sage customer');
    }
  }

  async findCustomers(queries: readonly CustomerQuery[]): Promise<(SageCustomerMatch | null)[]> {
    try {
      return await this.customers.findMany(queries);
    } catch (error) {
      throw toSageWriteError(error, 'Looking up the Sage customers');
    }
  }
}

function noReceiptCaptured(docKey: string): SageWriteError {
  return new SageWriteError(
    `${docKey} is an AR cash receipt, but no cash receipt was captured on this site; run \`s5sync capture cash-receipt <BatchNo>\` and \`s5sync check --rehearse\` (docs/sage-setup.md), or turn AR payments off`,
    'configuration',
    'tarBatch',
  );
}

function invoiceNotWritten(receiptKey: string, invoiceKey: string, error: unknown): SageWriteError {
  const cause = toSageWriteError(error, `journal ${invoiceKey}`);
  return new SageWriteError(`Cash receipt ${receiptKey}: its AR invoice ${invoiceKey} was not written (${cause.message})`, cause.errorClass, cause.sageField);
}
