import type Database from 'better-sqlite3';
import type { RunSummary } from '../../core/engine/engine-events.js';

/** Read queries over the ledger's runs table: the run history and the last run that found anything. */

const RUN_COLUMNS = `run_id AS runId, started_at AS startedAt, finished_at AS finishedAt, outcome,
  objects_seen AS objectsSeen, events_applied AS eventsApplied, documents_written AS documentsWritten,
  documents_failed AS documentsFailed, stripe_requests AS stripeRequests, message`;

/** Runs newest first, a page at a time, with the number of runs in all. */
export function listRuns(db: Database.Database, page: { limit: number; offset: number }): { runs: RunSummary[]; total: number } {
  const total = (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
  const runs = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY run_id DESC LIMIT ? OFFSET ?`).all(page.limit, page.offset) as RunSummary[];
  return { runs, total };
}

/** When a run last read anything new from Stripe: "no new activity since" that moment. */
export function lastRunWithActivity(db: Database.Database): RunSummary | null {
  const run = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE finished_at IS NOT NULL AND (objects_seen > 0 OR events_applied > 0) ORDER BY run_id DESC LIMIT 1`).get() as RunSummary | undefined;
  return run ?? null;
}
