import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorGroup, RunView } from '../../preload/contract.js';
import type { SyncConfig } from '../adapters/config/config-file.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
import type { BalanceProof } from '../core/reconciliation/balance-proof.js';
import type { PeriodReport } from '../core/reconciliation/payout-report.js';
import type { BusinessDate } from '../core/time/business-date.js';
import { previewChanges, previewObject, type DocumentChange, type ObjectPreview } from '../core/engine/preview.js';
import { testRules, type RuleTestReport } from '../core/engine/rule-test.js';
import { listErrorGroups } from './error-groups.js';
import { LEDGER_FILE_NAME } from './open-runtime.js';
import { periodPayoutReport } from './period-payout-report.js';
import { runHistory } from './run-history.js';

/**
 * The read-only ledger operations the CLI prints, opened the one way every read command opens
 * the ledger: the config's data folder, no engine, nothing written. Each operation is the one
 * the window's service calls, so `s5sync runs` and the Run history, `s5sync errors` and the
 * Errors view, can never tell different stories.
 */
export class LedgerReader {
  private constructor(
    private readonly ledger: SqliteLedger,
    readonly config: SyncConfig,
  ) {}

  /** The ledger file of a config, whether or not a sync has made it yet. */
  static pathOf(config: SyncConfig): string {
    return join(config.dataDir, LEDGER_FILE_NAME);
  }

  /** The reader, or null when no sync has made the ledger yet (opening would create an empty one). */
  static openExisting(config: SyncConfig): LedgerReader | null {
    return existsSync(LedgerReader.pathOf(config)) ? LedgerReader.open(config) : null;
  }

  static open(config: SyncConfig): LedgerReader {
    return new LedgerReader(new SqliteLedger(LedgerReader.pathOf(config)), config);
  }

  runHistory(page: { limit: number; offset: number }): { runs: RunView[]; total: number } {
    return runHistory(this.ledger, page);
  }

  errorGroups(): ErrorGroup[] {
    return listErrorGroups(this.ledger);
  }

  /** One object's documents, stored and as the config's mapping would plan them; null when the ledger has not read it. */
  previewObject(objectId: string): ObjectPreview | null {
    return previewObject(this.ledger, this.config.mapping, objectId);
  }

  /** Unwritten documents whose lines the config's mapping would change. */
  previewChanges(): DocumentChange[] {
    return previewChanges(this.ledger, this.config.mapping);
  }

  /** The config's rules evaluated on one stored object; null when the ledger has not read it. */
  testRules(objectId: string): RuleTestReport | null {
    return testRules(this.ledger, this.config.mapping, objectId);
  }

  /** The payouts arriving in a period beside what Sage holds for them (opens Sage for the read). */
  periodPayoutReport(env: NodeJS.ProcessEnv, period: { from: BusinessDate; to: BusinessDate }): Promise<PeriodReport> {
    return periodPayoutReport(this.ledger, this.config, env, period);
  }

  /** The balance proof of the last run that made one; null before any. */
  lastBalanceProof(): BalanceProof | null {
    return lastBalanceProof(this.ledger.runs);
  }

  close(): void {
    this.ledger.close();
  }
}
