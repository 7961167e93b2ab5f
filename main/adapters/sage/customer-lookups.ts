import type { CustomerQuery, SageCustomerMatch } from '../../core/ports/sage-target.js';
import { numberColumn, textColumn, varchar } from './sql-params.js';
import type { SagePort, SqlParams, SqlRow } from './sql-port.js';

/**
 * Many customer look-ups in one statement per kind of key (CustID, e-mail), each answer what
 * CustomerWriter.find gives for that query alone. The keys travel as a derived table of
 * (QueryNo, SoughtKey) rows joined to tarCustomer with the single look-up's own condition
 * (SELECT_CUSTOMER_BY_ID, SELECT_CUSTOMERS_BY_EMAIL), so the server compares each key with
 * its own collation exactly as it does alone (case, trailing spaces: SQL Server's column
 * collation wins over a parameter's, here as there) and says which query a row answers; nothing
 * here matches text itself. Of several customers sharing an e-mail the lowest CustKey wins, as
 * alone; inactive customers match, as alone; only the company's own customers are read.
 */

/**
 * Keys per statement: SQLite (the sandbox) takes at most 500 terms in a compound SELECT
 * (SQLITE_MAX_COMPOUND_SELECT), SQL Server at most 2,100 parameters per request (one a key).
 */
const MAX_KEYS_PER_STATEMENT = 500;

/** The keys as rows (QueryNo, SoughtKey): one parameter each, typed as the single look-up types it. */
function keyRows(values: readonly string[], length: number, first: number): { sql: string; params: SqlParams } {
  const params: SqlParams = {};
  const terms = values.map((value, index) => {
    const name = `key${index}`;
    params[name] = varchar(length, value);
    return index === 0 ? `SELECT ${first + index} AS QueryNo, @${name} AS SoughtKey` : `SELECT ${first + index}, @${name}`;
  });
  return { sql: terms.join(' UNION ALL '), params };
}

const byCustId = (keys: string): string =>
  `SELECT q.QueryNo, c.CustKey, c.CustID, c.CustName FROM (${keys}) q INNER JOIN tarCustomer c ON c.CustID = q.SoughtKey WHERE c.CompanyID = @companyId ORDER BY q.QueryNo, c.CustKey`;

const byEmail = (keys: string): string =>
  'SELECT q.QueryNo, c.CustKey, c.CustID, c.CustName FROM ' +
  `(${keys}) q INNER JOIN tciContact k ON LOWER(k.EMailAddr) = q.SoughtKey AND k.EntityType = 501 INNER JOIN tarCustomer c ON k.CntctOwnerKey = c.CustKey ` +
  'WHERE c.CompanyID = @companyId ORDER BY q.QueryNo, c.CustKey';

/** The answers in the queries' order. */
export async function findCustomersInSage(port: SagePort, companyId: string, queries: readonly CustomerQuery[]): Promise<(SageCustomerMatch | null)[]> {
  // As CustomerWriter.find: a CustID decides the kind of a query, and e-mails are looked up trimmed and lower-case.
  const custIds = distinctKeys(queries, (query) => query.custId || null);
  const emails = distinctKeys(queries, (query) => (query.custId ? null : query.email ? emailLookupKey(query.email) : null));
  const foundIds = await lookUp(port, companyId, [...custIds.keys()], 12, byCustId);
  const foundEmails = await lookUp(port, companyId, [...emails.keys()], 256, byEmail);
  return queries.map((query) => {
    if (query.custId) return foundIds[custIds.get(query.custId)!] ?? null;
    if (query.email) return foundEmails[emails.get(emailLookupKey(query.email))!] ?? null;
    return null;
  });
}

/** An e-mail as the look-ups compare it with LOWER(tciContact.EMailAddr): trimmed, lower case. */
export function emailLookupKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Each distinct key with its position. */
function distinctKeys(queries: readonly CustomerQuery[], keyOf: (query: CustomerQuery) => string | null): Map<string, number> {
  const keys = new Map<string, number>();
  for (const query of queries) {
    const key = keyOf(query);
    if (key !== null && !keys.has(key)) keys.set(key, keys.size);
  }
  return keys;
}

/** The customer each key finds (the first row of its QueryNo), by the key's position. */
async function lookUp(
  port: SagePort,
  companyId: string,
  keys: readonly string[],
  length: number,
  statement: (keys: string) => string,
): Promise<(SageCustomerMatch | undefined)[]> {
  const found: (SageCustomerMatch | undefined)[] = [];
  for (let first = 0; first < keys.length; first += MAX_KEYS_PER_STATEMENT) {
    const rows = keyRows(keys.slice(first, first + MAX_KEYS_PER_STATEMENT), length, first);
    for (const row of await port.query(statement(rows.sql), { ...rows.params, companyId: varchar(3, companyId) })) {
      const queryNo = numberColumn(row, 'QueryNo');
      found[queryNo] ??= customerMatch(row);
    }
  }
  return found;
}

/** A tarCustomer row (CustKey, CustID, CustName) as the port's match. */
export function customerMatch(row: SqlRow): SageCustomerMatch {
  return { custKey: numberColumn(row, 'CustKey'), custId: textColumn(row, 'CustID') ?? '', custName: textColumn(row, 'CustName') ?? '' };
}
