import { SageWriteError } from '../../core/ports/sage-target.js';
import { selectOwnInvoice } from './ar-invoice-statements.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SagePort } from './sql-port.js';
import { findXref } from './xref-store.js';

/**
 * The pending AR invoice this sync wrote for a Stripe sale (ar-invoice-writer.ts), which the
 * sale's cash receipt is applied to: found by its document key in the cross-reference, read back
 * from the table the cross-reference names. Not written (its write failed) means the receipt
 * fails with it and is retried with it: it is never applied to nothing or left on account.
 */
export async function ownInvoice(port: SagePort, companyId: string, what: string, invoiceDocKey: string): Promise<{ invcKey: number; tranId: string; tranDate: string }> {
  const ref = await findXref(port, companyId, invoiceDocKey);
  if (!ref) {
    // Not transient: a transient error stops the write pass, and an invoice that failed for good would hold back every run.
    throw new SageWriteError(`${what}: the AR invoice it pays (${invoiceDocKey}) is not in Sage; retry the receipt once the invoice is written`, 'data', 'tarPendInvoice');
  }
  const params = { invcKey: int(ref.sageKey), companyId: varchar(3, companyId) };
  // Once a user posted the invoice batch, the invoice is in tarInvoice under the same key (S6).
  const row = (await port.query(selectOwnInvoice(ref.sageTable), params))[0] ?? (await port.query(selectOwnInvoice('tarInvoice'), params))[0];
  if (!row) {
    throw new SageWriteError(
      `${what}: the AR invoice ${ref.sageNumber} the sync wrote for this sale (InvcKey ${ref.sageKey}) is no longer in ${ref.sageTable} nor posted in tarInvoice; was its batch deleted in Sage? Apply the payment by hand, or restore the invoice`,
      'data',
      `${ref.sageTable}.InvcKey`,
    );
  }
  return { invcKey: numberColumn(row, 'InvcKey'), tranId: textColumn(row, 'TranID') ?? ref.sageNumber, tranDate: textColumn(row, 'TranDate') ?? '' };
}
