import type { ErrorGroup, RunView } from '../../preload/contract.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
import type { OpeningBalanceProposal } from '../core/engine/opening-balance.js';
import { previewChanges, previewObject, type DocumentChange, type ObjectPreview } from '../core/engine/preview.js';
import { testRules, type RuleTestReport } from '../core/engine/rule-test.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { Ledger, RetrySelector } from '../core/ports/ledger.js';
import type { BalanceProof } from '../core/reconciliation/balance-proof.js';
import type { PeriodReport } from '../core/reconciliation/payout-report.js';
import type { BusinessDate } from '../core/time/business-date.js';
import { listErrorGroups } from './error-groups.js';
import { ledgerStatus, type LedgerStatus } from './ledger-status.js';
import { confirmOpeningBalanceAmounts, openingBalance } from './opening-balance-step.js';
import { retryRecords } from './retry-records.js';
import { runHistory } from './run-history.js';
import type { SageCompany } from './sage-company.js';
import { acceptSageJournals } from '../core/engine/accept-sage-journal.js';
import type { SageTarget } from '../core/ports/sage-target.js';

/**
 * The operations on the sync ledger that both the window and `s5sync` offer, in one place:
 * the app service (app-service.ts) calls them on the runtime's ledger with the ledger's current
 * mapping; the CLI (main/cli) on the ledger file its config names (ledger-file.ts) with the
 * config's mapping. Neither has a copy of its own, so `s5sync errors` and the Errors view,
 * `s5sync retry` and the window's Retry, `s5sync preview` and the window's preview can never
 * tell different stories.
 */
export class LedgerOperations {
  constructor(
    private readonly ledger: Ledger,
    /** The mapping the operations plan and explain with. */
    private readonly mapping: () => Mapping,
  ) {}

  runHistory(page: { limit: number; offset: number }): { runs: RunView[]; total: number } {
    return runHistory(this.ledger, page);
  }

  errorGroups(): ErrorGroup[] {
    return listErrorGroups(this.ledger);
  }

  /** Queues documents and records again (the next run writes or re-plans them); how many were queued. */
  retry(selector: RetrySelector): number {
    return retryRecords(this.ledger, selector);
  }

  /**
   * "Accept Sage's journal" (core/engine/accept-sage-journal.ts), asking Sage's cross-reference
   * through `sage`; the keys recorded as written. Throws AcceptRefused, recording none, when one
   * of the documents is not such a refusal, Sage no longer holds its key, or the reason is empty.
   */
  acceptSageJournals(sage: Pick<SageTarget, 'findWritten'>, docKeys: readonly string[], reason: string): Promise<string[]> {
    return acceptSageJournals(this.ledger.documents, sage, docKeys, reason);
  }

  /** Counts, last run, reading position, last balance proof and error groups, without Stripe or Sage. */
  status(): LedgerStatus {
    return ledgerStatus(this.ledger);
  }

  /** One object's documents, stored and as the mapping would plan them; null when the ledger has not read it. */
  previewObject(objectId: string): ObjectPreview | null {
    return previewObject(this.ledger, this.mapping(), objectId);
  }

  /** Unwritten documents whose lines the mapping would change. */
  previewChanges(): DocumentChange[] {
    return previewChanges(this.ledger, this.mapping());
  }

  /** The mapping's rules evaluated on one stored object; null when the ledger has not read it. */
  testRules(objectId: string): RuleTestReport | null {
    return testRules(this.ledger, this.mapping(), objectId);
  }

  /** The balance proof of the last run that made one; null before any. */
  lastBalanceProof(): BalanceProof | null {
    return lastBalanceProof(this.ledger.runs);
  }

  /** The opening-balance journal proposed at go-live; null without a go-live date. */
  openingBalance(goLiveDate: string | null): OpeningBalanceProposal | null {
    return openingBalance(this.ledger, this.mapping(), goLiveDate);
  }

  /** Confirms exactly the amounts shown; throws OpeningBalanceRefused when they are no longer the proposal. */
  confirmOpeningBalance(goLiveDate: string | null, seen: { clearing: string; inTransit: string }): OpeningBalanceProposal {
    return confirmOpeningBalanceAmounts(this.ledger, this.mapping(), goLiveDate, seen);
  }

  /**
   * The payouts arriving in a period, Stripe's side from the ledger beside what Sage holds for
   * them; never read from Stripe. The accounts and time zone are the ledger's current mapping
   * (the one the engine booked with), else the operations' own.
   */
  periodPayoutReport(sage: SageCompany, period: { from: BusinessDate; to: BusinessDate }): Promise<PeriodReport> {
    const mapping = this.ledger.mappings.currentMapping()?.mapping ?? this.mapping();
    return sage.periodPayoutReport(this.ledger, { clearing: mapping.accounts.clearing, bank: mapping.accounts.bank, timeZone: mapping.timeZone }, period);
  }
}
