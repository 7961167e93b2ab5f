import { MAX_PARAMETERS_PER_REQUEST, type BatchStep, type SqlParam, type SqlParams } from './sql-port.js';

/**
 * Statements for many rows at once, derived from the single-row statements of statements.ts so
 * each column list is declared once: a multi-row INSERT (one VALUES tuple per row, rows'
 * parameters renamed `@r3_postAmt`, equal values sharing one parameter) and a lookup by a list
 * of keys. Both run unchanged on SQL Server and the sandbox.
 */

/** SQL Server's table value constructor takes at most 1,000 rows. */
const MAX_ROWS_PER_INSERT = 1_000;

const SINGLE_ROW_INSERT = /^(INSERT INTO \w+ \(.*\) VALUES )\((.*)\)$/s;

/** A parameter's value as the key it shares under: numbers and text apart (5 is not "5"), null its own. */
type ValueKey = string | number | null;

/**
 * The parameters a statement has so far, by SQL type, size and value: equal ones are one
 * parameter. Keyed level by level (type, then size, then the value itself) instead of by a
 * string made of all three, which cost a string built and hashed per parameter (most of
 * multiRowInserts' time with thousands of rows).
 */
class SharedParameters {
  private readonly byType = new Map<string, Map<number, Map<ValueKey, string>>>();

  /** The statement's values of `param`'s type and size, by value, each with its parameter's name. */
  valuesOf(param: SqlParam): Map<ValueKey, string> {
    let bySize = this.byType.get(param.type);
    if (!bySize) this.byType.set(param.type, (bySize = new Map()));
    // Sizes are whole numbers: a decimal's precision and scale (each ≤ 38) in one number.
    const size = param.type === 'varchar' || param.type === 'nvarchar' ? param.length : param.type === 'decimal' ? param.precision * 1_000 + param.scale : 0;
    let values = bySize.get(size);
    if (!values) bySize.set(size, (values = new Map()));
    return values;
  }
}

/**
 * INSERT statements for `rows` (each the parameters of `single`), as few as fit in a request's
 * parameter limit (`budget`, default SQL Server's 2,100). One row gives `single` unchanged.
 * Each row's parameters are renamed `r<row>_<name>`, except where a parameter of equal type,
 * size and value is already in the statement (or earlier in the row): that one's name is used.
 */
export function multiRowInserts(single: string, rows: readonly SqlParams[], budget = MAX_PARAMETERS_PER_REQUEST): BatchStep[] {
  if (rows.length === 1) return [{ kind: 'execute', sql: single, params: rows[0]! }];
  const match = SINGLE_ROW_INSERT.exec(single);
  if (!match) throw new Error(`not a single-row INSERT: ${single}`);
  const [, head, tuple] = match as unknown as [string, string, string];
  // The tuple's text taken apart once: odd pieces are its parameters' names, even pieces the text between them.
  const pieces = tuple.split(/@(\w+)/);
  const steps: BatchStep[] = [];
  let sql = '';
  let rowsInStatement = 0;
  let params: SqlParams = {};
  let count = 0;
  let shared = new SharedParameters();
  const names = new Map<string, string>();
  /** This row's new parameters, in the order they came: the first of equal values is the one kept. */
  const added: [string, SqlParam][] = [];
  const flush = (): void => {
    if (rowsInStatement > 0) steps.push({ kind: 'execute', sql, params });
    sql = '';
    rowsInStatement = 0;
    params = {};
    count = 0;
    shared = new SharedParameters();
  };
  /** Names this row's parameters (names, added), entering its new values in `shared` as it goes. */
  const nameRow = (row: SqlParams, index: number): void => {
    names.clear();
    added.length = 0;
    for (const name of Object.keys(row)) {
      const param = row[name]!;
      const values = shared.valuesOf(param);
      const value = param.value;
      const existing = values.get(value);
      if (existing !== undefined) {
        names.set(name, existing);
        continue;
      }
      const renamed = `r${index}_${name}`;
      names.set(name, renamed);
      values.set(value, renamed);
      added.push([renamed, param]);
    }
  };
  rows.forEach((row, index) => {
    nameRow(row, index);
    if (rowsInStatement >= MAX_ROWS_PER_INSERT || count + added.length > budget) {
      flush();
      // A new statement shares nothing with the last one: rename this row afresh.
      nameRow(row, index);
    }
    for (const [renamed, param] of added) params[renamed] = param;
    count += added.length;
    sql += rowsInStatement === 0 ? `${head}(` : ', (';
    for (let at = 0; at < pieces.length; at += 1) sql += at % 2 === 0 ? pieces[at] : `@${names.get(pieces[at]!) ?? pieces[at]}`;
    sql += ')';
    rowsInStatement += 1;
  });
  flush();
  return steps;
}

/**
 * `single` with its `column = @parameter` condition turned into `column IN (@parameter0, …)`
 * for `count` keys, and the parameters for `keys`.
 */
export function selectByKeys(single: string, column: string, parameter: string, keys: readonly SqlParam[]): { sql: string; params: SqlParams } {
  const condition = `${column} = @${parameter}`;
  if (!single.includes(condition)) throw new Error(`${single} has no condition ${condition}`);
  const names = keys.map((_key, index) => `${parameter}${index}`);
  const params: SqlParams = {};
  keys.forEach((key, index) => {
    params[names[index]!] = key;
  });
  return { sql: single.replace(condition, `${column} IN (${names.map((name) => `@${name}`).join(', ')})`), params };
}
