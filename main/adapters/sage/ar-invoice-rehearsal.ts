import type { JournalDocument } from '../../core/sage/documents.js';
import type { BusinessDate } from '../../core/time/business-date.js';
import { CAPTURE_AR_BATCH_ROW, CAPTURE_BATCH_LOG_ROW, SELECT_CUST_ID_BY_KEY } from './ar-statements.js';
import { ArInvoiceWriter } from './ar-invoice-writer.js';
import type { InvoiceTemplate } from './ar-invoice-template.js';
import { selectRowsWhere } from './ar-invoice-statements.js';
import type { ReceiptTemplate } from './ar-receipt-template.js';
import { ArReceiptWriter } from './ar-receipt-writer.js';
import type { DocumentRows } from './golden-capture.js';
import { insideTransaction, RolledBack, type RehearsalStep } from './rehearsal.js';
import { int, numberColumn, textColumn } from './sql-params.js';
import type { SagePort, SqlSession } from './sql-port.js';
import { findXref } from './xref-store.js';

/**
 * `s5sync check --rehearse` for AR invoices for Stripe sales: one invoice of 0.01 to the
 * captured invoice's customer, one line on the mapping's revenue account, written by the real
 * writer, then (where cash receipts are captured) its cash receipt applied to it as a sale's is,
 * all inside a transaction that is always rolled back, and read back whole. Passing is the last
 * of the three proofs that enable the option (main/app/ar-invoice-readiness.ts).
 */

export interface ArInvoiceRehearsalOptions {
  companyId: string;
  userId: string;
  template: InvoiceTemplate;
  /** The site's proved cash receipt, so the rehearsal applies a receipt to the invoice as the sync does; null rehearses the invoice alone. */
  receiptTemplate: ReceiptTemplate | null;
  revenueAcctNo: string;
  clearingAcctNo: string;
  today: BusinessDate;
}

const LABEL = 'AR invoice for a Stripe sale in a pending batch';
const SAMPLE_AMOUNT = '0.010';
const INVOICE_KEY = 'rehearsal:ar-invoice';
const RECEIPT_KEY = 'rehearsal:ar-invoice:receipt';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function samples(port: SagePort, options: ArInvoiceRehearsalOptions): Promise<{ invoice: JournalDocument; receipt: JournalDocument }> {
  const custKey = numberColumn(options.template.invoice.row, 'CustKey');
  const custId = textColumn((await port.query(SELECT_CUST_ID_BY_KEY, { custKey: int(custKey) }))[0] ?? {}, 'CustID');
  if (!custId) throw new Error(`the customer of the captured invoice (CustKey ${custKey}) is no longer in tarCustomer; capture an invoice again`);
  const base = { type: 'journal' as const, postDate: options.today, stripeObjectId: 'ch_rehearsal', lines: [] };
  return {
    invoice: {
      ...base,
      key: INVOICE_KEY,
      description: 'Rehearsal of an AR invoice for a Stripe sale',
      arInvoice: { custId, amount: SAMPLE_AMOUNT, lines: [{ acctNo: options.revenueAcctNo, amount: SAMPLE_AMOUNT, description: 'Stripe sync rehearsal' }], comment: 'Stripe sync rehearsal' },
    },
    receipt: {
      ...base,
      key: RECEIPT_KEY,
      description: 'Rehearsal of the cash receipt of a Stripe sale',
      arReceipt: {
        custId,
        amount: SAMPLE_AMOUNT,
        cashAcctNo: options.clearingAcctNo,
        comment: 'Stripe sync rehearsal',
        applyTo: null,
        applyToOwnInvoice: { docKey: INVOICE_KEY, amount: SAMPLE_AMOUNT },
        matchedBy: 'rehearsal',
      },
    },
  };
}

/** The invoice as written: its batch, header, lines and their distribution rows. */
async function readBack(tx: SqlSession, template: InvoiceTemplate, batchKey: number, invcKey: number): Promise<DocumentRows> {
  const lines = await tx.query(selectRowsWhere(template.line.table, 'InvcKey'), { value: int(invcKey) });
  const distributions = [];
  for (const line of lines) distributions.push(...(await tx.query(selectRowsWhere(template.distribution.table, 'InvoiceLineKey'), { value: int(numberColumn(line, 'InvoiceLineKey')) })));
  return {
    tciBatchLog: await tx.query(CAPTURE_BATCH_LOG_ROW, { batchKey: int(batchKey) }),
    tarBatch: await tx.query(CAPTURE_AR_BATCH_ROW, { batchKey: int(batchKey) }),
    [template.invoice.table]: await tx.query(selectRowsWhere(template.invoice.table, 'InvcKey'), { value: int(invcKey) }),
    [template.line.table]: lines,
    [template.distribution.table]: distributions,
  };
}

function problemIn(rows: DocumentRows, template: InvoiceTemplate): string | null {
  const header = rows[template.invoice.table]?.[0];
  const lines = rows[template.line.table] ?? [];
  const distributions = rows[template.distribution.table] ?? [];
  if (!header) return `no ${template.invoice.table} row read back`;
  if (textColumn(header, 'TranAmt') !== SAMPLE_AMOUNT) return `${template.invoice.table}.TranAmt reads back as ${String(header['TranAmt'])}, written ${SAMPLE_AMOUNT}`;
  if (lines.length !== 1) return `${lines.length} rows in ${template.line.table}, written 1`;
  if (distributions.length !== 1 || textColumn(distributions[0]!, template.distribution.amountColumn) !== SAMPLE_AMOUNT) {
    return `${template.distribution.table} does not read back one row of ${SAMPLE_AMOUNT} in ${template.distribution.amountColumn}`;
  }
  return null;
}

export async function rehearseArInvoice(port: SagePort, options: ArInvoiceRehearsalOptions): Promise<RehearsalStep[]> {
  const steps: RehearsalStep[] = [];
  try {
    const docs = await samples(port, options);
    await port.transaction(async (tx) => {
      try {
        const inside = insideTransaction(port, tx);
        const ref = await new ArInvoiceWriter(inside, { companyId: options.companyId, userId: options.userId, template: options.template }).write(docs.invoice, 0);
        const rows = await readBack(tx, options.template, ref.batchKey ?? -1, ref.sageKey);
        let problem = problemIn(rows, options.template);
        let applied = 'no cash receipt captured, so none applied';
        if (problem === null && options.receiptTemplate) {
          const receipt = await new ArReceiptWriter(inside, { companyId: options.companyId, userId: options.userId, template: options.receiptTemplate }).write(docs.receipt, 0);
          const application = await tx.query(selectRowsWhere(options.receiptTemplate.application.table, 'ApplyFromPmtKey'), { value: int(receipt.sageKey) });
          problem =
            application.length === 1 && application[0]!['ApplyToInvcKey'] === ref.sageKey
              ? null
              : `the cash receipt ${receipt.sageNumber} was not applied to invoice ${ref.sageNumber} (${application.length} application rows in ${options.receiptTemplate.application.table})`;
          applied = `cash receipt ${receipt.sageNumber} applied to it`;
        }
        steps.push({ kind: 'ar-invoice', label: LABEL, passed: problem === null, detail: problem ?? `written and read back (${ref.sageTable} ${ref.sageNumber}, ${applied})`, rows });
      } catch (error) {
        steps.push({ kind: 'ar-invoice', label: LABEL, passed: false, detail: message(error), rows: null });
      }
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) {
      steps.push({ kind: 'ar-invoice', label: LABEL, passed: false, detail: `the rehearsal could not run: ${message(error)}`, rows: null });
      return steps;
    }
  }
  const left = (await findXref(port, options.companyId, INVOICE_KEY)) ?? (await findXref(port, options.companyId, RECEIPT_KEY));
  steps.push(
    left
      ? { kind: 'rollback', label: 'AR invoice rolled back', passed: false, detail: `a cross-reference row remains for ${left.docKey}`, rows: null }
      : { kind: 'rollback', label: 'AR invoice rolled back', passed: true, detail: 'nothing the AR invoice rehearsal wrote is left in Sage', rows: null },
  );
  return steps;
}
