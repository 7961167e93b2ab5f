import type { SageRef } from '../../core/sage/documents.js';
import { SYNC_STATE_CREATED } from './sage-codes.js';
import { int, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import { INSERT_XREF, SELECT_XREF_BY_DOC_KEY, SELECT_XREF_KEYS_FOR_COMPANY } from './statements.js';

/** Reads and writes tciStripeXref_STRIPE rows: Stripe object → where the document lives in Sage. */

export async function findXref(session: SqlSession, companyId: string, docKey: string): Promise<SageRef | null> {
  const rows = await session.query(SELECT_XREF_BY_DOC_KEY, { companyId: varchar(3, companyId), docKey: varchar(100, docKey) });
  const row = rows[0];
  if (!row) return null;
  const batchKey = row['BatchKey'];
  return {
    docKey,
    sageTable: textColumn(row, 'SageTable') ?? '',
    sageKey: numberColumn(row, 'SageKey'),
    sageNumber: textColumn(row, 'SageNumber') ?? '',
    batchKey: batchKey === null || batchKey === undefined ? null : numberColumn(row, 'BatchKey'),
  };
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
  await session.execute(INSERT_XREF, {
    docKey: varchar(100, ref.docKey),
    stripeObjectId: varchar(64, source.stripeObjectId),
    stripeObjectType: varchar(20, source.stripeObjectType),
    companyId: varchar(3, source.companyId),
    sageTable: varchar(30, ref.sageTable),
    sageKey: int(ref.sageKey),
    sageNumber: varchar(20, ref.sageNumber),
    batchKey: int(ref.batchKey),
    syncState: smallint(SYNC_STATE_CREATED),
  });
}
