import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { SagePort } from '../../adapters/sage/sql-port.js';
import { ALL_TABLES, keyTriggersDdl, tableDdl } from './ddl.js';
import { createCatalogTables } from './information-schema.js';
import { SandboxExecutor } from './sandbox-executor.js';
import { seedCompany } from './seed.js';
import type { TableSpec } from './table-spec.js';
import { DEFAULT_SAGE_COMPANY_ID } from '../../core/defaults.js';

export interface SandboxOptions {
  /** Sage CompanyID (3 characters); default DEFAULT_SAGE_COMPANY_ID. */
  companyId?: string;
  /** YYYY-MM-DD; default today. Fiscal periods are open for this year and the previous one. */
  today?: string;
  /** The table specs to create; default the standard Sage subset (a site's shape: from-fingerprint.ts). */
  tables?: readonly TableSpec[];
  /** Runs after the seed in the same transaction (a site's shape: drops, triggers, denied grants). */
  afterSeed?: (db: Database.Database) => void;
}

function isoToday(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/**
 * Creates a Sage 500 sandbox: a SQLite file with Sage's table and column names for the
 * subset the sync uses, seeded with one company. Refuses to overwrite an existing file.
 */
export function createSandbox(path: string, options: SandboxOptions = {}): void {
  const companyId = options.companyId ?? DEFAULT_SAGE_COMPANY_ID;
  if (companyId.length !== 3) throw new Error(`Sage CompanyID must be 3 characters, got "${companyId}"`);
  if (existsSync(path)) throw new Error(`${path} already exists; the sandbox is never overwritten`);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // A site's shape may drop a table others point at; the deferred keys are checked again when the sandbox is used.
    db.pragma(`foreign_keys = ${options.afterSeed ? 'OFF' : 'ON'}`);
    db.transaction(() => {
      for (const table of options.tables ?? ALL_TABLES) db.exec(tableDdl(table));
      for (const table of options.tables ?? ALL_TABLES) for (const trigger of keyTriggersDdl(table)) db.exec(trigger);
      seedCompany(db, { companyId, today: options.today ?? isoToday() });
      createCatalogTables(db);
      options.afterSeed?.(db);
    }).immediate();
  } finally {
    db.close();
  }
}

/** Opens an existing sandbox file as the Sage SQL port. */
export function openSandbox(path: string): SagePort {
  return new SandboxExecutor(new Database(path, { fileMustExist: true }));
}
