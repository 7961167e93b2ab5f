import type { RunSummary } from '../../core/engine/engine-events.js';
import type { RunLedger } from '../../core/ports/run-ledger.js';
import type { LedgerConnection } from './ledger-connection.js';

interface RunRow {
  run_id: number;
  started_at: string;
  finished_at: string | null;
  outcome: RunSummary['outcome'];
  objects_seen: number;
  events_applied: number;
  documents_written: number;
  documents_failed: number;
  stripe_requests: number;
  message: string | null;
}

function toRun(row: RunRow): RunSummary {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    objectsSeen: row.objects_seen,
    eventsApplied: row.events_applied,
    documentsWritten: row.documents_written,
    documentsFailed: row.documents_failed,
    stripeRequests: row.stripe_requests,
    message: row.message,
  };
}

/** The runs and cursors tables. */
export class SqliteRunLedger implements RunLedger {
  constructor(private readonly connection: LedgerConnection) {}

  startRun(startedAt: string): number {
    return Number(this.connection.sql('INSERT INTO runs (started_at) VALUES (?)').run(startedAt).lastInsertRowid);
  }

  finishRun(summary: RunSummary): void {
    this.connection
      .sql(
        `UPDATE runs SET finished_at = @finishedAt, outcome = @outcome, objects_seen = @objectsSeen,
           events_applied = @eventsApplied, documents_written = @documentsWritten,
           documents_failed = @documentsFailed, stripe_requests = @stripeRequests, message = @message
         WHERE run_id = @runId`,
      )
      .run(summary);
    // The run's marks (documents writing and written, cursors, write-backs) synced to disk now,
    // not at the next checkpoint, which in the tray app can be many runs later.
    this.connection.checkpoint();
  }

  lastRun(): RunSummary | null {
    const row = this.connection.sql('SELECT * FROM runs ORDER BY run_id DESC LIMIT 1').get() as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  listRuns(page: { limit: number; offset: number }): { runs: RunSummary[]; total: number } {
    const total = (this.connection.sql('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
    const runs = this.connection.sql('SELECT * FROM runs ORDER BY run_id DESC LIMIT ? OFFSET ?').all(page.limit, page.offset) as RunRow[];
    return { runs: runs.map(toRun), total };
  }

  lastRunWithActivity(): RunSummary | null {
    const row = this.connection
      .sql('SELECT * FROM runs WHERE finished_at IS NOT NULL AND (objects_seen > 0 OR events_applied > 0) ORDER BY run_id DESC LIMIT 1')
      .get() as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  getCursor(name: string): string | null {
    const row = this.connection.sql('SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setCursor(name: string, value: string | null): void {
    if (value === null) this.connection.sql('DELETE FROM cursors WHERE name = ?').run(name);
    else this.connection.sql('INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }
}
