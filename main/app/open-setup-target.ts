import type { SageTargetInput } from '../../preload/contract.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { openSageTarget } from './open-sage.js';

/** The Sage SQL port of a target the setup wizard is testing (not yet saved in the settings). */
export function openSetupTarget(target: SageTargetInput, password: string | null): Promise<SagePort> {
  if (target.kind === 'sandbox') return openSageTarget({ kind: 'sandbox', path: target.sandboxPath }, undefined);
  return openSageTarget(
    {
      kind: 'mssql',
      server: target.server,
      ...(target.port === null ? {} : { port: target.port }),
      database: target.database,
      user: target.user,
      ...(target.authentication === 'windows' && target.domain ? { domain: target.domain } : {}),
      encrypt: target.encrypt,
      trustServerCertificate: target.trustServerCertificate,
    },
    password ?? undefined,
  );
}
