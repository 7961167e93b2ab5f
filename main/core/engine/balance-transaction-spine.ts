import { savePlanFromGoLive } from './go-live.js';
import type { Mapping } from '../mapping/mapping.js';
import type { Ledger, RunLedger } from '../ports/ledger.js';
import { standaloneWithRules } from '../rules/plan-with-rules.js';
import { recordRuleSkips } from './rule-skips.js';
import { PlanningError } from '../posting/planning-error.js';
import { isSyncedKind, type AnySyncedObject, type StripeBalanceTransaction } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';
import { storeObjects } from './object-store.js';

/**
 * The money spine: the account's balance-transaction history (`GET /v1/balance_transactions`,
 * listed by `created`, every type), read in the backfill, a catch-up and, when something
 * happened, after each poll. It is how money that belongs to no object we sync (standalone
 * Stripe fees, top-ups, reserves, adjustments, unknown types) is found at all, on automatic
 * and manual payout schedules alike: Stripe itemises only automatic payouts
 * (https://docs.stripe.com/api/balance_transactions/list, `payout`: "For automatic Stripe
 * payouts only"). Each transaction's source is expanded, so an object we had not seen yet (a
 * dispute, whatever its id prefix) is stored by what Stripe says it is (`source.object`).
 */

export const SPINE_LIST_EXPAND = ['data.source'];

const CURSOR_SPINE_HIGH_WATER = 'spine:high-water';
const CURSOR_SPINE_SWEPT_AT = 'spine:swept-at';
/** With nothing happening, the history is still re-read hourly: Stripe fees come with no event of ours. */
const SPINE_SWEEP_SECONDS = 3_600;

/** When the balance-transaction history was last read (Unix seconds), or null before the first time. */
export function spineReadAt(runs: Pick<RunLedger, 'getCursor'>): number | null {
  const text = runs.getCursor(CURSOR_SPINE_SWEPT_AT);
  return text === null ? null : Number(text);
}

/** Stores a page of listed transactions and, for those whose source is an object we sync and do not hold yet, the source. */
export function storeSpineTransactions(ledger: Ledger, page: readonly StripeBalanceTransaction[]): void {
  const sources: AnySyncedObject[] = [];
  for (const bt of page) {
    const source = bt.source;
    if (source !== null && typeof source === 'object' && isSyncedKind(source.object)) sources.push(source as AnySyncedObject);
  }
  // One query for the page, not a read (and parse) of each source's stored body.
  const stored = ledger.objects.storedObjectIds(sources.map((source) => source.id));
  const unseen = sources.filter((source) => !stored.has(source.id));
  // The sources and the page in one commit.
  ledger.inTransaction(() => {
    if (unseen.length > 0) storeObjects(ledger, unseen);
    ledger.objects.upsertBalanceTransactions(page, null);
  });
}

/** Where a backfill starts the spine; the balance proof counts only transactions from here on. */
export function markSpineStart(ledger: Ledger, from: number | null, to: number): void {
  ledger.runs.setCursor(CURSOR_SPINE_HIGH_WATER, String(to));
  ledger.runs.setCursor(CURSOR_SPINE_SWEPT_AT, String(to));
  ledger.runs.setCursor(SPINE_FROM_CURSOR, from === null ? 'all' : String(from));
}

export const SPINE_FROM_CURSOR = 'spine:from';

/**
 * Reads the transactions created since the last read (less `overlapSeconds`, as for events)
 * when this run saw activity or an hour has passed. Returns true when it read.
 */
export async function readRecentTransactions(context: RunContext, sawActivity: boolean): Promise<boolean> {
  const { ledger } = context;
  const now = context.nowSeconds();
  const highWater = Number(ledger.runs.getCursor(CURSOR_SPINE_HIGH_WATER) ?? now);
  const sweptAt = Number(ledger.runs.getCursor(CURSOR_SPINE_SWEPT_AT) ?? 0);
  if (!sawActivity && now - sweptAt < SPINE_SWEEP_SECONDS) return false;
  await context.stripe.listEach<StripeBalanceTransaction>(
    'balance_transactions',
    { created: { gte: highWater - context.options.overlapSeconds, lte: now }, expand: SPINE_LIST_EXPAND },
    (page) => storeSpineTransactions(ledger, page),
  );
  ledger.runs.setCursor(CURSOR_SPINE_HIGH_WATER, String(now));
  ledger.runs.setCursor(CURSOR_SPINE_SWEPT_AT, String(now));
  return true;
}

/**
 * Plans a journal for every stored transaction that no object books (see
 * posting/balance-transaction-rules.ts), and again after a mapping change while unwritten.
 * A transaction booked to suspense carries its warning as the record's issue. The ledger's
 * answer costs what changed since the last run, not the history (migration-plan-alone-carry.ts),
 * and is read and planned in one transaction, so a run that fails here carries nothing forward.
 */
export function planStandaloneTransactions(context: RunContext, mapping: { version: number; mapping: Mapping }): number {
  const { ledger } = context;
  const initialState = context.options.shadowMode ? 'shadow' : 'planned';
  let planned = 0;
  ledger.inTransaction(() => {
    for (const bt of ledger.reconciliation.balanceTransactionsToPlanAlone(mapping.version)) {
      try {
        const plan = standaloneWithRules(bt, mapping.mapping);
        if (!plan) continue;
        savePlanFromGoLive(ledger.documents, { objectId: bt.id, documents: [plan.document], mappingVersion: mapping.version, initialState }, context.options.goLiveDate);
        recordRuleSkips(ledger.documents, [plan.document]);
        ledger.objects.setObjectIssue(plan.warning === null ? { objectId: bt.id, errorClass: null } : { objectId: bt.id, errorClass: 'data', message: plan.warning });
        planned++;
      } catch (error) {
        if (!(error instanceof PlanningError)) throw error;
        ledger.objects.setObjectIssue({ objectId: bt.id, errorClass: error.errorClass, message: error.message });
      }
    }
  });
  return planned;
}
