import { describe, expect, it } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';
import type { SagePort } from '../../main/adapters/sage/sql-port.js';
import { errorsCommand } from '../../main/cli/errors-command.js';
import { ledgerSnapshot, newWorkspace, openWorkspaceRuntimeWithSagePort, runInProcess, type Workspace } from './harness.js';
import { booksDifference, sageBooks } from './sage-books.js';
import { parseConfig } from '../../main/adapters/config/config-file.js';

/**
 * Sage's disk fills up (issue #18, item 5): the sandbox really runs out of pages (SQLite's
 * `max_page_count`, SQLITE_FULL, the sandbox's SQL Server 1105), end to end. Nothing is parked
 * as a data error, nothing goes dead, the run fails saying once what to fix, and once space is
 * freed the next runs write everything, row by row as a run that never ran out of space.
 */

const SEED = 47;
const DAYS = 5;
const BACKFILL_DAYS = DAYS + 5;
const HOUR = 3600;

async function fullRun(simulator: StripeSimulator, workspace: Workspace): Promise<RunSummary> {
  const { runtime, sage } = await openWorkspaceRuntimeWithSagePort(simulator, workspace, { backfillDays: BACKFILL_DAYS });
  try {
    await fillTheDisk(sage);
    return await runtime.engine.runOnce();
  } finally {
    await runtime.close();
  }
}

/** The sandbox file may not grow beyond the pages it has now. */
async function fillTheDisk(sage: SagePort): Promise<void> {
  const [row] = await sage.query('PRAGMA page_count');
  const pages = Number(Object.values(row ?? {})[0]);
  expect(pages).toBeGreaterThan(0);
  await sage.execute(`PRAGMA max_page_count = ${pages}`);
}

describe('Sage out of disk space', () => {
  it('keeps every document queued, says once what to fix, and writes everything once space is freed', async () => {
    const referenceSimulator = await startStripeSimulator({ seed: SEED, days: DAYS });
    const simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
    try {
      const referenceWorkspace = newWorkspace('full-ref', referenceSimulator);
      expect((await runInProcess(referenceSimulator, referenceWorkspace, { backfillDays: BACKFILL_DAYS })).outcome).toBe('succeeded');
      const reference = sageBooks(referenceWorkspace.sandboxPath);

      const workspace = newWorkspace('full', simulator);
      const summaries = [await fullRun(simulator, workspace)];
      simulator.advanceSeconds(2 * HOUR, { generate: false });
      summaries.push(await fullRun(simulator, workspace));
      for (const summary of summaries) {
        expect(summary.outcome).toBe('failed');
        expect(summary.message).toMatch(/^Sage cannot take documents now \(.*full.*\): the Sage database or its transaction log is out of space: free disk space/);
        expect(summary.documentsFailed).toBe(0);
      }
      const states = ledgerSnapshot(workspace).states;
      expect(states.failed ?? 0).toBe(0);
      expect(states.dead ?? 0).toBe(0);
      expect(states.planned ?? 0).toBeGreaterThan(100);
      const errors: string[] = [];
      const config = parseConfig({ dataDir: workspace.dataDir, stripe: { apiKey: simulator.apiKey }, sage: { kind: 'sandbox', path: workspace.sandboxPath } }, workspace.dir);
      errorsCommand(config, (line) => errors.push(line));
      expect(errors.filter((line) => /full|space/i.test(line))).toEqual([]);

      // Space freed: a new connection has no page limit.
      simulator.advanceSeconds(2 * HOUR, { generate: false });
      const after = await runInProcess(simulator, workspace, { backfillDays: BACKFILL_DAYS });
      expect(after.outcome).toBe('succeeded');
      expect(booksDifference(reference, sageBooks(workspace.sandboxPath))).toEqual([]);
    } finally {
      await simulator.close();
      await referenceSimulator.close();
    }
  });
});
