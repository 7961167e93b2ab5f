import type { SetupProblem } from '../../preload/contract.js';

/**
 * Turns what the mssql/tedious driver says when a connection fails into words a bookkeeper
 * (and the partner on the phone) can act on. tedious reports connection failures as
 * ConnectionError with a `code` (tedious lib/connection.js): ESOCKET (the network socket failed;
 * Node's own code, ECONNREFUSED / ENOTFOUND / EHOSTUNREACH / a TLS certificate code, is in the
 * message and the `cause`), ETIMEOUT (no answer within the connect timeout), EINSTLOOKUP (the
 * SQL Server Browser did not answer for a named instance), ELOGIN (the server refused the
 * login; its message is SQL Server's: 18456 "Login failed for user", 4060 "Cannot open
 * database … requested by the login", 18487/18488 password expired or must be changed) and
 * EENCRYPT (the server requires encryption). Node's TLS codes are listed at
 * https://nodejs.org/api/tls.html (DEPTH_ZERO_SELF_SIGNED_CERT, SELF_SIGNED_CERT_IN_CHAIN,
 * UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, CERT_HAS_EXPIRED).
 */

export interface SqlServerAddress {
  server: string;
  port: number | null;
  database: string;
  user: string;
}

const CERTIFICATE_CODES = /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|self[- ]signed certificate|unable to verify the first certificate/i;

/**
 * Every code and message along the error's wrapping (SqlExecutionError → mssql → tedious →
 * Node): `originalError` and `cause` links, and each error of an AggregateError (tedious tries
 * every address of a name in turn and reports "Could not connect (sequence)" with them all).
 */
export function errorChain(error: unknown): { codes: string[]; text: string } {
  const codes: string[] = [];
  const texts: string[] = [];
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.shift();
    if (typeof current === 'string') texts.push(current);
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if ('code' in current && typeof current.code === 'string') codes.push(current.code);
    if ('message' in current && typeof current.message === 'string') texts.push(current.message);
    if ('originalError' in current) pending.push(current.originalError);
    if ('cause' in current) pending.push(current.cause);
    if ('errors' in current && Array.isArray(current.errors)) pending.push(...(current.errors as unknown[]));
  }
  return { codes, text: texts.join(' | ') };
}

const where = (address: SqlServerAddress): string => (address.port === null ? address.server : `${address.server}, port ${address.port}`);

export function explainSqlConnectionError(error: unknown, address: SqlServerAddress): SetupProblem {
  const { codes, text } = errorChain(error);
  const has = (pattern: RegExp): boolean => pattern.test(text) || codes.some((code) => pattern.test(code));
  const instance = /\\(.+)$/.exec(address.server)?.[1] ?? null;

  if (has(CERTIFICATE_CODES)) {
    return {
      title: 'The SQL Server certificate is not trusted',
      detail: `${address.server} encrypts the connection with a certificate this PC does not trust (often a self-signed certificate, which office SQL Servers use by default).`,
      fix: 'Ask your Sage partner to install a trusted certificate on SQL Server, or tick "Trust the server certificate" if you know this is your own server on the office network.',
    };
  }
  if (has(/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate/)) {
    return {
      title: 'The SQL Server certificate is for another name',
      detail: `The certificate ${address.server} presented was issued for a different server name.`,
      fix: 'Type the server name exactly as on its certificate (often the full name, e.g. sage.office.local), or tick "Trust the server certificate".',
    };
  }
  if (has(/CERT_HAS_EXPIRED/)) {
    return { title: 'The SQL Server certificate has expired', detail: `The certificate ${address.server} presented is out of date.`, fix: 'Ask your Sage partner to renew it, or tick "Trust the server certificate" for now.' };
  }
  if (codes.includes('EENCRYPT')) {
    return { title: 'SQL Server requires an encrypted connection', detail: `${address.server} refuses unencrypted connections.`, fix: 'Tick "Encrypt the connection".' };
  }
  if (codes.includes('EINSTLOOKUP')) {
    return {
      title: `The instance ${instance ?? ''} was not found`.replace('  ', ' '),
      detail: `The SQL Server Browser on ${address.server.replace(/\\.*$/, '')} did not answer for this instance name (it finds the instance's port).`,
      fix: 'Check the instance name (server\\INSTANCE, as in SQL Server Management Studio), that the SQL Server Browser service runs and that UDP port 1434 is open; or enter the instance\'s port instead.',
    };
  }
  if (has(/ENOTFOUND|EAI_AGAIN|getaddrinfo/)) {
    return {
      title: `No computer named ${address.server.replace(/\\.*$/, '')} was found`,
      detail: 'The name could not be looked up on this network.',
      fix: 'Check the spelling of the server name, or use its IP address. If the server is at the office and you are not, connect to the VPN first.',
    };
  }
  if (has(/ECONNREFUSED/)) {
    return {
      title: `Nothing answered at ${where(address)}`,
      detail: 'The computer was found but refused the connection: SQL Server is not listening there.',
      fix: 'Check the port (1433 unless your partner set another), that the SQL Server service is running and that TCP/IP is enabled in SQL Server Configuration Manager.',
    };
  }
  if (has(/EHOSTUNREACH|ENETUNREACH/) || codes.includes('ETIMEOUT')) {
    return {
      title: `${where(address)} did not answer`,
      detail: 'No answer came back in time: the server is off or unreachable from this PC, or a firewall drops the connection.',
      fix: 'Check that this PC is on the office network (or the VPN), that the server is on, and that the firewall allows SQL Server (TCP 1433, or the instance\'s port).',
    };
  }
  if (has(/Cannot open database/)) {
    return {
      title: `The database ${address.database} cannot be opened`,
      detail: `SQL Server accepted ${address.user} but has no database ${address.database} it may open.`,
      fix: 'Check the database name (the Sage company database, e.g. as listed in SQL Server Management Studio) and that the login is a user of that database (docs/sage-setup.md §1).',
    };
  }
  if (has(/password has expired|must be changed|18487|18488/i)) {
    return { title: `The password of ${address.user} has expired`, detail: 'SQL Server refuses the login until its password is changed.', fix: 'Ask your Sage partner to set a new password for the login, then enter it here.' };
  }
  if (codes.includes('ELOGIN') || has(/Login failed/)) {
    return {
      title: `SQL Server refused the login ${address.user}`,
      detail: 'The user name or password is wrong, the login is disabled, or the server only allows Windows logins.',
      fix: 'Check the user name and password (they are case sensitive). For a Windows login choose "Windows account" and enter its domain.',
    };
  }
  if (codes.includes('ESOCKET') || codes.includes('ECONNRESET')) {
    return {
      title: `The connection to ${where(address)} failed`,
      detail: 'The network connection broke while connecting.',
      fix: 'Try again; if it keeps failing, check the server name, port and the "Encrypt" setting with your Sage partner.',
    };
  }
  return { title: 'SQL Server could not be reached', detail: text || 'No reason was given.', fix: 'Check the server name, port, login and encryption settings with your Sage partner.' };
}
