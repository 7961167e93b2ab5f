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

/** Equal type, size and value: the same parameter. */
function valueKey(param: SqlParam): string {
  const size = param.type === 'varchar' || param.type === 'nvarchar' ? param.length : param.type === 'decimal' ? `${param.precision},${param.scale}` : '';
  return `${param.type}(${size})${param.value === null ? 'NULL' : typeof param.value === 'number' ? `#${param.value}` : `'${param.value}`}`;
}

/**
 * INSERT statements for `rows` (each the parameters of `single`), as few as fit in a request's
 * parameter limit (`budget`, default SQL Server's 2,100). One row gives `single` unchanged.
 */
export function multiRowInserts(single: string, rows: readonly SqlParams[], budget = MAX_PARAMETERS_PER_REQUEST): BatchStep[] {
  if (rows.length === 1) return [{ kind: 'execute', sql: single, params: rows[0]! }];
  const match = SINGLE_ROW_INSERT.exec(single);
  if (!match) throw new Error(`not a single-row INSERT: ${single}`);
  const [, head, tuple] = match as unknown as [string, string, string];
  // The tuple's text taken apart once: odd pieces are its parameters' names, even pieces the text between them.
  const pieces = tuple.split(/@(\w+)/);
  const steps: BatchStep[] = [];
  let tuples: string[] = [];
  let params: SqlParams = {};
  let count = 0;
  let shared = new Map<string, string>();
  const flush = (): void => {
    if (tuples.length > 0) steps.push({ kind: 'execute', sql: `${head}${tuples.join(', ')}`, params });
    tuples = [];
    params = {};
    count = 0;
    shared = new Map();
  };
  rows.forEach((row, index) => {
    // Each parameter's key once: comparing keys recomputed for every pair cost more than the statement's text.
    const keyed = Object.entries(row).map(([name, param]) => ({ name, param, key: valueKey(param) }));
    const names = new Map<string, string>();
    /** This row's new parameters by key, in the order they came: the first of equal values is the one kept. */
    const added = new Map<string, [string, SqlParam]>();
    for (const { name, param, key } of keyed) {
      const existing = shared.get(key) ?? added.get(key)?.[0];
      if (existing) {
        names.set(name, existing);
        continue;
      }
      const renamed = `r${index}_${name}`;
      names.set(name, renamed);
      added.set(key, [renamed, param]);
    }
    if (tuples.length >= MAX_ROWS_PER_INSERT || count + added.size > budget) {
      flush();
      // A new statement shares nothing with the last one: rename this row afresh.
      names.clear();
      added.clear();
      for (const { name, param, key } of keyed) {
        const existing = added.get(key)?.[0];
        const renamed = existing ?? `r${index}_${name}`;
        names.set(name, renamed);
        if (!existing) added.set(key, [renamed, param]);
      }
    }
    for (const [key, [renamed, param]] of added) {
      params[renamed] = param;
      count += 1;
      shared.set(key, renamed);
    }
    tuples.push(`(${pieces.map((piece, at) => (at % 2 === 0 ? piece : `@${names.get(piece) ?? piece}`)).join('')})`);
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
