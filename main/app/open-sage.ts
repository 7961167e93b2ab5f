import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import { openSandbox } from '../simulators/sage-sandbox/sandbox.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { ensureSandboxExists } from './runtime-preconditions.js';
import { sageCompanyOver, type SageCompany } from './sage-company.js';
import { findXrefs } from '../adapters/sage/xref-store.js';
import { toSageWriteError } from '../adapters/sage/sage-errors.js';
import type { SageTarget } from '../core/ports/sage-target.js';

/** The Sage SQL port a config names: the SQLite sandbox, or SQL Server with the password from outside the file. */
export async function openSage(config: SyncConfig, env: NodeJS.ProcessEnv, sqlPassword?: string): Promise<SagePort> {
  return openSageTarget(config.sage, sqlPassword ?? env.S5SYNC_SQL_PASSWORD);
}

/** The Sage SQL port of one target (the setup wizard tests targets before they are saved). */
export async function openSageTarget(target: SyncConfig['sage'], password: string | undefined): Promise<SagePort> {
  if (target.kind === 'sandbox') {
    ensureSandboxExists(target.path);
    return openSandbox(target.path);
  }
  if (!password) {
    throw new ConfigError('no SQL Server password: save it in the app (Windows Credential Manager) or set S5SYNC_SQL_PASSWORD for headless runs');
  }
  // Loaded only for SQL Server: the mssql driver (tedious and its Azure dependencies) takes
  // longer to load than a whole idle sync against the sandbox (docs/performance.md, startup).
  const { openMssql } = await import('../adapters/sage/mssql-executor.js');
  return openMssql(target, password);
}

/** The Sage company a config names, on a connection of its own that the caller closes (commands that read Sage without the engine). */
export async function openSageCompany(config: SyncConfig, env: NodeJS.ProcessEnv): Promise<SageCompany & { close(): Promise<void> }> {
  const port = await openSage(config, env);
  return { ...sageCompanyOver(port, config.companyId), close: () => port.close() };
}

/** Sage's cross-reference (tciStripeXref_STRIPE) as the writer reads it, on a connection of its own that the caller closes (`s5sync accept`). */
export async function openSageCrossReference(config: SyncConfig, env: NodeJS.ProcessEnv): Promise<Pick<SageTarget, 'findWritten'> & { close(): Promise<void> }> {
  const port = await openSage(config, env);
  return {
    findWritten: (docKeys) => findXrefs(port, config.companyId, docKeys).catch((error: unknown) => {
      throw toSageWriteError(error, 'Reading tciStripeXref_STRIPE');
    }),
    close: () => port.close(),
  };
}
