import type { SyncConfig } from '../adapters/config/config-file.js';
import { openSandbox } from '../simulators/sage-sandbox/sandbox.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { ensureSandboxExists } from './runtime-preconditions.js';

/** The Sage SQL port a config names: the SQLite sandbox, or SQL Server with the password from outside the file. */
export async function openSage(config: SyncConfig, env: NodeJS.ProcessEnv, sqlPassword?: string): Promise<SagePort> {
  if (config.sage.kind === 'sandbox') {
    ensureSandboxExists(config.sage.path);
    return openSandbox(config.sage.path);
  }
  const password = sqlPassword ?? env.S5SYNC_SQL_PASSWORD;
  if (!password) {
    throw new Error('no SQL Server password: save it in the app (Windows Credential Manager) or set S5SYNC_SQL_PASSWORD for headless runs');
  }
  // Loaded only for SQL Server: the mssql driver (tedious and its Azure dependencies) takes
  // longer to load than a whole idle sync against the sandbox (docs/performance.md, startup).
  const { openMssql } = await import('../adapters/sage/mssql-executor.js');
  return openMssql(config.sage, password);
}
