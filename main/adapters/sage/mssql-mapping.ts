import sql from 'mssql';
import { SqlExecutionError, type ParameterBinding, type ProcedureArg, type SqlFailureKind, type SqlParam } from './sql-port.js';

/**
 * The pure parts of the SQL Server executor: parameter types, the positional EXEC text and
 * error classification. Kept apart from the connection code so they are tested without a server.
 */

/** Sage columns are varchar: an nvarchar parameter would force a conversion and an index scan. */
export function mssqlType(param: SqlParam): sql.ISqlType {
  switch (param.type) {
    case 'varchar':
      return sql.VarChar(param.length);
    case 'nvarchar':
      return sql.NVarChar(param.length);
    case 'int':
      return sql.Int();
    case 'smallint':
      return sql.SmallInt();
    case 'decimal':
      return sql.Decimal(param.precision, param.scale);
    case 'datetime':
      return sql.DateTime();
  }
}

/**
 * Datetimes travel as UTC Date objects built from the local business text, and the pool
 * runs with useUTC, so SQL Server stores exactly the wall-clock text we meant.
 */
export function mssqlValue(param: SqlParam): string | number | Date | null {
  if (param.value === null) return null;
  if (param.type !== 'datetime') return param.value;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(param.value);
  if (!match) throw new SqlExecutionError(`"${param.value}" is not a Sage date (YYYY-MM-DD[ HH:MM:SS])`, 'other', '');
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
}

/** Formats a datetime result the way the sandbox returns it: 'YYYY-MM-DD HH:MM:SS'. */
export function formatDateTime(value: Date): string {
  return value.toISOString().slice(0, 19).replace('T', ' ');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `EXEC name @p1 OUTPUT, @p2, …` by position, or `EXEC name @_oBatchKey = @p1 OUTPUT, …` by
 * name. Which one a call uses is the caller's decision (ParameterBinding in sql-port.ts): by
 * name where Sage's parameter names are verified, by position where they differ between copies.
 */
export function buildExecText(name: string, args: readonly ProcedureArg[], binding: ParameterBinding = 'position'): string {
  if (!IDENTIFIER.test(name)) throw new SqlExecutionError(`"${name}" is not a procedure name`, 'other', name);
  const list = args
    .map((arg, index) => {
      const value = `@p${index + 1}${arg.output ? ' OUTPUT' : ''}`;
      if (binding === 'position') return value;
      if (!IDENTIFIER.test(arg.name)) throw new SqlExecutionError(`"${arg.name}" is not a parameter name of ${name}`, 'other', name);
      return `@${arg.name} = ${value}`;
    })
    .join(', ');
  return list === '' ? `EXEC ${name}` : `EXEC ${name} ${list}`;
}

const TRANSIENT_NUMBERS = new Set([1205]);
/** 1105 filegroup full, 9002 transaction log full, 1101 no free extent: nothing can be written until space is freed. */
const UNAVAILABLE_NUMBERS = new Set([1105, 9002, 1101]);
const CONSTRAINT_NUMBERS = new Set([2627, 2601, 547, 515, 8152, 2628]);
const PERMISSION_NUMBERS = new Set([229, 230]);
const MISSING_OBJECT_NUMBERS = new Set([208, 207, 2812]);
const TRANSIENT_CODES = new Set(['ETIMEOUT']);
const UNAVAILABLE_CODES = new Set(['ESOCKET', 'ECONNRESET', 'ECONNCLOSED', 'ENOTOPEN', 'ECONNREFUSED']);

function numberOf(error: object): number | null {
  if ('number' in error && typeof error.number === 'number') return error.number;
  if ('originalError' in error && typeof error.originalError === 'object' && error.originalError !== null) {
    const original = error.originalError;
    if ('info' in original && typeof original.info === 'object' && original.info !== null && 'number' in original.info && typeof original.info.number === 'number') {
      return original.info.number;
    }
    return numberOf(original);
  }
  return null;
}

/** mssql wraps the driver's error: a request failing on a reset socket carries ECONNRESET one level down. */
function codesOf(error: object): string[] {
  const own = 'code' in error && typeof error.code === 'string' ? [error.code] : [];
  const inner = 'originalError' in error && typeof error.originalError === 'object' && error.originalError !== null ? codesOf(error.originalError) : [];
  return [...own, ...inner];
}

/** A full database or log and lost connections stop writing; a deadlock victim retries; constraint violations are data problems. */
export function classifyMssqlError(error: unknown): SqlFailureKind {
  if (typeof error !== 'object' || error === null) return 'other';
  const number = numberOf(error);
  if (number !== null) {
    if (UNAVAILABLE_NUMBERS.has(number)) return 'unavailable';
    if (TRANSIENT_NUMBERS.has(number)) return 'transient';
    if (CONSTRAINT_NUMBERS.has(number)) return 'constraint';
    if (PERMISSION_NUMBERS.has(number)) return 'permission';
    if (MISSING_OBJECT_NUMBERS.has(number)) return 'missing-object';
  }
  const codes = codesOf(error);
  if (codes.some((code) => UNAVAILABLE_CODES.has(code))) return 'unavailable';
  if (codes.some((code) => TRANSIENT_CODES.has(code))) return 'transient';
  if (codes.includes('ELOGIN')) return 'permission';
  return 'other';
}

export function toSqlExecutionError(error: unknown, statement: string): SqlExecutionError {
  if (error instanceof SqlExecutionError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SqlExecutionError(message, classifyMssqlError(error), statement, error);
}
