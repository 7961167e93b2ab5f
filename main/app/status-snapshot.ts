import type { AttentionItem, BalanceProofView, ConnectionProblemView, DocumentStateName, ProgressView, StatusSnapshot, TotalsView, TrayState } from '../../preload/contract.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
import { documentStates } from '../../preload/contract.js';
import { businessDate } from '../core/time/business-date.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { RunSummary } from '../core/engine/engine-events.js';
import type { Ledger } from '../core/ports/ledger.js';
import { summariseObject } from './object-summary.js';
import { formatSageAmount, fromStripeMinor, parseSageAmount, sumAmounts } from '../core/money/sage-amount.js';
import type { AppSettings } from './app-settings.js';
import { countOf } from '../../preload/count-words.js';

/** The dashboard's snapshot, built from the ledger and what the engine is doing now. */

type SnapshotLedger = Pick<Ledger, 'runs' | 'objects' | 'documents' | 'reconciliation'>;

export interface SnapshotSources {
  settings: AppSettings;
  ledger: SnapshotLedger | null;
  mapping: Mapping | null;
  lastRun: RunSummary | null;
  running: boolean;
  progress: ProgressView | null;
  nowMs: number;
  /** The Stripe key the runtime opened with is a test-mode key. */
  stripeTestKey: boolean;
  /** Why the saved setup is not connected; null when it is (or is not set up). */
  connection: ConnectionProblemView | null;
  /** The settings profile in use (profile-registry.ts) and its label. */
  activeProfile: StatusSnapshot['activeProfile'];
}

const EMPTY_COUNTS = Object.fromEntries(documentStates.map((state) => [state, 0])) as Record<DocumentStateName, number>;
const TOTALS_LOOKBACK_SECONDS = 2 * 86_400;

function todayTotals(ledger: SnapshotLedger, mapping: Mapping, nowMs: number): TotalsView {
  const today = businessDate(Math.floor(nowMs / 1000), mapping.timeZone);
  const since = Math.floor(nowMs / 1000) - TOTALS_LOOKBACK_SECONDS;
  const todays = ledger.objects.objectsCreatedSince(since, ['charge', 'refund', 'payout']).filter((object) => businessDate(object.created, mapping.timeZone) === today);
  const total = (kind: string): { count: number; amount: string } => {
    const amounts = todays.filter((object) => object.kind === kind).map((object) => summariseObject(kind, object.object).amount ?? '0');
    return { count: amounts.length, amount: formatSageAmount(sumAmounts(amounts.map(parseSageAmount))) };
  };
  const written = ledger.documents.countWrittenSince(`${today}T00:00:00`);
  const fees = ledger.objects.balanceTransactionsOfObjectsCreatedSince(since).filter((row) => businessDate(row.sourceCreated, mapping.timeZone) === today);
  const feeMinor = fees.reduce((sum, row) => sum + (row.transaction.fee ?? 0), 0);
  return {
    date: today,
    currency: mapping.homeCurrency,
    charges: total('charge'),
    refunds: total('refund'),
    fees: { amount: formatSageAmount(fromStripeMinor(feeMinor, mapping.homeCurrency)) },
    payouts: total('payout'),
    documentsWritten: written,
  };
}

type NotInSage = StatusSnapshot['notInSage'];

/** Counts everything that is not in Sage and will not get there without someone acting. */
function notInSage(ledger: SnapshotLedger, counts: Record<DocumentStateName, number>, nowMs: number): NotInSage {
  return {
    parked: counts.failed + counts.dead,
    unplanned: ledger.objects.planningIssues().length,
    payoutsNotTiedOut: ledger.reconciliation.countPayoutsArrivedNotTiedOut(Math.floor(nowMs / 1000)),
  };
}

/** The last balance proof as the window shows it. */
function balanceProofView(ledger: SnapshotLedger): BalanceProofView | null {
  const proof = lastBalanceProof(ledger.runs);
  if (!proof) return null;
  const { checkedAt, currency, clearingAccount, stripeBalance, booked, difference, unexplained, holds, exact } = proof;
  return { checkedAt, currency, clearingAccount, stripeBalance, booked, difference, unexplained, holds, exact, listedTransactions: proof.items.length };
}

function attentionItems(missing: NotInSage, counts: Record<DocumentStateName, number>, lastRun: RunSummary | null, proof: BalanceProofView | null): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (proof && !proof.holds) {
    items.push({
      id: 'balance-proof',
      severity: 'error',
      title: `Stripe's balance and the clearing account ${proof.clearingAccount} differ by ${proof.unexplained} ${proof.currency.toUpperCase()} that no transaction explains`,
      detail: 'Run `s5sync report balance` for the transactions, or open Payouts.',
      view: 'payouts',
    });
  }
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
  if (sources.connection && sources.connection.kind !== 'cannot-start') return 'offline';
  if (sources.settings.paused) return 'paused';
  if (sources.running) return 'syncing';
  if (attention.some((item) => item.severity !== 'info')) return 'attention';
  return 'idle';
}

export function buildStatusSnapshot(sources: SnapshotSources): StatusSnapshot {
  const { settings, ledger, mapping, lastRun } = sources;
  const counts = ledger ? { ...EMPTY_COUNTS, ...ledger.documents.countDocuments() } : EMPTY_COUNTS;
  const nextRunAt =
    settings.configured && !settings.paused && lastRun?.finishedAt
      ? new Date(Date.parse(lastRun.finishedAt) + settings.schedule.pollIntervalMinutes * 60_000).toISOString()
      : null;
  const missing = ledger ? notInSage(ledger, counts, sources.nowMs) : { parked: 0, unplanned: 0, payoutsNotTiedOut: 0 };
  const proof = ledger ? balanceProofView(ledger) : null;
  const cannotStart: AttentionItem[] =
    sources.connection?.kind === 'cannot-start' ? [{ id: 'cannot-start', severity: 'error', title: sources.connection.title, detail: sources.connection.reason, view: 'settings' }] : [];
  // Offline, the banner says why the last run failed and that it is retried; it is not a second problem to announce.
  const offline = sources.connection !== null && sources.connection.kind !== 'cannot-start';
  const attention = [...cannotStart, ...(ledger ? attentionItems(missing, counts, lastRun, proof) : [])].filter((item) => !(offline && item.id === 'last-run-failed'));
  return {
    state: trayState(sources, attention),
    configured: settings.configured,
    profile: settings.configured ? sources.activeProfile.name : null,
    shadowMode: settings.shadowMode,
    lastRun: lastRun ? { runId: lastRun.runId, startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt, outcome: lastRun.outcome, message: lastRun.message, objectsSeen: lastRun.objectsSeen } : null,
    lastActivityAt: ledger ? (ledger.runs.lastRunWithActivity()?.finishedAt ?? null) : null,
    nextRunAt,
    progress: sources.running ? sources.progress : null,
    counts,
    today: ledger && mapping ? todayTotals(ledger, mapping, sources.nowMs) : null,
    attention,
    notInSage: missing,
    testMode: settings.demo ? 'demo' : sources.stripeTestKey ? 'test-key' : null,
    activeProfile: sources.activeProfile,
    balanceProof: proof,
    connection: sources.connection,
  };
}
