import type { SyncConfig } from '../adapters/config/config-file.js';
import { rebuildLedger } from '../app/ledger-rebuild.js';

/** `s5sync ledger rebuild [--force]`: prints what the app layer's rebuild (main/app/ledger-rebuild.ts) did. */
export async function ledgerRebuildCommand(config: SyncConfig, env: NodeJS.ProcessEnv, force: boolean, write: (line: string) => void): Promise<number> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  write('rebuilding the sync ledger from Sage 500 (tciStripeXref_STRIPE) and Stripe…');
  const rebuild = await rebuildLedger(config, env, { force, stamp });
  write(rebuild.keptAs ? `the old ledger is kept as ${rebuild.keptAs}` : 'there was no ledger file; a new one was made');
  write(`Sage's cross-reference held ${rebuild.crossReferencesBefore} document(s):`);
  write(`  ${rebuild.adopted} planned again from Stripe and adopted as written with their Sage keys (not written again)`);
  if (rebuild.customersMatched > 0) write(`  ${rebuild.customersMatched} customer(s) found in Sage by CustID or e-mail when planning (not created again)`);
  if (rebuild.beforeHistory > 0) {
    write(`  ${rebuild.beforeHistory} from Stripe activity before the history this run read (sync.historyFrom / backfillDays): they stay in Sage and are never written again`);
  }
  write(`${rebuild.writtenNow} document(s) Sage did not have yet were written now`);
  write(`rebuild run #${rebuild.run.runId}: ${rebuild.run.outcome ?? 'unfinished'}${rebuild.run.message ? ` (${rebuild.run.message})` : ''}`);
  return rebuild.run.outcome === 'failed' ? 1 : 0;
}
