import type { RunLedger } from '../ports/run-ledger.js';

/**
 * The names under which the engine keeps its reading position in the ledger's cursors, and
 * what they say to a reader (`s5sync status`). One home, so a renamed cursor cannot leave a
 * stale copy behind.
 */
export const CURSOR_HIGH_WATER = 'events:high-water';
export const CURSOR_POLLED_AT = 'events:polled-at';
export const CURSOR_BACKFILL_T0 = 'backfill:t0';
export const CURSOR_BACKFILL_DONE = 'backfill:done';
export const CURSOR_SWEEP_DAY = 'sweep:last-24h';
export const CURSOR_SWEEP_WEEK = 'sweep:last-7d';
export const CURSOR_DRIFT_CHECK = 'drift:last-check';

export interface ReadingPosition {
  /** Events are read up to this moment (Unix seconds), or null before the first backfill ends. */
  eventsReadUpTo: number | null;
  backfillDone: boolean;
}

export function readingPosition(runs: Pick<RunLedger, 'getCursor'>): ReadingPosition {
  const highWater = runs.getCursor(CURSOR_HIGH_WATER);
  return { eventsReadUpTo: highWater === null ? null : Number(highWater), backfillDone: runs.getCursor(CURSOR_BACKFILL_DONE) !== null };
}
