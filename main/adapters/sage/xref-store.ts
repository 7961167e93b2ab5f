import type { SageRef } from '../../core/sage/documents.js';
import { SYNC_STATE_CREATED } from './sage-codes.js';
import { int, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import { selectByKeys } from './many-rows.js';
import type { SqlParams, SqlRow, SqlSession } from './sql-port.js';
import { INSERT_XREF, SELECT_XREF_BY_DOC_KEY, SELECT_XREF_KEYS_FOR_COMPANY } from './statements.js';

/** Reads and writes tciStripeXref_STRIPE rows: Stripe object → where the document lives in Sage. */

/** Where a document lives in Sage, from a tciStripeXref_STRIPE row (its own columns, under any query that selects them). */
export function xrefRowRef(docKey: string, row: SqlRow): SageRef {
  const batchKey = row['BatchKey'];
  return {
    docKey,
    sageTable: textColumn(row, 'SageTable') ?? '',
    sageKey: numberColumn(row, 'SageKey'),
    sageNumber: textColumn(row, 'SageNumber') ?? '',
    batchKey: batchKey === null || batchKey === undefined ? null : numberColumn(row, 'BatchKey'),
  };
}

export async function findXref(session: SqlSession, companyId: string, docKey: string): Promise<SageRef | null> {
  const rows = await session.query(SELECT_XREF_BY_DOC_KEY, { companyId: varchar(3, companyId), docKey: varchar(100, docKey) });
  const row = rows[0];
  return row ? xrefRowRef(docKey, row) : null;
}

/** Keys per lookup: well within SQL Server's 2,100 parameters. */
const KEYS_PER_LOOKUP = 1_000;

/** The xref rows of many documents, one query per thousand keys. */
export async function findXrefs(session: SqlSession, companyId: string, docKeys: readonly string[]): Promise<Map<string, SageRef>> {
  const found = new Map<string, SageRef>();
  const unique = [...new Set(docKeys)];
  for (let start = 0; start < unique.length; start += KEYS_PER_LOOKUP) {
    const keys = unique.slice(start, start + KEYS_PER_LOOKUP);
    const { sql, params } = selectByKeys(SELECT_XREF_BY_DOC_KEY, 'DocKey', 'docKey', keys.map((key) => varchar(100, key)));
    for (const row of await session.query(sql, { ...params, companyId: varchar(3, companyId) })) {
      const docKey = textColumn(row, 'DocKey') ?? '';
      found.set(docKey, xrefRowRef(docKey, row));
    }
  }
  return found;
}

/** Every document the company's cross-reference holds (everything the sync ever wrote there): its key and Sage table. */
export async function listXrefKeys(session: SqlSession, companyId: string): Promise<{ docKey: string; sageTable: string }[]> {
  const rows = await session.query(SELECT_XREF_KEYS_FOR_COMPANY, { companyId: varchar(3, companyId) });
  return rows.map((row) => ({ docKey: textColumn(row, 'DocKey') ?? '', sageTable: textColumn(row, 'SageTable') ?? '' }));
}

export interface XrefSource {
  companyId: string;
  stripeObjectId: string;
  stripeObjectType: string;
}

export async function insertXref(session: SqlSession, source: XrefSource, ref: SageRef): Promise<void> {
  await session.execute(INSERT_XREF, xrefParams(source, ref));
}

/** The parameters of INSERT_XREF for one document (also one row of a multi-row insert). */
export function xrefParams(source: XrefSource, ref: SageRef): SqlParams {
  return {
    docKey: varchar(100, ref.docKey),
    stripeObjectId: varchar(64, source.stripeObjectId),
    stripeObjectType: varchar(20, source.stripeObjectType),
    companyId: varchar(3, source.companyId),
    sageTable: varchar(30, ref.sageTable),
    sageKey: int(ref.sageKey),
    sageNumber: varchar(20, ref.sageNumber),
    batchKey: int(ref.batchKey),
    syncState: smallint(SYNC_STATE_CREATED),
  };
}
