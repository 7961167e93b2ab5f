import type { SyncConfig } from '../adapters/config/config-file.js';
import type { Ledger } from '../core/ports/ledger.js';
import { readPeriodReport } from '../adapters/reports/payout-report-source.js';
import type { PeriodReport } from '../core/reconciliation/payout-report.js';
import type { BusinessDate } from '../core/time/business-date.js';
import { openSage } from './open-sage.js';

/**
 * The payouts arriving in a period, Stripe's side from the ledger beside what Sage holds for
 * them; never read from Stripe. Sage is opened for the read and closed after it. The accounts
 * and time zone are the ledger's current mapping (the one the engine books with), else the config's.
 */
export async function periodPayoutReport(
  ledger: Ledger,
  config: SyncConfig,
  env: NodeJS.ProcessEnv,
  period: { from: BusinessDate; to: BusinessDate },
): Promise<PeriodReport> {
  const sage = await openSage(config, env);
  try {
    const mapping = ledger.mappings.currentMapping()?.mapping ?? config.mapping;
    return await readPeriodReport(
      { ledger, sage, companyId: config.companyId, accounts: { clearing: mapping.accounts.clearing, bank: mapping.accounts.bank, timeZone: mapping.timeZone } },
      period.from,
      period.to,
    );
  } finally {
    await sage.close();
  }
}
