import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncConfig } from '../adapters/config/config-file.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { LedgerOperations } from './ledger-operations.js';
import { LEDGER_FILE_NAME } from './open-runtime.js';

/**
 * The ledger file of a config, opened the one way every `s5sync` command other than a sync
 * opens it: no engine, no Stripe, no Sage, no data-folder lock (so `s5sync status` answers while
 * `s5sync run` is syncing). The operations are the same ones the window's service calls
 * (ledger-operations.ts), planned and explained with the config's mapping.
 */
export class LedgerFile {
  private constructor(
    private readonly ledger: SqliteLedger,
    readonly operations: LedgerOperations,
  ) {}

  /** The ledger file of a config, whether or not a sync has made it yet. */
  static pathOf(config: SyncConfig): string {
    return join(config.dataDir, LEDGER_FILE_NAME);
  }

  /** The ledger, or null when no sync has made it yet (opening would create an empty one). */
  static openExisting(config: SyncConfig): LedgerFile | null {
    return existsSync(LedgerFile.pathOf(config)) ? LedgerFile.open(config) : null;
  }

  /** The ledger, created empty when no sync has made it yet. */
  static open(config: SyncConfig): LedgerFile {
    const ledger = new SqliteLedger(LedgerFile.pathOf(config));
    return new LedgerFile(ledger, new LedgerOperations(ledger, () => config.mapping));
  }

  close(): void {
    this.ledger.close();
  }
}
