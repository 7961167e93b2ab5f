import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { startStripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { ledgerSnapshot, newWorkspace, runInProcess } from './harness.js';
import { expectStripeBalanceInSage } from './stripe-balance-in-sage.js';

/**
 * Issue #14: the balance proof after every run. A run that read Stripe's balance-transaction
 * history and was killed before proving it leaves the proof owed: the next run proves the
 * balance even though, at the same moment, it reads nothing new itself (the hourly re-read is
 * not due). Before, such a run made no proof and the last one stayed that of an earlier moment.
 */
describe('balance proof owed by a killed run', () => {
  it('is made by the next run, which reads nothing new', async () => {
    const simulator = await startStripeSimulator({ seed: 71, days: 4 });
    try {
      const workspace = newWorkspace('proof-owed', simulator);
      expect((await runInProcess(simulator, workspace, { backfillDays: 9 })).outcome).toBe('succeeded');
      expectStripeBalanceInSage(simulator, workspace, 'first run');
      // The state a kill between reading the history and proving it leaves: the history read, no proof of it.
      const ledger = new Database(join(workspace.dataDir, LEDGER_FILE_NAME));
      try {
        ledger.prepare("DELETE FROM cursors WHERE name LIKE 'balance-proof:%' AND name <> 'balance-proof:opening'").run();
      } finally {
        ledger.close();
      }
      expect(ledgerSnapshot(workspace).lastProof).toBeNull();

      const second = await runInProcess(simulator, workspace, { backfillDays: 9 });
      expect(second.outcome).toBe('succeeded');
      expect(second.stripeRequests).toBeLessThan(10);
      expectStripeBalanceInSage(simulator, workspace, 'the run after the kill');
    } finally {
      await simulator.close();
    }
  }, 60_000);
});
