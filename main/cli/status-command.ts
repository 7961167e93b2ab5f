import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { SyncConfig } from '../adapters/config/config-file.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { LEDGER_FILE_NAME } from '../app/open-runtime.js';
import { arReadiness } from '../app/ar-readiness.js';
import { ledgerStatus } from '../app/ledger-status.js';
import { balanceProofSummary } from './balance-proof-lines.js';

/** `s5sync status`: prints the app layer's ledger status (main/app/ledger-status.ts). */
export function statusCommand(config: SyncConfig, json: boolean, write: (line: string) => void): number {
  const path = join(config.dataDir, LEDGER_FILE_NAME);
  const arPayments = arReadiness(config).cashReceipt;
  if (!existsSync(path)) {
    write(json ? JSON.stringify({ ledger: null, arPayments }) : `no ledger yet at ${path}: run \`s5sync sync --once\` first`);
    if (!json) write(`AR payments: ${arPayments.reason}`);
    return 0;
  }
  const ledger = new SqliteLedger(path);
  try {
    const status = ledgerStatus(ledger, path);
    if (json) {
      write(JSON.stringify({ ...status, arPayments }, null, 2));
      return 0;
    }
    write(`ledger: ${status.ledger}`);
    write(`AR payments: ${arPayments.reason}`);
    write(`objects: ${Object.entries(status.objects).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    write(`documents: ${Object.entries(status.documents).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    const run = status.lastRun;
    write(run ? `last run: #${run.runId} ${run.outcome ?? 'running'} at ${run.finishedAt ?? run.startedAt}${run.message ? ` (${run.message})` : ''}` : 'last run: none');
    write(`events read up to: ${status.cursor.eventsHighWater ?? 'not yet'}; backfill ${status.cursor.backfillDone ? 'done' : 'not finished'}`);
    write(balanceProofSummary(status.balanceProof));
    write(`drift findings: ${ledger.reconciliation.driftFindings().length} (s5sync report payouts shows the payouts; findings are kept in the ledger's drift_findings)`);
    write(status.errorGroups.length ? 'errors (as the Errors view groups them; `s5sync errors` lists every record):' : 'no errors');
    for (const group of status.errorGroups) {
      const more = group.records > group.examples.length ? ', …' : '';
      write(`  ${group.errorClass}: ${group.cause} (${group.records} record${group.records === 1 ? '' : 's'}: ${group.examples.join(', ')}${more})`);
    }
    return 0;
  } finally {
    ledger.close();
  }
}
