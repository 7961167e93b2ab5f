import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import { renderReportCsv } from '../adapters/reports/report-csv.js';
import { renderReportTable } from '../adapters/reports/report-table.js';
import { LedgerFile } from '../app/ledger-file.js';
import { openSageCompany } from '../app/open-sage.js';
import { isBusinessDate } from '../core/time/business-date.js';
import { balanceProofReport } from './balance-proof-lines.js';

export interface ReportOptions {
  from: string | undefined;
  to: string | undefined;
  csv: boolean;
}

/**
 * `s5sync report payouts`: the payouts arriving in a period, Stripe's side beside what Sage
 * holds, read from the ledger and from Sage; never from Stripe. A readable table by default,
 * CSV for a spreadsheet with `--csv`.
 */
export async function reportCommand(config: SyncConfig, options: ReportOptions, env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<number> {
  const from = requireDate(options.from, '--from');
  const to = requireDate(options.to, '--to');
  if (to < from) throw new ConfigError('--to must not be before --from');
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(`no ledger yet at ${LedgerFile.pathOf(config)}: run \`s5sync sync --once\` first`);
    return 1;
  }
  try {
    const sage = await openSageCompany(config, env);
    const report = await file.operations.periodPayoutReport(sage, { from, to }).finally(() => sage.close());
    if (options.csv) write(renderReportCsv(report));
    else for (const line of renderReportTable(report)) write(line);
    return 0;
  } finally {
    file.close();
  }
}

/** `s5sync report balance`: the last balance proof, every transaction in the difference listed; from the ledger only. */
export function balanceReportCommand(config: SyncConfig, json: boolean, write: (text: string) => void): number {
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(`no ledger yet at ${LedgerFile.pathOf(config)}: run \`s5sync sync --once\` first`);
    return 1;
  }
  try {
    const proof = file.operations.lastBalanceProof();
    if (json) write(JSON.stringify(proof, null, 2));
    else for (const line of balanceProofReport(proof)) write(line);
    return proof === null || proof.holds ? 0 : 1;
  } finally {
    file.close();
  }
}

function requireDate(value: string | undefined, name: string): string {
  if (value === undefined || !isBusinessDate(value)) throw new ConfigError(`${name} YYYY-MM-DD is required`);
  return value;
}
