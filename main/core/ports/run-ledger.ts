import type { RunSummary } from '../engine/engine-events.js';

/** The ledger's record of sync runs and the engine's named cursors and checkpoints. */
export interface RunLedger {
  startRun(startedAt: string): number;
  finishRun(summary: RunSummary): void;
  lastRun(): RunSummary | null;
  /** Runs newest first, a page at a time, with the number of runs in all. */
  listRuns(page: { limit: number; offset: number }): { runs: RunSummary[]; total: number };
  /** When a run last read anything new from Stripe: "no new activity since" that moment. */
  lastRunWithActivity(): RunSummary | null;

  getCursor(name: string): string | null;
  setCursor(name: string, value: string | null): void;
}
