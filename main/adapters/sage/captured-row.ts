import { SageWriteError } from '../../core/ports/sage-target.js';
import { insertRow } from './ar-statements.js';
import { SELECT_COLUMN_TYPES } from './check-statements.js';
import { isDocumentData } from './golden-diff.js';
import { datetime, int, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import type { SagePort, SqlParam, SqlParams, SqlRow, SqlSession } from './sql-port.js';

/**
 * Rows shaped like the ones a Sage user keyed on this site (issue #21 item 5): the writer's
 * own values where it has them, the captured row's value in every other column, bound with the
 * site column's type. A column of the captured document's own data (a key, a date, an amount,
 * a number or ID) the writer does not own is copied only when the capture left it empty or
 * zero; otherwise the row is refused with the column named, never filled with the golden
 * document's data. Used by the AR invoice writer (ar-invoice-writer.ts); the cash receipt writer
 * (ar-receipt-writer.ts) shares the column types and the binding of a copied value, and applies
 * the copy rule in its own code.
 */

export interface SiteColumn {
  dataType: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
}

/** A column's value in an INSERT: a bound parameter, or fixed SQL text. */
export type ColumnValue = { param: SqlParam } | { sql: 'NULL' | '0' | '1' | 'GETDATE()' };

/** Numbers and ids the document carries (a PO number, a reference ID): its own data, never a code to copy. */
const DOCUMENT_IDENTIFIER = /(ID|No)$/;
const NUMERIC_TYPES = new Set(['int', 'smallint', 'tinyint', 'bit', 'decimal', 'numeric', 'float', 'real', 'money']);

function isZero(value: string | number): boolean {
  return /^-?0*(\.0*)?$/.test(String(value).trim());
}

export class CapturedRowWriter {
  private readonly columns = new Map<string, Map<string, SiteColumn>>();

  /** `what` names the document in messages, e.g. "AR invoice". */
  constructor(
    private readonly port: SagePort,
    private readonly what: string,
  ) {}

  async insertLike(tx: SqlSession, captured: { table: string; row: SqlRow }, own: Record<string, ColumnValue>, docKey: string): Promise<void> {
    const site = await this.siteColumns(captured.table);
    const names: string[] = [];
    const values: string[] = [];
    const params: SqlParams = {};
    for (const [column, golden] of Object.entries(captured.row)) {
      const value = own[column] ?? this.copied(captured.table, column, golden, site.get(column), docKey);
      names.push(column);
      if ('sql' in value) {
        values.push(value.sql);
      } else {
        const name = `c${names.length}`;
        values.push(`@${name}`);
        params[name] = value.param;
      }
    }
    await tx.execute(insertRow(captured.table, names, values), params);
  }

  /** Text the writer owns, sent with the site column's type and length (nvarchar where the site declares it). */
  text(table: string, column: string, value: string, docKey: string): SqlParam {
    const site = this.columns.get(table)?.get(column);
    const length = site?.length ?? null;
    if (length !== null && length > 0 && [...value].length > length) {
      throw new SageWriteError(`${this.what} ${docKey}: "${value}" does not fit ${table}.${column} (${length} characters)`, 'data', `${table}.${column}`);
    }
    const sized = length !== null && length > 0 ? length : Math.max(1, value.length);
    return site?.dataType === 'nvarchar' ? { type: 'nvarchar', length: sized, value } : varchar(sized, value);
  }

  async siteColumns(table: string): Promise<Map<string, SiteColumn>> {
    const known = this.columns.get(table);
    if (known) return known;
    const rows = await this.port.query(SELECT_COLUMN_TYPES, { tableName: varchar(128, table) });
    const optional = (row: SqlRow, column: string): number | null => (row[column] === null || row[column] === undefined ? null : numberColumn(row, column));
    const columns = new Map(
      rows.map((row) => [
        textColumn(row, 'COLUMN_NAME') ?? '',
        { dataType: (textColumn(row, 'DATA_TYPE') ?? '').toLowerCase(), length: optional(row, 'CHARACTER_MAXIMUM_LENGTH'), precision: optional(row, 'NUMERIC_PRECISION'), scale: optional(row, 'NUMERIC_SCALE') },
      ]),
    );
    this.columns.set(table, columns);
    return columns;
  }

  private copied(table: string, column: string, golden: string | number | null, site: SiteColumn | undefined, docKey: string): ColumnValue {
    if (golden === null) return { sql: 'NULL' };
    if (isDocumentData(column) || DOCUMENT_IDENTIFIER.test(column)) {
      if (isZero(golden) && site && NUMERIC_TYPES.has(site.dataType)) return { sql: '0' };
      throw new SageWriteError(
        `${this.what} ${docKey}: the ${this.what} captured on this site has ${table}.${column} = ${JSON.stringify(golden)}, data of that document the sync cannot fill for a Stripe sale. Capture one that leaves ${column} empty, or send this line to your Sage partner`,
        'configuration',
        `${table}.${column}`,
      );
    }
    if (!site) throw new SageWriteError(`${this.what} ${docKey}: ${table}.${column} of the captured ${this.what} no longer exists on this database; capture again`, 'configuration', `${table}.${column}`);
    return { param: capturedParam(site, golden, `${table}.${column}`) };
  }
}

/** A captured code value bound with the site column's own type. */
export function capturedParam(site: SiteColumn, value: string | number, where: string): SqlParam {
  const text = String(value);
  switch (site.dataType) {
    case 'varchar':
    case 'char':
      return varchar(site.length ?? Math.max(1, text.length), text);
    case 'nvarchar':
    case 'nchar':
      return { type: 'nvarchar', length: site.length ?? Math.max(1, text.length), value: text };
    case 'int':
      return int(Number(value));
    case 'smallint':
    case 'tinyint':
    case 'bit':
      return smallint(Number(value));
    case 'decimal':
    case 'numeric':
      return { type: 'decimal', precision: site.precision ?? 15, scale: site.scale ?? 3, value: text };
    case 'datetime':
    case 'smalldatetime':
    case 'date':
      return datetime(text);
    default:
      throw new SageWriteError(`${where} is ${site.dataType} on this database, a type the sync does not copy; send this line to your Sage partner`, 'configuration', where);
  }
}
