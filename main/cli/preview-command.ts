import type { SyncConfig } from '../adapters/config/config-file.js';
import { LedgerFile } from '../app/ledger-file.js';
import type { PreviewDocument, PreviewLine } from '../core/engine/preview.js';

/**
 * `s5sync preview <stripe-object-id>`: the Sage documents of one object, stored and as the
 * config's current mapping would plan them. `s5sync preview --changes`: unwritten documents
 * whose lines the current mapping would change. Reads the ledger only; writes nothing.
 */
export function previewCommand(
  config: SyncConfig,
  request: { objectId: string | null; changes: boolean; json: boolean },
  write: (line: string) => void,
): number {
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(`no ledger yet at ${LedgerFile.pathOf(config)}: run \`s5sync sync --once\` first`);
    return 1;
  }
  try {
    if (request.changes) {
      const changes = file.operations.previewChanges();
      if (request.json) {
        write(JSON.stringify({ changes }, null, 2));
        return 0;
      }
      write(changes.length === 0 ? 'no unwritten document would change with the current mapping' : `${changes.length} unwritten document(s) would change:`);
      for (const change of changes) {
        write('');
        write(`${change.docKey} (${change.state}, ${change.stripeObjectId})${change.note ? `: ${change.note}` : ''}`);
        write('  before:');
        printLines(change.before, write, '    ');
        if (change.after) {
          write('  after:');
          printLines(change.after, write, '    ');
        }
      }
      return 0;
    }
    if (!request.objectId) {
      write('use: s5sync preview <stripe-object-id> --config FILE, or s5sync preview --changes --config FILE');
      return 2;
    }
    const preview = file.operations.previewObject(request.objectId);
    if (!preview) {
      write(`${request.objectId} is not in the ledger; run \`s5sync sync --once\` to read it from Stripe`);
      return 1;
    }
    if (request.json) {
      write(JSON.stringify(preview, null, 2));
      return 0;
    }
    write(`${preview.objectId} (${preview.kind})${preview.issue ? ` — ${preview.issue.errorClass}: ${preview.issue.message}` : ''}`);
    write(preview.stored.length ? 'in the ledger:' : 'in the ledger: no documents yet');
    for (const document of preview.stored) printDocument(document, write);
    write(preview.currentError ? `with the current mapping: cannot be planned: ${preview.currentError}` : 'with the current mapping:');
    if (!preview.currentError && preview.current.length === 0) write('  no documents (nothing to book for this object in its current state)');
    for (const document of preview.current) printDocument(document, write);
    return 0;
  } finally {
    file.close();
  }
}

export function printDocument(document: PreviewDocument, write: (line: string) => void): void {
  const state = document.state === 'not planned yet' ? '' : ` [${document.state}${document.sage ? ` → Sage ${document.sage}` : ''}]`;
  write(`  ${document.type} ${document.docKey}${state}${document.date ? `  date ${document.date}` : ''}`);
  write(`    ${document.description}`);
  if (document.summarisedIn) write(`    daily-summary mode: booked through ${document.summarisedIn}`);
  if (document.error) write(`    last error: ${document.error}`);
  for (const rule of document.rules) write(`    ${rule}`);
  if (document.lines.length) printLines(document.lines, write, '    ');
  for (const line of document.orderLines) write(`    item ${line.itemId}  qty ${line.quantity} × ${line.unitPrice} = ${line.extAmount}  ${line.description}`);
}

function printLines(lines: readonly PreviewLine[], write: (line: string) => void, indent: string): void {
  write(`${indent}${'account'.padEnd(12)}${'debit'.padStart(14)}${'credit'.padStart(14)}  comment / trace`);
  for (const line of lines) {
    write(`${indent}${line.acctNo.padEnd(12)}${line.debit.padStart(14)}${line.credit.padStart(14)}  ${line.comment} / ${line.traceId}`);
  }
}
