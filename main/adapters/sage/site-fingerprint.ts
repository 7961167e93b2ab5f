import { readFileSync, writeFileSync } from 'node:fs';
import * as captureStatements from './capture-statements.js';
import * as checkStatements from './check-statements.js';
import { SELECT_COLUMN_TYPES, SELECT_PERMISSION, SELECT_PROCEDURE_PARAMETERS, SELECT_TRIGGERS } from './check-statements.js';
import { numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import * as statements from './statements.js';
import { requiredPermissions, WRITER_PARAM_TYPES, WRITER_PROCEDURE_CALLS } from './writer-contract.js';

/**
 * `s5sync check --fingerprint FILE`: the schema facts the writer depends on, exported from a
 * site's database as JSON (no data rows, no secret), so a developer or CI can rebuild a
 * sandbox shaped like that site (`s5sync sandbox init --from-fingerprint FILE`) and reproduce
 * what `check` and `--rehearse` found there.
 */

export interface FingerprintColumn {
  name: string;
  dataType: string;
  /** Characters for text types (-1 = max); null otherwise. */
  length: number | null;
  precision: number | null;
  scale: number | null;
  nullable: boolean;
  /** SQL Server's default definition text, e.g. "((0))"; null when none. */
  default: string | null;
}

export interface FingerprintParameter {
  name: string;
  type: string;
  maxLength: number;
  output: boolean;
}

export interface SiteFingerprint {
  version: 1;
  companyId: string;
  takenAt: string;
  /** Tables the writer, capture and check use that exist on the site, with every column. */
  tables: Record<string, FingerprintColumn[]>;
  /** Tables looked for but not found. */
  missingTables: string[];
  /** The tables the writer inserts into. */
  writerTables: string[];
  procedures: Record<string, FingerprintParameter[]>;
  missingProcedures: string[];
  triggers: { table: string; name: string }[];
  /** Permissions the writer needs that this login does not have ("INSERT on tglJournalDetl"). */
  deniedPermissions: { object: string; permission: string }[];
}

/** Every table named by the writer's, the capture's and the check's statements. */
export function fingerprintTables(): string[] {
  const tables = new Set<string>();
  for (const module of [statements, captureStatements, checkStatements]) {
    for (const sql of Object.values(module)) {
      if (typeof sql !== 'string') continue;
      for (const match of sql.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE) (\w+)(?!\.)\b/gi)) tables.add(match[1]!);
    }
  }
  for (const name of ['INFORMATION_SCHEMA', 'sys']) tables.delete(name);
  return [...tables].sort();
}

function optionalNumber(row: Record<string, string | number | null>, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : numberColumn(row, column);
}

export async function takeFingerprint(session: SqlSession, companyId: string, now: Date): Promise<SiteFingerprint> {
  const fingerprint: SiteFingerprint = {
    version: 1,
    companyId,
    takenAt: now.toISOString(),
    tables: {},
    missingTables: [],
    writerTables: Object.keys(WRITER_PARAM_TYPES).sort(),
    procedures: {},
    missingProcedures: [],
    triggers: [],
    deniedPermissions: [],
  };
  for (const table of fingerprintTables()) {
    const rows = await session.query(SELECT_COLUMN_TYPES, { tableName: varchar(128, table) });
    if (rows.length === 0) {
      fingerprint.missingTables.push(table);
      continue;
    }
    fingerprint.tables[table] = rows.map((row) => ({
      name: textColumn(row, 'COLUMN_NAME') ?? '',
      dataType: (textColumn(row, 'DATA_TYPE') ?? '').toLowerCase(),
      length: optionalNumber(row, 'CHARACTER_MAXIMUM_LENGTH'),
      precision: optionalNumber(row, 'NUMERIC_PRECISION'),
      scale: optionalNumber(row, 'NUMERIC_SCALE'),
      nullable: textColumn(row, 'IS_NULLABLE') === 'YES',
      default: textColumn(row, 'COLUMN_DEFAULT'),
    }));
  }
  for (const procedure of Object.keys(WRITER_PROCEDURE_CALLS)) {
    const rows = await session.query(SELECT_PROCEDURE_PARAMETERS, { procedureName: varchar(128, procedure) });
    if (rows.length === 0) fingerprint.missingProcedures.push(procedure);
    else {
      fingerprint.procedures[procedure] = rows.map((row) => ({
        name: textColumn(row, 'ParamName') ?? '',
        type: (textColumn(row, 'TypeName') ?? '').toLowerCase(),
        maxLength: numberColumn(row, 'MaxLength'),
        output: numberColumn(row, 'IsOutput') === 1,
      }));
    }
  }
  const known = new Set(Object.keys(fingerprint.tables));
  fingerprint.triggers = (await session.query(SELECT_TRIGGERS))
    .map((row) => ({ table: textColumn(row, 'TableName') ?? '', name: textColumn(row, 'TriggerName') ?? '' }))
    .filter((trigger) => known.has(trigger.table));
  for (const [object, permissions] of requiredPermissions()) {
    for (const permission of permissions) {
      const row = (await session.query(SELECT_PERMISSION, { objectName: varchar(128, object), permission: varchar(20, permission) }))[0];
      if (row && row['Granted'] !== null && Number(row['Granted']) !== 1) fingerprint.deniedPermissions.push({ object, permission });
    }
  }
  return fingerprint;
}

export function writeFingerprint(path: string, fingerprint: SiteFingerprint): void {
  writeFileSync(path, `${JSON.stringify(fingerprint, null, 2)}\n`);
}

export class FingerprintError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FingerprintError';
  }
}

/** Reads a fingerprint file; the shape is checked where it matters (tables and procedures are lists of the right fields). */
export function readFingerprint(path: string): SiteFingerprint {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FingerprintError(`${path} is not a readable JSON fingerprint: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fingerprint = value as Partial<SiteFingerprint> | null;
  const columnsOk = (columns: unknown): boolean =>
    Array.isArray(columns) && columns.every((column: Partial<FingerprintColumn>) => typeof column.name === 'string' && typeof column.dataType === 'string' && typeof column.nullable === 'boolean');
  if (
    !fingerprint || fingerprint.version !== 1 || typeof fingerprint.companyId !== 'string' || typeof fingerprint.tables !== 'object' || fingerprint.tables === null ||
    !Object.values(fingerprint.tables).every(columnsOk) || !Array.isArray(fingerprint.missingTables) || !Array.isArray(fingerprint.writerTables) ||
    typeof fingerprint.procedures !== 'object' || fingerprint.procedures === null || !Array.isArray(fingerprint.triggers) || !Array.isArray(fingerprint.deniedPermissions) ||
    !Array.isArray(fingerprint.missingProcedures)
  ) {
    throw new FingerprintError(`${path} is not a Stripe Sync site fingerprint (version 1); export one with \`s5sync check --fingerprint FILE\``);
  }
  return fingerprint as SiteFingerprint;
}
