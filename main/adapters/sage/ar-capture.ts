import { CAPTURE_AR_BATCH_ROW, CAPTURE_BATCH_LOG_ROW, captureBatchRows, SELECT_AR_BATCH_TABLES, SELECT_AR_RECEIPT_BATCH_BY_NO } from './ar-statements.js';
import { receiptTemplateFrom, ReceiptTemplateError } from './ar-receipt-template.js';
import { CaptureNotFoundError, type DocumentRows } from './golden-capture.js';
import type { CapturedDocument } from './site-template.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * Reads one AR batch whole: tciBatchLog, tarBatch (S6) and every `tar…` table with a BatchKey
 * column that holds rows of it. Which tables those are is read from the site's catalog, not
 * assumed: the pending receipt and application tables have no public name (docs/sage-sources.md).
 * Used by `s5sync capture cash-receipt` (rows a Sage user keyed) and by the rehearsal's read-back.
 */
export async function readArBatch(session: SqlSession, batchKey: number): Promise<DocumentRows> {
  const params = { batchKey: int(batchKey) };
  const rows: DocumentRows = {
    tciBatchLog: await session.query(CAPTURE_BATCH_LOG_ROW, params),
    tarBatch: await session.query(CAPTURE_AR_BATCH_ROW, params),
  };
  for (const table of await session.query(SELECT_AR_BATCH_TABLES)) {
    const name = textColumn(table, 'TABLE_NAME') ?? '';
    const found = await session.query(captureBatchRows(name), params);
    if (found.length > 0) rows[name] = found;
  }
  return rows;
}

/** A cash-receipt batch (batch type 503) by the number Sage shows; it must hold one receipt applied to an invoice. */
export async function captureCashReceipt(session: SqlSession, companyId: string, batchNo: number, now: Date): Promise<CapturedDocument> {
  const found = (await session.query(SELECT_AR_RECEIPT_BATCH_BY_NO, { companyId: varchar(3, companyId), batchNo: int(batchNo) }))[0];
  if (!found) throw new CaptureNotFoundError(`No cash receipt batch number ${batchNo} in company ${companyId} (tciBatchLog, BatchType 503)`);
  const batchKey = numberColumn(found, 'BatchKey');
  const capture: CapturedDocument = { source: `cash receipt batch ${batchNo} (BatchKey ${batchKey})`, capturedAt: now.toISOString(), tables: await readArBatch(session, batchKey) };
  try {
    receiptTemplateFrom(capture);
  } catch (error) {
    if (error instanceof ReceiptTemplateError) throw new CaptureNotFoundError(error.message);
    throw error;
  }
  return capture;
}
