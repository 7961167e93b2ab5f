import type { LedgerConnection } from './ledger-connection.js';

/**
 * True when every one of these triggers exists. A carry between runs (the plan-alone pass, the
 * balance proof, the drift lists) is only as complete as the triggers that record what changed
 * under it, and a migration that rebuilds a table by copy, drop and rename drops that table's
 * triggers without an error: a carry whose triggers are not all there is not trusted.
 */
export function triggersPresent(connection: LedgerConnection, names: readonly string[]): boolean {
  const present = connection
    .sql(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?))`)
    .pluck()
    .get(JSON.stringify(names)) as number;
  return present === names.length;
}
