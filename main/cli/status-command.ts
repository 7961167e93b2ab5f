import type { SyncConfig } from '../adapters/config/config-file.js';
import { arInvoiceReadiness } from '../app/ar-invoice-readiness.js';
import { arReadiness } from '../app/ar-readiness.js';
import { LedgerFile } from '../app/ledger-file.js';
import { balanceProofSummary } from './balance-proof-lines.js';

/** `s5sync status`: prints the app layer's ledger status (LedgerOperations.status, main/app/ledger-status.ts). */
export function statusCommand(config: SyncConfig, json: boolean, write: (line: string) => void): number {
  const path = LedgerFile.pathOf(config);
  const arPayments = arReadiness(config).cashReceipt;
  const { template: _template, ...arInvoices } = arInvoiceReadiness(config, arPayments);
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(json ? JSON.stringify({ ledger: null, arPayments }) : `no ledger yet at ${path}: run \`s5sync sync --once\` first`);
    if (!json) write(`AR payments: ${arPayments.reason}`);
    if (!json) write(`AR invoices for Stripe sales: ${arInvoices.reason}`);
    return 0;
  }
  try {
    const status = file.operations.status();
    if (json) {
      write(JSON.stringify({ ledger: path, ...status, arPayments, arInvoices }, null, 2));
      return 0;
    }
    write(`ledger: ${path}`);
    write(`AR payments: ${arPayments.reason}`);
    write(`AR invoices for Stripe sales: ${arInvoices.reason}`);
    write(`objects: ${Object.entries(status.objects).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    write(`documents: ${Object.entries(status.documents).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    const run = status.lastRun;
    write(run ? `last run: #${run.runId} ${run.outcome ?? 'running'} at ${run.finishedAt ?? run.startedAt}${run.message ? ` (${run.message})` : ''}` : 'last run: none');
    write(`events read up to: ${status.cursor.eventsHighWater ?? 'not yet'}; backfill ${status.cursor.backfillDone ? 'done' : 'not finished'}`);
    write(balanceProofSummary(status.balanceProof));
    write(`drift findings: ${status.driftFindings} (s5sync report payouts shows the payouts; findings are kept in the ledger's drift_findings)`);
    write(status.errorGroups.length ? 'errors (as the Errors view groups them; `s5sync errors` lists every record):' : 'no errors');
    for (const group of status.errorGroups) {
      const more = group.records > group.examples.length ? ', …' : '';
      write(`  ${group.errorClass}: ${group.cause} (${group.records} record${group.records === 1 ? '' : 's'}: ${group.examples.join(', ')}${more})`);
    }
    const held = status.heldBack;
    if (held.records > 0) {
      write(`held back, waiting for another document (${held.records} record${held.records === 1 ? '' : 's'}; written as soon as it is):`);
      for (const example of held.examples) write(`  ${example.docKey}: ${example.note}`);
      if (held.records > held.examples.length) write(`  … and ${held.records - held.examples.length} more (the Activity view shows each)`);
    }
    return 0;
  } finally {
    file.close();
  }
}
