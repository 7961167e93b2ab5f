import type { SageAmount } from '../money/sage-amount.js';
import type { BusinessDate } from '../time/business-date.js';

/**
 * The port through which matching reads Sage's open AR invoices (posted `tarInvoice` rows with
 * a balance, source S7, docs/sage-sources.md). The adapter subtracts what pending applications
 * in unposted batches already take, so two payments never both see the full balance.
 */

export interface OpenInvoice {
  /** tarInvoice.InvcKey. */
  invcKey: number;
  /** tarInvoice.TranID as Sage shows it (trimmed). */
  tranId: string;
  /** tarInvoice.TranNo, zero-padded to 10 as Sage stores it. */
  tranNo: string;
  /** The invoice's customer (tarCustomer.CustID). */
  custId: string;
  tranDate: BusinessDate;
  /** Home-currency balance still open: BalanceHC less pending applications. */
  openBalance: SageAmount;
}

export interface OpenInvoiceReader {
  /** Open invoices whose TranID, or zero-padded TranNo, is one of these references (see invoice-references.ts). */
  byReference(references: readonly string[]): Promise<OpenInvoice[]>;
  /** Every open invoice of one customer. */
  ofCustomer(custId: string): Promise<OpenInvoice[]>;
}
