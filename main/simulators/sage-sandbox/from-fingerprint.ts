import type Database from 'better-sqlite3';
import type { FingerprintColumn, SiteFingerprint } from '../../adapters/sage/site-fingerprint.js';
import { ALL_TABLES } from './ddl.js';
import { createSandbox, type SandboxOptions } from './sandbox.js';
import { parseColumn, type TableSpec } from './table-spec.js';

/**
 * `s5sync sandbox init --from-fingerprint FILE`: a sandbox shaped like the site a fingerprint
 * came from. Each of the sandbox's tables takes the site's column list, types, NOT NULLs and
 * defaults; tables the site lacks are dropped; the site's procedure parameters, triggers (as
 * no-op triggers of the same names) and missing grants are reproduced, so `check` and
 * `--rehearse` on it say what they said on the site. Types the sandbox cannot hold exactly
 * are stored as the nearest one it can, and listed.
 */

export interface FingerprintSandboxReport {
  /** "tglJournalHdr.CheckNo: char(10) stored as varchar(10)". */
  approximated: string[];
  /** Site columns NOT NULL without a default in tables the writer does not insert into, given one so the seed can run. */
  defaulted: string[];
  droppedTables: string[];
}

const DIRECT = new Set(['int', 'smallint', 'float', 'datetime']);

function sandboxType(column: FingerprintColumn): { type: string; exact: boolean } {
  const text = (length: number | null): string => `varchar(${length === null || length < 0 ? 8000 : length})`;
  switch (column.dataType) {
    case 'varchar':
      return { type: text(column.length), exact: column.length !== null && column.length >= 0 };
    case 'decimal':
      return { type: `decimal(${column.precision ?? 18},${column.scale ?? 0})`, exact: true };
    case 'numeric':
      return { type: `decimal(${column.precision ?? 18},${column.scale ?? 0})`, exact: false };
    case 'nvarchar':
      return { type: `nvarchar(${column.length === null || column.length < 0 ? 4000 : column.length})`, exact: column.length !== null && column.length >= 0 };
    case 'char':
    case 'nchar':
    case 'text':
    case 'ntext':
      return { type: text(column.length), exact: false };
    case 'tinyint':
    case 'bit':
      return { type: 'smallint', exact: false };
    case 'bigint':
      return { type: 'int', exact: false };
    case 'money':
      return { type: 'decimal(19,4)', exact: false };
    case 'real':
      return { type: 'float', exact: false };
    case 'datetime2':
    case 'smalldatetime':
    case 'date':
      return { type: 'datetime', exact: false };
    default:
      return DIRECT.has(column.dataType) ? { type: column.dataType, exact: true } : { type: 'varchar(8000)', exact: false };
  }
}

/** SQL Server's default text ("((0))", "('Any')", "(getdate())") as the sandbox spec's `=value`, or null when it has none it can hold. */
function sandboxDefault(definition: string | null): string | null {
  if (definition === null) return null;
  let inner = definition.trim();
  while (inner.startsWith('(') && inner.endsWith(')')) inner = inner.slice(1, -1).trim();
  if (/^getdate\(\)$/i.test(inner)) return 'CURRENT_TIMESTAMP';
  inner = inner.replace(/^N'/, "'");
  return /^(-?\d+(\.\d+)?|'[^'\s]*')$/.test(inner) ? inner : null;
}

function filler(type: string): string {
  return type.startsWith('varchar') ? "''" : type === 'datetime' ? 'CURRENT_TIMESTAMP' : '0';
}

function siteTable(standard: TableSpec, columns: readonly FingerprintColumn[], writerTables: ReadonlySet<string>, report: FingerprintSandboxReport): TableSpec {
  const standardColumns = new Map(standard.columns.map((text) => [parseColumn(text).name, parseColumn(text)]));
  const texts = columns.map((column) => {
    const { type, exact } = sandboxType(column);
    if (!exact) report.approximated.push(`${standard.name}.${column.name}: ${column.dataType}${column.length !== null ? `(${column.length})` : ''} stored as ${type}`);
    let value = sandboxDefault(column.default);
    const known = standardColumns.get(column.name);
    if (!column.nullable && value === null && !known && !writerTables.has(standard.name)) {
      value = filler(type);
      report.defaulted.push(`${standard.name}.${column.name}`);
    }
    const allowed = known?.allowedValues && !type.startsWith('varchar') ? ` in(${known.allowedValues.join(',')})` : '';
    return `${column.name} ${type}${column.nullable ? '' : ' NN'}${value === null ? '' : ` =${value}`}${allowed}`;
  });
  const names = new Set(columns.map((column) => column.name));
  const kept = (list: readonly string[]): boolean => list.every((name) => names.has(name));
  return {
    name: standard.name,
    columns: texts,
    primaryKey: kept(standard.primaryKey) ? standard.primaryKey : [],
    unique: (standard.unique ?? []).filter(kept),
    foreignKeys: (standard.foreignKeys ?? []).filter((key) => kept(key.columns)),
  };
}

export function createSandboxFromFingerprint(path: string, fingerprint: SiteFingerprint, options: Omit<SandboxOptions, 'tables' | 'afterSeed' | 'companyId'> = {}): FingerprintSandboxReport {
  const report: FingerprintSandboxReport = { approximated: [], defaulted: [], droppedTables: [] };
  const writerTables = new Set(fingerprint.writerTables);
  const missing = new Set(fingerprint.missingTables);
  const tables = ALL_TABLES.map((standard) => {
    const columns = fingerprint.tables[standard.name];
    return columns ? siteTable(standard, columns, writerTables, report) : standard;
  });
  createSandbox(path, {
    ...options,
    companyId: fingerprint.companyId,
    tables,
    afterSeed: (db: Database.Database) => {
      for (const table of ALL_TABLES.filter((standard) => missing.has(standard.name))) {
        db.exec(`DROP TABLE ${table.name}`);
        report.droppedTables.push(table.name);
      }
      // The site's parameters replace the standard ones; a procedure the fingerprint does not cover gets the standard ones again when opened.
      db.exec('DELETE FROM sandbox_procedure_parameter');
      const parameter = db.prepare('INSERT INTO sandbox_procedure_parameter (ProcedureName, Position, ParamName, TypeName, MaxLength, IsOutput) VALUES (?, ?, ?, ?, ?, ?)');
      for (const [procedure, parameters] of Object.entries(fingerprint.procedures)) {
        parameters.forEach((declared, index) => parameter.run(procedure, index + 1, declared.name, declared.type, declared.maxLength, declared.output ? 1 : 0));
      }
      // A procedure the site lacks gets only the Position 0 marker: sys.parameters shows none, and the standard signature is not filled in.
      for (const procedure of fingerprint.missingProcedures) parameter.run(procedure, 0, '', 'int', 0, 0);
      for (const trigger of fingerprint.triggers) {
        if (!/^\w+$/.test(trigger.name) || !/^\w+$/.test(trigger.table)) continue;
        db.exec(`CREATE TRIGGER ${trigger.name} AFTER INSERT ON ${trigger.table} BEGIN SELECT 1; END`);
      }
      const deny = db.prepare('INSERT OR IGNORE INTO sandbox_permission_denied (ObjectName, Permission) VALUES (?, ?)');
      for (const { object, permission } of fingerprint.deniedPermissions) deny.run(object, permission);
    },
  });
  return report;
}
