import {
  CAPTURE_ADDRESS,
  CAPTURE_BATCH_LOG,
  CAPTURE_CONTACT,
  CAPTURE_CUST_ADDR,
  CAPTURE_CUST_DOC_TRNSMIT,
  CAPTURE_CUST_STATUS,
  CAPTURE_CUSTOMER,
  CAPTURE_GL_BATCH,
  CAPTURE_JOURNAL_DETL,
  CAPTURE_JOURNAL_HDR,
  CAPTURE_JOURNAL_LOG,
  CAPTURE_SALES_ORD_LOG,
  CAPTURE_SALES_ORDER,
  CAPTURE_SO_LINE,
  CAPTURE_SO_LINE_DIST,
  SELECT_CUSTOMER_KEY,
  SELECT_GL_BATCH_BY_NO,
  SELECT_SALES_ORDER_KEY,
} from './capture-statements.js';
import type { CapturedDocument } from './site-template.js';
import { int, numberColumn, varchar } from './sql-params.js';
import type { SqlParams, SqlRow, SqlSession } from './sql-port.js';

/**
 * Reads every column of every row of one Sage document: for `s5sync capture` (rows a Sage
 * user keyed by hand) and for the rehearsal's read-back (rows our writer just wrote). The
 * same readers on both sides make the comparison column for column.
 */

export type DocumentRows = Record<string, SqlRow[]>;

export class CaptureNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureNotFoundError';
  }
}

async function readAll(session: SqlSession, reads: readonly [string, string][], params: SqlParams): Promise<DocumentRows> {
  const rows: DocumentRows = {};
  for (const [table, sql] of reads) rows[table] = await session.query(sql, params);
  return rows;
}

export function readGlBatch(session: SqlSession, batchKey: number): Promise<DocumentRows> {
  return readAll(
    session,
    [
      ['tciBatchLog', CAPTURE_BATCH_LOG], ['tglBatch', CAPTURE_GL_BATCH], ['tglJournalLog', CAPTURE_JOURNAL_LOG], ['tglJournalHdr', CAPTURE_JOURNAL_HDR],
      ['tglJournalDetl', CAPTURE_JOURNAL_DETL],
    ],
    { batchKey: int(batchKey) },
  );
}

export function readCustomer(session: SqlSession, custKey: number): Promise<DocumentRows> {
  return readAll(
    session,
    [
      ['tarCustomer', CAPTURE_CUSTOMER], ['tciAddress', CAPTURE_ADDRESS], ['tciContact', CAPTURE_CONTACT], ['tarCustAddr', CAPTURE_CUST_ADDR],
      ['tarCustStatus', CAPTURE_CUST_STATUS], ['tarCustDocTrnsmit', CAPTURE_CUST_DOC_TRNSMIT],
    ],
    { custKey: int(custKey) },
  );
}

export function readSalesOrder(session: SqlSession, soKey: number): Promise<DocumentRows> {
  return readAll(
    session,
    [['tsoSalesOrdLog', CAPTURE_SALES_ORD_LOG], ['tsoSalesOrder', CAPTURE_SALES_ORDER], ['tsoSOLine', CAPTURE_SO_LINE], ['tsoSOLineDist', CAPTURE_SO_LINE_DIST]],
    { soKey: int(soKey) },
  );
}

function captured(source: string, tables: DocumentRows, now: Date): CapturedDocument {
  return { source, capturedAt: now.toISOString(), tables };
}

/** A GL batch (batch type 301) by the batch number Sage shows. */
export async function captureGlBatch(session: SqlSession, companyId: string, batchNo: number, now: Date): Promise<CapturedDocument> {
  const found = (await session.query(SELECT_GL_BATCH_BY_NO, { companyId: varchar(3, companyId), batchNo: int(batchNo) }))[0];
  if (!found) throw new CaptureNotFoundError(`No GL journal batch number ${batchNo} in company ${companyId} (tciBatchLog, BatchType 301)`);
  const batchKey = numberColumn(found, 'BatchKey');
  const tables = await readGlBatch(session, batchKey);
  if ((tables['tglJournalHdr'] ?? []).length === 0) {
    throw new CaptureNotFoundError(`GL batch ${batchNo} has no journal entry (tglJournalHdr); key one entry into it in Sage, save it without posting, and capture again`);
  }
  return captured(`GL batch ${batchNo} (BatchKey ${batchKey})`, tables, now);
}

export async function captureCustomer(session: SqlSession, companyId: string, custId: string, now: Date): Promise<CapturedDocument> {
  const found = (await session.query(SELECT_CUSTOMER_KEY, { companyId: varchar(3, companyId), custId: varchar(12, custId) }))[0];
  if (!found) throw new CaptureNotFoundError(`No customer ${custId} in company ${companyId} (tarCustomer.CustID)`);
  const custKey = numberColumn(found, 'CustKey');
  return captured(`customer ${custId} (CustKey ${custKey})`, await readCustomer(session, custKey), now);
}

/** Sage shows order numbers without the zero padding it stores (TranNo varchar(10), sources S4, S8, docs/sage-sources.md). */
export function sageTranNo(entered: string): string {
  const trimmed = entered.trim();
  return /^\d{1,10}$/.test(trimmed) ? trimmed.padStart(10, '0') : trimmed;
}

export async function captureSalesOrder(session: SqlSession, companyId: string, tranNo: string, now: Date): Promise<CapturedDocument> {
  const stored = sageTranNo(tranNo);
  const found = (await session.query(SELECT_SALES_ORDER_KEY, { companyId: varchar(3, companyId), tranNo: varchar(10, stored) }))[0];
  if (!found) throw new CaptureNotFoundError(`No sales order ${stored} in company ${companyId} (tsoSalesOrder.TranNo, TranType 801)`);
  const soKey = numberColumn(found, 'SOKey');
  return captured(`sales order ${stored} (SOKey ${soKey})`, await readSalesOrder(session, soKey), now);
}
