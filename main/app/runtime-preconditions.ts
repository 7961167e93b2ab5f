import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { ConfigError } from '../adapters/config/config-file.js';
import { listSageCompanies } from '../adapters/sage/sage-companies.js';
import type { SqlSession } from '../adapters/sage/sql-port.js';

/**
 * The checks that turn a driver's raw message ("SQLITE_CANTOPEN", "EACCES: permission denied")
 * into a ConfigError (exit code 2) that names the path or the value and says how to fix it.
 * They run before anything is opened for writing.
 */

/** The data folder must exist (created if missing) and be readable and writable: the ledger and lock live there. */
export function ensureWritableDataDir(dataDir: string): void {
  const fix = 'give the account that runs the sync read and write access to it, or point dataDir in the config at a folder it can write';
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ConfigError(`the data folder ${dataDir} cannot be created (${errorCode(error)}); ${fix}`);
  }
  try {
    accessSync(dataDir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new ConfigError(`the data folder ${dataDir} cannot be read and written (${errorCode(error)}); ${fix}`);
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
}

/**
 * The sandbox file is not at its path. A ConfigError for the CLI (exit 2 with the fix); the
 * tray app, whose wizard tested the path before saving it, treats it as Sage out of reach
 * (a sandbox on a drive or share not connected yet) and tries again on its own.
 */
export class SandboxMissingError extends ConfigError {
  constructor(readonly path: string) {
    super(`the Sage 500 sandbox file ${path} does not exist; create it with \`s5sync sandbox init --path "${path}"\` or correct sage.path in the config`);
  }
}

/** The sandbox is never created implicitly: a typo in sage.path must not start an empty Sage. */
export function ensureSandboxExists(path: string): void {
  if (!existsSync(path)) throw new SandboxMissingError(path);
}

/** companyId must name a company in tsmCompany, or every document would be refused one by one. */
export async function ensureCompanyExists(sage: SqlSession, companyId: string): Promise<void> {
  const companies = (await listSageCompanies(sage)).map((company) => company.companyId);
  if (!companies.includes(companyId)) {
    throw new ConfigError(
      `company "${companyId}" is not in this Sage database (tsmCompany has ${companies.length ? companies.join(', ') : 'no companies'}); ` +
        'set companyId in the config to one of them',
    );
  }
}
