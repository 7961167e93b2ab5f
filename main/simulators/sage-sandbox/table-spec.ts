/**
 * A compact description of one Sage 500 table for the SQLite sandbox. Columns are written
 * as `Name sqlType [NN] [=default] [in(a,b)]`, with the SQL Server type Sage uses, so the
 * spec reads like the public sources (S1, S5, S7 in docs/sage-sources.md) and the DDL, the money
 * column registry and the tests all derive from the same text.
 */

export interface TableSpec {
  name: string;
  columns: readonly string[];
  primaryKey: readonly string[];
  unique?: readonly (readonly string[])[];
  foreignKeys?: readonly ForeignKeySpec[];
  /** Keys SQLite cannot declare (one column naming a row of either of two tables), enforced as Sage enforces its keys: by trigger. */
  keyTriggers?: readonly KeyTriggerSpec[];
}

/** `column`, when not NULL, must name a row of one of `references` by `referencedColumn`. */
export interface KeyTriggerSpec {
  column: string;
  references: readonly string[];
  referencedColumn: string;
}

export interface ForeignKeySpec {
  columns: readonly string[];
  references: string;
  referencedColumns: readonly string[];
}

export type SageColumnType =
  | { kind: 'int' }
  | { kind: 'smallint' }
  | { kind: 'float' }
  | { kind: 'datetime' }
  | { kind: 'varchar'; length: number }
  /** Not Sage's own: a site that altered a text column (or a fingerprint of one) declares it so. */
  | { kind: 'nvarchar'; length: number }
  | { kind: 'decimal'; precision: number; scale: number };

export interface ColumnSpec {
  name: string;
  sageType: string;
  type: SageColumnType;
  notNull: boolean;
  defaultValue: string | null;
  allowedValues: readonly number[] | null;
}

const COLUMN_PATTERN = /^(\w+) (int|smallint|float|datetime|n?varchar\((\d+)\)|decimal\((\d+),(\d+)\))((?: NN)?)((?: =\S+)?)((?: in\([-\d,]+\))?)$/;

export function parseColumn(text: string): ColumnSpec {
  const match = COLUMN_PATTERN.exec(text);
  if (!match) throw new Error(`bad sandbox column spec "${text}"`);
  const [, name, sageType, varcharLength, precision, scale, notNull, defaultPart, inPart] = match;
  let type: SageColumnType;
  if (varcharLength !== undefined) type = { kind: sageType!.startsWith('n') ? 'nvarchar' : 'varchar', length: Number(varcharLength) };
  else if (precision !== undefined) type = { kind: 'decimal', precision: Number(precision), scale: Number(scale) };
  else type = { kind: sageType as 'int' | 'smallint' | 'float' | 'datetime' };
  return {
    name: name!,
    sageType: sageType!,
    type,
    notNull: notNull === ' NN',
    defaultValue: defaultPart ? defaultPart.slice(2) : null,
    allowedValues: inPart ? inPart.slice(4, -1).split(',').map(Number) : null,
  };
}

/** decimal(15,3) is Sage's money type; the sandbox stores it as integer thousandths. */
export function isMoneyType(type: SageColumnType): boolean {
  return type.kind === 'decimal' && type.precision === 15 && type.scale === 3;
}
