import { MAX_PARAMETERS_PER_REQUEST, type BatchStep, type SqlParam, type SqlParams } from './sql-port.js';

/**
 * Statements for many rows at once, derived from the single-row statements of statements.ts so
 * each column list is declared once: a multi-row INSERT (one VALUES tuple per row, a parameter
 * equal in every row sent once, the others renamed per row `@r3_postAmt`) and a lookup by a
 * list of keys. Both run unchanged on SQL Server and the sandbox.
 */

/**
 * Rows per INSERT at most. A statement's text depends only on its row count and on which
 * parameters are the same in every row, so full statements repeat from chunk to chunk and are
 * compiled once (SQL Server's plan cache, the sandbox's statement cache); only a chunk's last,
 * shorter statement of each table is new text. Before, equal values anywhere shared one
 * parameter, so every chunk's statements were new text, compiled anew: most of the sandbox's
 * time in a backfill. Well under SQL Server's 1,000 rows per table value constructor.
 */
const ROWS_PER_INSERT = 100;

const SINGLE_ROW_INSERT = /^(INSERT INTO \w+ \(.*\) VALUES )\((.*)\)$/s;

/** Whether two parameters are the same value of the same SQL type and size (5 is not "5", an int not a smallint). */
function sameParam(a: SqlParam, b: SqlParam): boolean {
  if (a.type !== b.type || a.value !== b.value) return false;
  if (a.type === 'varchar' || a.type === 'nvarchar') return a.length === (b as typeof a).length;
  if (a.type === 'decimal') return a.precision === (b as typeof a).precision && a.scale === (b as typeof a).scale;
  return true;
}

/**
 * INSERT statements for `rows` (each the parameters of `single`), in order, at most
 * ROWS_PER_INSERT rows each and within a request's parameter limit (`budget`, default SQL
 * Server's 2,100). One row gives `single` unchanged. A parameter every row has, equal in all of
 * them, keeps its name and is sent once per statement; the others are renamed `r<row>_<name>`
 * (row: its place in `rows`). A parameter a row lacks keeps its name in that row's tuple.
 */
export function multiRowInserts(single: string, rows: readonly SqlParams[], budget = MAX_PARAMETERS_PER_REQUEST): BatchStep[] {
  if (rows.length === 1) return [{ kind: 'execute', sql: single, params: rows[0]! }];
  const match = SINGLE_ROW_INSERT.exec(single);
  if (!match) throw new Error(`not a single-row INSERT: ${single}`);
  const [, head, tuple] = match as unknown as [string, string, string];
  // The tuple's text taken apart once: odd pieces are its parameters' names, even pieces the text between them.
  const pieces = tuple.split(/@(\w+)/);
  const first = rows[0]!;
  const constant = new Set(Object.keys(first).filter((name) => rows.every((row) => row[name] !== undefined && sameParam(row[name]!, first[name]!))));
  const perRow = Math.max(1, ...rows.map((row) => Object.keys(row).filter((name) => !constant.has(name)).length));
  const rowsPerStatement = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor((budget - constant.size) / perRow)));
  const steps: BatchStep[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const params: SqlParams = {};
    for (const name of constant) params[name] = first[name]!;
    let sql = head;
    const end = Math.min(rows.length, start + rowsPerStatement);
    for (let index = start; index < end; index += 1) {
      const row = rows[index]!;
      for (const name of Object.keys(row)) if (!constant.has(name)) params[`r${index}_${name}`] = row[name]!;
      sql += index === start ? '(' : ', (';
      for (let at = 0; at < pieces.length; at += 1) {
        const piece = pieces[at]!;
        sql += at % 2 === 0 ? piece : constant.has(piece) || row[piece] === undefined ? `@${piece}` : `@r${index}_${piece}`;
      }
      sql += ')';
    }
    steps.push({ kind: 'execute', sql, params });
  }
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
