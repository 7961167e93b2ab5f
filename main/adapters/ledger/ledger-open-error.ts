/**
 * Why the ledger file cannot be used, with its path and what to do: a driver's raw message
 * ("database disk image is malformed", "attempt to write a readonly database") names neither.
 */
export type LedgerProblem = 'damaged' | 'read-only' | 'newer-schema';

export class LedgerOpenError extends Error {
  constructor(
    readonly problem: LedgerProblem,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerOpenError';
  }
}

/** SQLite's result codes for a file that is not (or no longer) a sound database. */
const DAMAGED_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB']);
/** ...and for one this account may not write (the file, its folder, or its -wal/-shm files). */
const READ_ONLY_CODES = new Set(['SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_READONLY_RECOVERY', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_AUTH']);

const sqliteCode = (error: unknown): string => (error instanceof Error && 'code' in error ? String(error.code) : '');

export const damagedLedger = (path: string, detail: string): LedgerOpenError =>
  new LedgerOpenError(
    'damaged',
    path,
    `the sync ledger ${path} is damaged (${detail}). Sage 500 is not affected. Rebuild the ledger from Sage's cross-reference table and Stripe with ` +
      '`s5sync ledger rebuild --config FILE`: it keeps the damaged file beside it and writes nothing to Sage twice',
  );

export const readOnlyLedger = (path: string, detail: string): LedgerOpenError =>
  new LedgerOpenError(
    'read-only',
    path,
    `the sync ledger ${path} cannot be written (${detail}). Give the Windows account that runs the sync read and write access to this file and its folder ` +
      '(the -wal and -shm files beside it too), or point dataDir in the config at a folder it can write',
  );

/** The clear error for what opening or checking the ledger threw, or the error itself when it is neither. */
export function ledgerOpenErrorFor(error: unknown, path: string): unknown {
  const code = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (DAMAGED_CODES.has(code)) return damagedLedger(path, message);
  if (READ_ONLY_CODES.has(code)) return readOnlyLedger(path, message);
  return error;
}
