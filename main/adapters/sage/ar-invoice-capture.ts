import { readArBatch } from './ar-capture.js';
import { invoiceTemplateFrom, InvoiceTemplateError } from './ar-invoice-template.js';
import { SELECT_AR_INVOICE_BATCH_BY_NO, SELECT_AR_TABLES_WITH_COLUMN, selectRowsWhere } from './ar-invoice-statements.js';
import { CaptureNotFoundError, type DocumentRows } from './golden-capture.js';
import type { CapturedDocument } from './site-template.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * `s5sync capture ar-invoice <BatchNo>`: an AR invoice batch (501) a Sage user keyed, whole. The
 * batch's own rows (readArBatch: every tar… table with a BatchKey column), then the rows of every
 * tar… table keyed by the batch's invoices (InvcKey: the lines) and by those lines
 * (InvoiceLineKey: the line's GL distribution). Which tables those are is read from the site's
 * catalog: the distribution table has no public name (sage500.md §3.6).
 */

/** Rows of every AR table with `column` whose value is one of `values`, beside the tables already read. */
async function rowsKeyedBy(session: SqlSession, rows: DocumentRows, column: string, values: readonly number[]): Promise<void> {
  if (values.length === 0) return;
  for (const table of await session.query(SELECT_AR_TABLES_WITH_COLUMN, { columnName: varchar(128, column) })) {
    const name = textColumn(table, 'TABLE_NAME') ?? '';
    // tarInvoice holds posted invoices: the pending one shares its key but is never there.
    if (name in rows || name === 'tarInvoice') continue;
    const found = [];
    for (const value of values) found.push(...(await session.query(selectRowsWhere(name, column), { value: int(value) })));
    if (found.length > 0) rows[name] = found;
  }
}

function keysOf(rows: DocumentRows, column: string): number[] {
  return [...new Set(Object.values(rows).flatMap((list) => list.filter((row) => typeof row[column] === 'number').map((row) => numberColumn(row, column))))];
}

export async function captureArInvoice(session: SqlSession, companyId: string, batchNo: number, now: Date): Promise<CapturedDocument> {
  const found = (await session.query(SELECT_AR_INVOICE_BATCH_BY_NO, { companyId: varchar(3, companyId), batchNo: int(batchNo) }))[0];
  if (!found) throw new CaptureNotFoundError(`No AR invoice batch number ${batchNo} in company ${companyId} (tciBatchLog, BatchType 501)`);
  const batchKey = numberColumn(found, 'BatchKey');
  const rows = await readArBatch(session, batchKey);
  await rowsKeyedBy(session, rows, 'InvcKey', keysOf(rows, 'InvcKey'));
  await rowsKeyedBy(session, rows, 'InvoiceLineKey', keysOf(rows, 'InvoiceLineKey'));
  const capture: CapturedDocument = { source: `AR invoice batch ${batchNo} (BatchKey ${batchKey})`, capturedAt: now.toISOString(), tables: rows };
  try {
    invoiceTemplateFrom(capture);
  } catch (error) {
    if (error instanceof InvoiceTemplateError) throw new CaptureNotFoundError(error.message);
    throw error;
  }
  return capture;
}
