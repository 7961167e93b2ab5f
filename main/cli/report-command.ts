import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { readPeriodReport } from '../adapters/reports/payout-report-source.js';
import { renderReportCsv } from '../adapters/reports/report-csv.js';
import { renderReportTable } from '../adapters/reports/report-table.js';
import { LEDGER_FILE_NAME } from '../app/open-runtime.js';
import { openSage } from '../app/open-sage.js';
import { isBusinessDate } from '../core/time/business-date.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
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
  const path = join(config.dataDir, LEDGER_FILE_NAME);
  if (!existsSync(path)) {
    write(`no ledger yet at ${path}: run \`s5sync sync --once\` first`);
    return 1;
  }
  const ledger = new SqliteLedger(path);
  const sage = await openSage(config, env);
  try {
    const mapping = ledger.mappings.currentMapping()?.mapping ?? config.mapping;
    const report = await readPeriodReport(
      { ledger, sage, companyId: config.companyId, accounts: { clearing: mapping.accounts.clearing, bank: mapping.accounts.bank, timeZone: mapping.timeZone } },
      from,
      to,
    );
    if (options.csv) write(renderReportCsv(report));
    else for (const line of renderReportTable(report)) write(line);
    return 0;
  } finally {
    ledger.close();
    await sage.close();
  }
}

/** `s5sync report balance`: the last balance proof, every transaction in the difference listed; from the ledger only. */
export function balanceReportCommand(config: SyncConfig, json: boolean, write: (text: string) => void): number {
  const path = join(config.dataDir, LEDGER_FILE_NAME);
  if (!existsSync(path)) {
    write(`no ledger yet at ${path}: run \`s5sync sync --once\` first`);
    return 1;
  }
  const ledger = new SqliteLedger(path);
  try {
    const proof = lastBalanceProof(ledger.runs);
    if (json) write(JSON.stringify(proof, null, 2));
    else for (const line of balanceProofReport(proof)) write(line);
    return proof === null || proof.holds ? 0 : 1;
  } finally {
    ledger.close();
  }
}

function requireDate(value: string | undefined, name: string): string {
  if (value === undefined || !isBusinessDate(value)) throw new ConfigError(`${name} YYYY-MM-DD is required`);
  return value;
}
