import type { SyncConfig } from '../adapters/config/config-file.js';
import { LedgerFile } from '../app/ledger-file.js';
import type { RetrySelector } from '../core/ports/ledger.js';
import { AcceptRefused } from '../core/engine/accept-sage-journal.js';
import { openSageCrossReference } from '../app/open-sage.js';

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
      const acceptable = group.items.filter((item) => item.sageJournalAcceptable);
      if (acceptable.length > 0) write(`  accept Sage's journal: s5sync accept ${acceptable.length === 1 ? acceptable[0]!.docKey : 'DOC_KEY'} --reason "..." --config <file>`);
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

/**
 * `s5sync accept`: the window's "Accept Sage's journal" (LedgerOperations.acceptSageJournals),
 * asking Sage's cross-reference again before anything is recorded.
 */
export async function acceptCommand(
  config: SyncConfig,
  request: { docKeys: string[]; reason: string | undefined },
  env: NodeJS.ProcessEnv,
  write: (line: string) => void,
): Promise<number> {
  if (request.docKeys.length === 0 || request.reason === undefined) {
    write('use: s5sync accept DOC_KEY... --reason "what you entered in Sage for the difference" --config FILE');
    return 2;
  }
  const file = LedgerFile.open(config);
  try {
    const sage = await openSageCrossReference(config, env);
    try {
      const accepted = await file.operations.acceptSageJournals(sage, request.docKeys, request.reason);
      write(`${accepted.length} document(s) recorded as written under the journal Sage holds for them${accepted.length < request.docKeys.length ? `; ${request.docKeys.length - accepted.length} changed meanwhile and left as they are` : ''}`);
      return 0;
    } finally {
      await sage.close();
    }
  } catch (error) {
    if (!(error instanceof AcceptRefused)) throw error;
    write(`error: Sage's journal not accepted: ${error.message}`);
    return 1;
  } finally {
    file.close();
  }
}
