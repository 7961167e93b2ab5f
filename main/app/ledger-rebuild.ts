import { existsSync, renameSync } from 'node:fs';
import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import { LedgerOpenError } from '../adapters/ledger/ledger-open-error.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import type { RunSummary } from '../core/engine/engine-events.js';
import { openRuntime, type RuntimeOptions } from './open-runtime.js';

/**
 * `s5sync ledger rebuild`: a new ledger from Sage and Stripe after the old one was lost or
 * damaged. Sage's cross-reference table (tciStripeXref_STRIPE) is the durable record of what
 * the sync wrote: every document key is derived from its Stripe object, and the writer looks
 * each key up there before writing (and again inside the write's transaction), so a document
 * already in Sage is adopted as written with its Sage keys, never written twice. The rebuild
 * sets the old file aside (kept for support, never deleted), then runs one sync: Stripe's
 * history is read from the configured start as on a first run, documents are planned, and
 * the write step adopts what Sage already holds and writes only what it does not.
 */
export interface LedgerRebuild {
  /** Where the old ledger was moved, or null when there was none. */
  keptAs: string | null;
  /** Documents the cross-reference recorded before the rebuild. */
  crossReferencesBefore: number;
  /** Of those, planned again from Stripe and adopted as written with their Sage keys (not written again). */
  adopted: number;
  /** Of those, customers planning found in Sage by CustID or e-mail, so no customer document was planned. */
  customersMatched: number;
  /** Of those, documents of Stripe activity older than the history the rebuild read: they stay in Sage, unknown to the new ledger. */
  beforeHistory: number;
  /** Documents written to Sage by the rebuild's run (Stripe activity Sage did not have yet). */
  writtenNow: number;
  run: RunSummary;
}

/** The xref's SageTable of a customer (customer-writer.ts). */
const SAGE_CUSTOMER_TABLE = 'tarCustomer';

/** Ledger files SQLite keeps beside the database in WAL mode: moved with it, or a stale WAL would be replayed into the new file. */
const COMPANION_SUFFIXES = ['', '-wal', '-shm'];

export async function rebuildLedger(
  config: SyncConfig,
  env: NodeJS.ProcessEnv,
  options: RuntimeOptions & { force: boolean; stamp: string },
): Promise<LedgerRebuild> {
  let keptAs: string | null = null;
  const runtime = await openRuntime(config, env, {
    ...options,
    beforeLedgerOpens: (path) => {
      if (!existsSync(path)) return;
      if (!options.force) refuseHealthyLedger(path);
      keptAs = `${path}.damaged-${options.stamp}`;
      for (const suffix of COMPANION_SUFFIXES) if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${keptAs}${suffix}`);
    },
  });
  try {
    const before = await runtime.sageCompany.crossReferences();
    const run = await runtime.engine.runOnce();
    const writtenNow = (await runtime.sageCompany.crossReferences()).length - before.length;
    const notAdopted = before.filter(({ docKey }) => runtime.ledger.documents.getDocument(docKey)?.state !== 'written');
    const customersMatched = notAdopted.filter(({ sageTable }) => sageTable === SAGE_CUSTOMER_TABLE).length;
    return {
      keptAs,
      crossReferencesBefore: before.length,
      adopted: before.length - notAdopted.length,
      customersMatched,
      beforeHistory: notAdopted.length - customersMatched,
      writtenNow,
      run,
    };
  } finally {
    await runtime.close();
  }
}

/** A ledger that opens and passes its check is not rebuilt by accident: it knows more than Sage and Stripe can tell (skips, retries, mapping history). */
function refuseHealthyLedger(path: string): void {
  try {
    new SqliteLedger(path).close();
  } catch (error) {
    if (error instanceof LedgerOpenError && error.problem === 'damaged') return;
    throw error;
  }
  throw new ConfigError(`the sync ledger ${path} opens and passes its integrity check; to rebuild it anyway, add --force`);
}
