import { XREF_TABLE_NAME } from './required-schema.js';
import { varchar } from './sql-params.js';
import type { SagePort } from './sql-port.js';
import { CREATE_XREF_TABLE, GRANT_XREF_INSERT, GRANT_XREF_SELECT, SELECT_TABLE } from './statements.js';

export interface XrefInstallResult {
  created: boolean;
  granted: boolean;
}

/**
 * Creates our cross-reference table in the Sage database (custom `_STRIPE` suffix, never a
 * change to a Sage object, source S13, docs/sage-sources.md) and grants it to ApplicationDBRole as Sage partners do for
 * custom objects (S13). Run it once with a login that may create tables (the Sage partner's).
 */
export async function installXref(port: SagePort): Promise<XrefInstallResult> {
  const exists = (await port.query(SELECT_TABLE, { tableName: varchar(128, XREF_TABLE_NAME) })).length > 0;
  if (!exists) await port.execute(CREATE_XREF_TABLE);
  // SQLite has no users, roles or GRANT: the sandbox file is the whole security boundary.
  if (port.dialect === 'sandbox') return { created: !exists, granted: false };
  await port.execute(GRANT_XREF_SELECT);
  await port.execute(GRANT_XREF_INSERT);
  return { created: !exists, granted: true };
}
