import type Database from 'better-sqlite3';
import type { AttentionItem, DocumentStateName, ProgressView, StatusSnapshot, TotalsView, TrayState } from '../../preload/contract.js';
import { documentStates } from '../../preload/contract.js';
import { businessDate } from '../core/time/business-date.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { RunSummary } from '../core/engine/engine-events.js';
import { summariseObject } from './object-summary.js';
import { formatSageAmount, fromStripeMinor, parseSageAmount, sumAmounts } from '../core/money/sage-amount.js';
import type { AppSettings } from './app-settings.js';
import { countOf } from '../../preload/count-words.js';
import { lastRunWithActivity } from '../adapters/ledger/run-history.js';

/** The dashboard's snapshot, built from the ledger and what the engine is doing now. */

export interface SnapshotSources {
  settings: AppSettings;
  db: Database.Database | null;
  mapping: Mapping | null;
  lastRun: RunSummary | null;
  running: boolean;
  progress: ProgressView | null;
  nowMs: number;
}

const EMPTY_COUNTS = Object.fromEntries(documentStates.map((state) => [state, 0])) as Record<DocumentStateName, number>;
const TOTALS_LOOKBACK_SECONDS = 2 * 86_400;

function todayTotals(db: Database.Database, mapping: Mapping, nowMs: number): TotalsView {
  const today = businessDate(Math.floor(nowMs / 1000), mapping.timeZone);
  const recent = db
    .prepare(`SELECT kind, created, body FROM stripe_objects WHERE created >= ? AND kind IN ('charge', 'refund', 'payout')`)
    .all(Math.floor(nowMs / 1000) - TOTALS_LOOKBACK_SECONDS) as { kind: string; created: number; body: string }[];
  const todays = recent.filter((object) => businessDate(object.created, mapping.timeZone) === today);
  const total = (kind: string): { count: number; amount: string } => {
    const amounts = todays.filter((object) => object.kind === kind).map((object) => summariseObject(kind, object.body).amount ?? '0');
    return { count: amounts.length, amount: formatSageAmount(sumAmounts(amounts.map(parseSageAmount))) };
  };
  const written = db.prepare(`SELECT COUNT(*) AS n FROM documents WHERE state = 'written' AND updated_at >= ?`).get(`${today}T00:00:00`) as { n: number };
  const fees = (
    db
      .prepare(`SELECT bt.body, o.created FROM balance_transactions bt JOIN stripe_objects o ON o.id = bt.source_id WHERE o.created >= ?`)
      .all(Math.floor(nowMs / 1000) - TOTALS_LOOKBACK_SECONDS) as { body: string; created: number }[]
  ).filter((row) => businessDate(row.created, mapping.timeZone) === today);
  const feeMinor = fees.reduce((sum, row) => sum + ((JSON.parse(row.body) as { fee?: number }).fee ?? 0), 0);
  return {
    date: today,
    currency: mapping.homeCurrency,
    charges: total('charge'),
    refunds: total('refund'),
    fees: { amount: formatSageAmount(fromStripeMinor(feeMinor, mapping.homeCurrency)) },
    payouts: total('payout'),
    documentsWritten: written.n,
  };
}

type NotInSage = StatusSnapshot['notInSage'];

/** Counts everything that is not in Sage and will not get there without someone acting. */
function notInSage(db: Database.Database, counts: Record<DocumentStateName, number>, nowMs: number): NotInSage {
  const unplanned = db.prepare(`SELECT COUNT(*) AS n FROM object_issues WHERE error_class <> 'waiting'`).get() as { n: number };
  // A payout that has arrived at the bank (paid, or its arrival date passed) but does not tie out.
  const payouts = db
    .prepare(
      `SELECT COUNT(*) AS n FROM object_issues i JOIN stripe_objects o ON o.id = i.object_id
       WHERE o.kind = 'payout' AND i.error_class = 'waiting'
         AND (json_extract(o.body, '$.status') = 'paid' OR json_extract(o.body, '$.arrival_date') < ?)`,
    )
    .get(Math.floor(nowMs / 1000)) as { n: number };
  return { parked: counts.failed + counts.dead, unplanned: unplanned.n, payoutsNotTiedOut: payouts.n };
}

function attentionItems(missing: NotInSage, counts: Record<DocumentStateName, number>, lastRun: RunSummary | null): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (missing.parked > 0) {
    items.push({ id: 'documents-failing', severity: 'error', title: `${countOf(missing.parked, 'document')} not written to Sage`, detail: 'Open Errors to see why, fix, and retry.', view: 'errors' });
  }
  if (missing.unplanned > 0) {
    items.push({ id: 'objects-unplanned', severity: 'error', title: `${countOf(missing.unplanned, 'Stripe record')} not in Sage: could not be turned into Sage documents`, detail: 'Open Errors for why and how to fix each.', view: 'errors' });
  }
  if (missing.payoutsNotTiedOut > 0) {
    items.push({ id: 'payouts-blocked', severity: 'warning', title: `${countOf(missing.payoutsNotTiedOut, 'payout')} past the arrival date not tied out`, detail: 'Open Payouts for the variance and what it waits for.', view: 'payouts' });
  }
  if (counts.shadow > 0) {
    items.push({ id: 'shadow-mode', severity: 'info', title: `${countOf(counts.shadow, 'document')} previewed in shadow mode`, detail: 'Nothing is written to Sage until you switch to live in Settings.', view: 'settings' });
  }
  if (lastRun?.outcome === 'failed') {
    items.push({ id: 'last-run-failed', severity: 'error', title: 'The last sync failed', detail: lastRun.message ?? 'See the logs.', view: 'dashboard' });
  }
  return items;
}

/** Anything not in Sage is "attention", whatever the last run's outcome says. */
function trayState(sources: SnapshotSources, attention: AttentionItem[]): TrayState {
  if (sources.settings.paused) return 'paused';
  if (sources.running) return 'syncing';
  if (attention.some((item) => item.severity !== 'info')) return 'attention';
  return 'idle';
}

export function buildStatusSnapshot(sources: SnapshotSources): StatusSnapshot {
  const { settings, db, mapping, lastRun } = sources;
  const counts = db ? { ...EMPTY_COUNTS, ...(Object.fromEntries((db.prepare('SELECT state, COUNT(*) AS n FROM documents GROUP BY state').all() as { state: DocumentStateName; n: number }[]).map((row) => [row.state, row.n]))) } : EMPTY_COUNTS;
  const nextRunAt =
    settings.configured && !settings.paused && lastRun?.finishedAt
      ? new Date(Date.parse(lastRun.finishedAt) + settings.schedule.pollIntervalMinutes * 60_000).toISOString()
      : null;
  const missing = db ? notInSage(db, counts, sources.nowMs) : { parked: 0, unplanned: 0, payoutsNotTiedOut: 0 };
  const attention = db ? attentionItems(missing, counts, lastRun) : [];
  return {
    state: trayState(sources, attention),
    configured: settings.configured,
    profile: settings.configured ? settings.profile : null,
    shadowMode: settings.shadowMode,
    lastRun: lastRun ? { runId: lastRun.runId, startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt, outcome: lastRun.outcome, message: lastRun.message, objectsSeen: lastRun.objectsSeen } : null,
    lastActivityAt: db ? (lastRunWithActivity(db)?.finishedAt ?? null) : null,
    nextRunAt,
    progress: sources.running ? sources.progress : null,
    counts,
    today: db && mapping ? todayTotals(db, mapping, sources.nowMs) : null,
    attention,
    notInSage: missing,
  };
}
