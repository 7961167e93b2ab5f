import type { JournalDocument } from '../../core/sage/documents.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { readArBatch } from './ar-capture.js';
import { SageOpenInvoices } from './ar-open-invoices.js';
import type { ReceiptTemplate } from './ar-receipt-template.js';
import { ArReceiptWriter } from './ar-receipt-writer.js';
import { SELECT_CUST_ID_BY_KEY } from './ar-statements.js';
import { insideTransaction, RolledBack, type RehearsalStep } from './rehearsal.js';
import { int, numberColumn, textColumn } from './sql-params.js';
import type { SagePort } from './sql-port.js';
import { findXref } from './xref-store.js';

/**
 * `s5sync check --rehearse` for AR cash receipts: one receipt of 0.01 from the captured
 * receipt's customer, applied to one of its open invoices when it has one (else on account),
 * written by the real writer inside a transaction that is always rolled back, then read back
 * whole (readArBatch). Passing is the last of the three proofs that enable AR payments.
 */

export interface ArRehearsalOptions {
  companyId: string;
  userId: string;
  template: ReceiptTemplate;
  /** The mapping's Stripe clearing account, the receipts' cash account. */
  clearingAcctNo: string;
  today: BusinessDate;
}

const LABEL = 'AR cash receipt in a pending batch';
const SAMPLE_AMOUNT = '0.010';
const SAMPLE_KEY = 'rehearsal:ar-cash-receipt';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function sample(port: SagePort, options: ArRehearsalOptions): Promise<JournalDocument> {
  const custKey = numberColumn(options.template.receipt.row, 'CustKey');
  const custId = textColumn((await port.query(SELECT_CUST_ID_BY_KEY, { custKey: int(custKey) }))[0] ?? {}, 'CustID');
  if (!custId) throw new Error(`the customer of the captured receipt (CustKey ${custKey}) is no longer in tarCustomer; capture a receipt again`);
  const invoice = (await new SageOpenInvoices(port, options.companyId, options.template.application.table).ofCustomer(custId))[0] ?? null;
  return {
    type: 'journal',
    key: SAMPLE_KEY,
    postDate: options.today,
    stripeObjectId: 'ch_rehearsal',
    description: 'Rehearsal of an AR cash receipt',
    lines: [],
    arReceipt: {
      custId,
      amount: SAMPLE_AMOUNT,
      cashAcctNo: options.clearingAcctNo,
      comment: 'Stripe sync rehearsal',
      applyTo: invoice ? { invcKey: invoice.invcKey, tranId: invoice.tranId, amount: SAMPLE_AMOUNT } : null,
      matchedBy: 'rehearsal',
    },
  };
}

export async function rehearseCashReceipt(port: SagePort, options: ArRehearsalOptions): Promise<RehearsalStep[]> {
  const steps: RehearsalStep[] = [];
  try {
    const doc = await sample(port, options);
    await port.transaction(async (tx) => {
      try {
        const writer = new ArReceiptWriter(insideTransaction(port, tx), { companyId: options.companyId, userId: options.userId, template: options.template });
        const ref = await writer.write(doc, 0);
        const rows = await readArBatch(tx, ref.batchKey ?? -1);
        const receipt = (rows[options.template.receipt.table] ?? []).find((row) => row['CustPmtKey'] === ref.sageKey);
        const applications = (rows[options.template.application.table] ?? []).filter((row) => row['ApplyFromPmtKey'] === ref.sageKey);
        const problem = !receipt
          ? `no ${options.template.receipt.table} row ${ref.sageKey} in batch ${String(ref.batchKey)}`
          : textColumn(receipt, 'TranAmt') !== SAMPLE_AMOUNT
            ? `${options.template.receipt.table}.TranAmt reads back as ${String(receipt['TranAmt'])}, written ${SAMPLE_AMOUNT}`
            : applications.length !== (doc.arReceipt?.applyTo ? 1 : 0)
              ? `${applications.length} application rows in ${options.template.application.table}, written ${doc.arReceipt?.applyTo ? 1 : 0}`
              : null;
        const applied = doc.arReceipt?.applyTo ? `applied to ${doc.arReceipt.applyTo.tranId}` : 'on account (the customer has no open invoice)';
        steps.push({ kind: 'cash-receipt', label: LABEL, passed: problem === null, detail: problem ?? `written and read back (${ref.sageTable} ${ref.sageNumber}, ${applied})`, rows });
      } catch (error) {
        steps.push({ kind: 'cash-receipt', label: LABEL, passed: false, detail: message(error), rows: null });
      }
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) {
      steps.push({ kind: 'cash-receipt', label: LABEL, passed: false, detail: `the rehearsal could not run: ${message(error)}`, rows: null });
      return steps;
    }
  }
  const left = await findXref(port, options.companyId, SAMPLE_KEY);
  steps.push(
    left
      ? { kind: 'rollback', label: 'Cash receipt rolled back', passed: false, detail: `a cross-reference row remains for ${SAMPLE_KEY}`, rows: null }
      : { kind: 'rollback', label: 'Cash receipt rolled back', passed: true, detail: 'nothing the cash receipt rehearsal wrote is left in Sage', rows: null },
  );
  return steps;
}
