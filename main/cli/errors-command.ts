import { join } from 'node:path';
import type { SyncConfig } from '../adapters/config/config-file.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { LEDGER_FILE_NAME } from '../app/open-runtime.js';
import type { StoredDocument } from '../core/ports/ledger.js';

/** `s5sync errors`: the dead-letter list, grouped by cause so one fix can retry many records. */
export function errorsCommand(config: SyncConfig, write: (line: string) => void): number {
  const ledger = new SqliteLedger(join(config.dataDir, LEDGER_FILE_NAME));
  try {
    const failed = [...ledger.documents.documentsInState('failed', 10_000), ...ledger.documents.documentsInState('dead', 10_000)];
    const issues = ledger.objects.objectIssues().filter((issue) => issue.errorClass !== 'waiting');
    if (failed.length === 0 && issues.length === 0) {
      write('no errors');
      return 0;
    }
    const byCause = new Map<string, StoredDocument[]>();
    for (const doc of failed) byCause.set(doc.lastError ?? 'unknown', [...(byCause.get(doc.lastError ?? 'unknown') ?? []), doc]);
    for (const [cause, docs] of byCause) {
      write(`${docs[0]!.errorClass ?? 'error'}: ${cause}`);
      for (const doc of docs.slice(0, 20)) write(`  ${doc.docKey} (${doc.state}, ${doc.attempts} attempt${doc.attempts === 1 ? '' : 's'})`);
      if (docs.length > 20) write(`  … and ${docs.length - 20} more`);
      write(`  retry: s5sync retry --cause "${cause.replace(/"/g, '\\"')}" --config <file>`);
    }
    for (const issue of issues) write(`${issue.errorClass}: ${issue.objectId}: ${issue.message}`);
    return 0;
  } finally {
    ledger.close();
  }
}

export function retryCommand(
  config: SyncConfig,
  selector: { all: boolean; cause: string | undefined; docKeys: string[] },
  write: (line: string) => void,
): number {
  const ledger = new SqliteLedger(join(config.dataDir, LEDGER_FILE_NAME));
  try {
    const count = selector.all
      ? ledger.documents.retryDocuments({ all: true })
      : selector.cause
        ? ledger.documents.retryDocuments({ cause: selector.cause })
        : selector.docKeys.length
          ? ledger.documents.retryDocuments({ docKeys: selector.docKeys })
          : null;
    if (count === null) {
      write('say what to retry: --all, --cause TEXT, or one or more document keys');
      return 2;
    }
    write(`${count} record(s) queued again; they are written on the next sync`);
    return 0;
  } finally {
    ledger.close();
  }
}
