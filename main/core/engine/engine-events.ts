import type { SyncedKind } from '../stripe/objects.js';

/**
 * What the engine tells the outside world while it runs: the CLI prints it, the shell turns
 * it into tray state and notifications, the window shows it. Plain data, JSON-safe.
 */

export type DocumentState = 'planned' | 'writing' | 'written' | 'failed' | 'dead' | 'skipped' | 'shadow';

export type RunPhase = 'backfill' | 'catch-up' | 'events' | 'refresh' | 'planning' | 'writing' | 'reconciling';

export interface RunProgress {
  phase: RunPhase;
  kind: SyncedKind | null;
  done: number;
  /** Best estimate of the total; null while unknown. */
  total: number | null;
}

export type RunOutcome = 'succeeded' | 'completed-with-errors' | 'failed';

export interface RunSummary {
  runId: number;
  startedAt: string;
  finishedAt: string | null;
  outcome: RunOutcome | null;
  objectsSeen: number;
  eventsApplied: number;
  documentsWritten: number;
  documentsFailed: number;
  stripeRequests: number;
  message: string | null;
}

export type EngineEvent =
  | { type: 'run-started'; runId: number }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'warning'; code: string; message: string }
  | { type: 'document-failed'; docKey: string; stripeObjectId: string; errorClass: string; message: string }
  | { type: 'run-finished'; summary: RunSummary };

export type EngineListener = (event: EngineEvent) => void;
