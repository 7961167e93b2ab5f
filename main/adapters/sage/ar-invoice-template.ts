import type { CapturedDocument } from './site-template.js';
import { sageIdentifier } from './ar-statements.js';
import type { SqlRow } from './sql-port.js';

/**
 * The site's own AR invoice, as `s5sync capture ar-invoice` read it (issue #21 item 4): which
 * tables hold a pending invoice, its line and the line's GL distribution on this site, and the
 * code values its rows carry. The header is recognised by tarInvoice's columns (S7), the line by
 * S14's tarInvoiceDetl columns, the distribution by what it must hold (the line's key and a GL
 * account key); its table name and the column carrying the line's amount are read from the
 * capture, never assumed (sage500.md §3.6: the name is UNVERIFIED).
 */

const INVOICE_COLUMNS = ['InvcKey', 'BatchKey', 'CustKey', 'TranType', 'TranNo', 'TranID', 'TranDate', 'TranAmt'] as const;
const LINE_COLUMNS = ['InvoiceLineKey', 'InvcKey', 'ExtAmt'] as const;
const DISTRIBUTION_COLUMNS = ['InvoiceLineKey', 'GLAcctKey'] as const;

export interface InvoiceTemplate {
  /** "AR invoice batch 41 (BatchKey 9)", for messages. */
  source: string;
  capturedAt: string;
  /** The golden batch's tciBatchLog.BatchType (501 on every site S6 describes). */
  batchType: number;
  invoice: { table: string; row: SqlRow };
  line: { table: string; row: SqlRow };
  /** The line's GL distribution row, and which of its columns carries the line's amount. */
  distribution: { table: string; row: SqlRow; amountColumn: string };
  /** TranType of the invoice: the tciTranTypeCompany counter its numbers come from. */
  tranType: number;
  tranIdAround: { before: string; after: string };
}

export class InvoiceTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvoiceTemplateError';
  }
}

export const HOW_TO_CAPTURE_INVOICE =
  'Have a Sage user enter one AR invoice for an existing customer in a new invoice batch, with one line that has no item, salesperson or sales tax and is distributed to one revenue account, save it without posting, and run `s5sync capture ar-invoice <BatchNo>` (docs/sage-setup.md)';

const hasAll = (row: SqlRow | undefined, columns: readonly string[]): boolean => row !== undefined && columns.every((column) => column in row);

function thousandths(value: string | number | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const match = /^(-?)(\d+)(?:\.(\d{1,3}))?0*$/.exec(String(value).trim());
  if (!match) return null;
  const amount = BigInt(match[2]!) * 1000n + BigInt((match[3] ?? '').padEnd(3, '0'));
  return match[1] === '-' ? -amount : amount;
}

function only(capture: CapturedDocument, what: string, found: [string, SqlRow[]][]): { table: string; row: SqlRow } {
  if (found.length !== 1 || found[0]![1].length !== 1) {
    throw new InvoiceTemplateError(`${capture.source} does not hold exactly one ${what} (found ${found.reduce((n, [, rows]) => n + rows.length, 0)}). ${HOW_TO_CAPTURE_INVOICE}.`);
  }
  return { table: sageIdentifier(found[0]![0]), row: found[0]![1][0]! };
}

export function invoiceTemplateFrom(capture: CapturedDocument): InvoiceTemplate {
  const tables = Object.entries(capture.tables);
  const invoice = only(capture, `pending AR invoice (a row with ${INVOICE_COLUMNS.join(', ')})`, tables.filter(([, rows]) => hasAll(rows[0], INVOICE_COLUMNS)));
  const line = only(capture, `invoice line (a row with ${LINE_COLUMNS.join(', ')})`, tables.filter(([, rows]) => hasAll(rows[0], LINE_COLUMNS)));
  const distribution = only(
    capture,
    `GL distribution of the line (a row with ${DISTRIBUTION_COLUMNS.join(', ')})`,
    tables.filter(([table, rows]) => table !== line.table && hasAll(rows[0], DISTRIBUTION_COLUMNS)),
  );
  const batchLog = capture.tables['tciBatchLog']?.[0];
  if (!batchLog || !capture.tables['tarBatch']?.[0]) throw new InvoiceTemplateError(`${capture.source} has no tciBatchLog or tarBatch row. ${HOW_TO_CAPTURE_INVOICE}.`);
  if (invoice.row['InvcKey'] !== line.row['InvcKey'] || distribution.row['InvoiceLineKey'] !== line.row['InvoiceLineKey']) {
    throw new InvoiceTemplateError(`${capture.source}: the line or its distribution does not belong to the captured invoice. ${HOW_TO_CAPTURE_INVOICE}.`);
  }
  const lineAmount = thousandths(line.row['ExtAmt']);
  const amountColumns = Object.entries(distribution.row)
    .filter(([column, value]) => /Amt/.test(column) && lineAmount !== null && lineAmount !== 0n && thousandths(value) === lineAmount)
    .map(([column]) => column);
  if (amountColumns.length !== 1) {
    throw new InvoiceTemplateError(
      `${capture.source}: ${amountColumns.length === 0 ? 'no' : 'more than one'} column of ${distribution.table} carries the line's amount ${String(line.row['ExtAmt'])}, so the sync cannot tell where a line's amount goes on this site; send this line to your Sage partner`,
    );
  }
  const tranNo = String(invoice.row['TranNo'] ?? '').trim();
  const tranId = String(invoice.row['TranID'] ?? '').trim();
  const at = tranNo === '' ? -1 : tranId.indexOf(tranNo);
  if (at < 0) throw new InvoiceTemplateError(`${capture.source}: TranID "${tranId}" does not contain TranNo "${tranNo}", so the sync cannot number invoices the way this site does; send this line to your Sage partner`);
  const batchType = Number(batchLog['BatchType']);
  const tranType = Number(invoice.row['TranType']);
  if (!Number.isSafeInteger(batchType) || !Number.isSafeInteger(tranType)) throw new InvoiceTemplateError(`${capture.source}: BatchType or TranType is not a number`);
  return {
    source: capture.source,
    capturedAt: capture.capturedAt,
    batchType,
    invoice,
    line,
    distribution: { ...distribution, amountColumn: sageIdentifier(amountColumns[0]!) },
    tranType,
    tranIdAround: { before: tranId.slice(0, at), after: tranId.slice(at + tranNo.length) },
  };
}
