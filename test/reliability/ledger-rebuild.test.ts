import { existsSync, readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { LedgerOpenError } from '../../main/adapters/ledger/ledger-open-error.js';
import { rebuildLedger } from '../../main/app/ledger-rebuild.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { newWorkspace, openWorkspaceRuntime, sageSnapshot, simulatorClock, type Workspace } from './harness.js';
import { booksDifference, sageBooks } from './sage-books.js';

/**
 * Issue #18 item 7: the ledger is damaged mid-history. Opening it says which file and what to
 * do; `s5sync ledger rebuild` (rebuildLedger) makes a new one from Sage's cross-reference and
 * Stripe; syncing on from there leaves Sage exactly as a history where nothing went wrong:
 * the same documents row by row, and no document, line, customer or sales order twice.
 */

const SEED = 53;
const DAYS = 8;
const BACKFILL_DAYS = DAYS + 5;
const HOUR = 3600;

async function syncOnce(simulator: StripeSimulator, workspace: Workspace): Promise<string | null> {
  const runtime = await openWorkspaceRuntime(simulator, workspace, { backfillDays: BACKFILL_DAYS });
  try {
    return (await runtime.engine.runOnce()).outcome;
  } finally {
    await runtime.close();
  }
}

function configOf(simulator: StripeSimulator, workspace: Workspace) {
  return parseConfig(
    {
      dataDir: workspace.dataDir,
      stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null },
      sage: { kind: 'sandbox', path: workspace.sandboxPath },
      sync: { backfillDays: BACKFILL_DAYS },
    },
    workspace.dir,
  );
}

/** The same history on a fresh simulator: backfill, two hours of business, two more. */
async function history(between: (simulator: StripeSimulator, workspace: Workspace) => Promise<void>): Promise<Workspace> {
  const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
  try {
    const workspace = newWorkspace('rebuild', simulator);
    expect(await syncOnce(simulator, workspace)).toBe('succeeded');
    simulator.advanceSeconds(2 * HOUR);
    await between(simulator, workspace);
    simulator.advanceSeconds(2 * HOUR);
    expect(await syncOnce(simulator, workspace)).toBe('succeeded');
    return workspace;
  } finally {
    await simulator.close();
  }
}

describe('ledger rebuild', () => {
  it('a truncated ledger is refused with its path; the rebuild adopts what Sage holds and the books match an undisturbed history', async () => {
    const reference = await history(async (simulator, workspace) => {
      expect(await syncOnce(simulator, workspace)).toBe('succeeded');
    });
    const rebuilt = await history(async (simulator, workspace) => {
      const ledgerPath = join(workspace.dataDir, LEDGER_FILE_NAME);
      const inSageBefore = sageSnapshot(workspace.sandboxPath).xrefRows;
      const customersInSage = [...sageBooks(workspace.sandboxPath).keys()].filter((key) => key.startsWith('cus_')).length;
      expect(customersInSage).toBeGreaterThan(0);
      truncateSync(ledgerPath, Math.floor(statSync(ledgerPath).size / 3));

      const refused = openWorkspaceRuntime(simulator, workspace, { backfillDays: BACKFILL_DAYS });
      await expect(refused).rejects.toBeInstanceOf(LedgerOpenError);
      await expect(refused).rejects.toThrow(`the sync ledger ${ledgerPath} is damaged`);
      await expect(refused).rejects.toThrow('s5sync ledger rebuild');

      const rebuild = await rebuildLedger(configOf(simulator, workspace), {}, { clock: simulatorClock(simulator), force: false, stamp: 'T1' });
      expect(rebuild.run.outcome).toBe('succeeded');
      expect(rebuild.keptAs).toBe(`${ledgerPath}.damaged-T1`);
      expect(existsSync(rebuild.keptAs!)).toBe(true);
      expect(rebuild.crossReferencesBefore).toBe(inSageBefore);
      // Everything Sage held before the damage was adopted from its cross-reference, not written again.
      // Everything Sage held before the damage is known again: adopted as written, or (customers) found in Sage when planning.
      expect({ adopted: rebuild.adopted, customersMatched: rebuild.customersMatched, beforeHistory: rebuild.beforeHistory }).toEqual({
        adopted: inSageBefore - customersInSage,
        customersMatched: customersInSage,
        beforeHistory: 0,
      });
      // The two hours since the last sync bring new documents; everything before them was adopted.
      expect(rebuild.writtenNow).toBeGreaterThan(0);
    });

    const expected = sageSnapshot(reference.sandboxPath);
    const actual = sageSnapshot(rebuilt.sandboxPath);
    expect(booksDifference(sageBooks(reference.sandboxPath), sageBooks(rebuilt.sandboxPath))).toEqual([]);
    // Counted from Sage's own tables, not through the cross-reference: nothing written twice under another key.
    expect({ headers: actual.journalHeaders, lines: actual.journalLines, customers: actual.customers, orders: actual.salesOrders }).toEqual({
      headers: expected.journalHeaders,
      lines: expected.journalLines,
      customers: expected.customers,
      orders: expected.salesOrders,
    });
    expect(actual.duplicateDocKeys).toEqual([]);
    expect(actual.journalsWithoutXref).toBe(0);
    expect(actual.unbalancedJournals).toBe(0);
  }, 180_000);

  it('refuses to rebuild a sound ledger unless forced', async () => {
    const simulator = await startStripeSimulator({ seed: SEED, days: 2 });
    try {
      const workspace = newWorkspace('rebuild-sound', simulator);
      expect(await syncOnce(simulator, workspace)).toBe('succeeded');
      const config = configOf(simulator, workspace);
      await expect(rebuildLedger(config, {}, { clock: simulatorClock(simulator), force: false, stamp: 'T2' })).rejects.toThrow(
        /opens and passes its integrity check; to rebuild it anyway, add --force/,
      );
      expect(readdirSync(workspace.dataDir).filter((name) => name.includes('damaged'))).toEqual([]);
      const forced = await rebuildLedger(config, {}, { clock: simulatorClock(simulator), force: true, stamp: 'T3' });
      expect(forced.run.outcome).toBe('succeeded');
      expect(forced.writtenNow).toBe(0);
      expect(forced.beforeHistory).toBe(0);
    } finally {
      await simulator.close();
    }
  }, 120_000);
});
