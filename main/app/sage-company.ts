import type { MappingProblem, PreflightItem, SageAccountView, SageReferencesView } from '../../preload/contract.js';
import { readPeriodReport } from '../adapters/reports/payout-report-source.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { readSageReferenceIds } from '../adapters/sage/reference-ids.js';
import { listXrefKeys } from '../adapters/sage/xref-store.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { Ledger } from '../core/ports/ledger.js';
import type { PeriodReport, ReportAccounts } from '../core/reconciliation/payout-report.js';
import type { BusinessDate } from '../core/time/business-date.js';
import { sageAccountProblems } from './mapping-account-check.js';
import { listSageAccounts } from './sage-accounts.js';
import { sagePreflight } from './sage-preflight.js';

/**
 * What the application asks of the Sage company besides writing to it: the chart of accounts
 * for the mapping editor, the checks of Settings → Test Sage and the period payout report. The runtime hands this out
 * instead of its SQL port, so only the writer and these reads touch Sage.
 */
export interface SageCompany {
  readonly companyId: string;
  listAccounts(search: string): Promise<SageAccountView[]>;
  /** Customer classes, items and warehouses, for the rules editor's pickers. */
  references(): Promise<SageReferencesView>;
  accountProblems(mapping: Mapping, today: string): Promise<MappingProblem[]>;
  preflight(mapping: Mapping, today: string): Promise<PreflightItem[]>;
  /** The documents tciStripeXref_STRIPE records for the company (the ledger rebuild compares its result with them). */
  crossReferences(): Promise<{ docKey: string; sageTable: string }[]>;
  /** The payouts the ledger holds arriving in a period, beside the journal lines Sage holds for them. */
  periodPayoutReport(ledger: Ledger, accounts: ReportAccounts, period: { from: BusinessDate; to: BusinessDate }): Promise<PeriodReport>;
}

export function sageCompanyOver(sage: SagePort, companyId: string): SageCompany {
  return {
    companyId,
    listAccounts: (search) => listSageAccounts(sage, companyId, search),
    references: () => readSageReferenceIds(sage, companyId),
    accountProblems: (mapping, today) => sageAccountProblems(sage, companyId, mapping, today),
    preflight: (mapping, today) => sagePreflight(sage, companyId, mapping, today),
    crossReferences: () => listXrefKeys(sage, companyId),
    periodPayoutReport: (ledger, accounts, period) => readPeriodReport({ ledger, sage, companyId, accounts }, period.from, period.to),
  };
}
