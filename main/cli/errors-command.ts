import type { SyncConfig } from '../adapters/config/config-file.js';
import { LedgerFile } from '../app/ledger-file.js';
import type { RetrySelector } from '../core/ports/ledger.js';

const ITEMS_SHOWN = 20;

/**
 * `s5sync errors`: the Errors view as text. The groups come from the same operation the window
 * calls (LedgerOperations.errorGroups), so a cause shown here is the cause `s5sync retry --cause` and the
 * window's Retry select on.
 */
export function errorsCommand(config: SyncConfig, write: (line: string) => void): number {
  const file = LedgerFile.open(config);
  try {
    const groups = file.operations.errorGroups();
    if (groups.length === 0) {
      write('no errors');
      return 0;
    }
    for (const group of groups) {
      write(`${group.errorClass}: ${group.cause}`);
      write(`  ${group.explanation}`);
      write(`  fix: ${group.fix}`);
      for (const item of group.items.slice(0, ITEMS_SHOWN)) {
        write(`  ${item.docKey} (${item.state}, ${item.attempts} attempt${item.attempts === 1 ? '' : 's'})${item.message === group.cause ? '' : `: ${item.message}`}`);
      }
      if (group.items.length > ITEMS_SHOWN) write(`  … and ${group.items.length - ITEMS_SHOWN} more`);
      write(`  retry: s5sync retry --cause "${group.cause.replace(/"/g, '\\"')}" --config <file>`);
    }
    return 0;
  } finally {
    file.close();
  }
}

/** `s5sync retry`: the window's Retry (LedgerOperations.retry); the next sync writes or re-plans what it queued. */
export function retryCommand(
  config: SyncConfig,
  selector: { all: boolean; cause: string | undefined; docKeys: string[] },
  write: (line: string) => void,
): number {
  const chosen: RetrySelector | null = selector.all
    ? { all: true }
    : selector.cause
      ? { cause: selector.cause }
      : selector.docKeys.length
        ? { docKeys: selector.docKeys }
        : null;
  if (chosen === null) {
    write('say what to retry: --all, --cause TEXT, or one or more document keys (object:<Stripe id> for a record that could not be planned)');
    return 2;
  }
  const file = LedgerFile.open(config);
  try {
    write(`${file.operations.retry(chosen)} record(s) queued again; they are planned and written on the next sync`);
    return 0;
  } finally {
    file.close();
  }
}
