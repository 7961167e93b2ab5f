import { formatForDisplay, fromStripeMinor, parseSageAmount, sumAmounts, type SageAmount } from '../money/sage-amount.js';
import type { TracedAmount } from '../ports/ledger.js';
import type { StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { isItemisable, proveTieOut, sourceId, type PayoutItems, type TieOutBlock, type TieOutSummary } from './tie-out.js';

/**
 * The whole proof a payout must pass before its bank journal is planned. Stripe's side first
 * (tie-out.ts: the transactions add up and are booked), then the Sage side from the planned
 * documents themselves: the clearing-account lines booked for the payout's transactions must
 * add up to the payout, so the bank journal brings the clearing account back to zero for it.
 * Manual and instant payouts have no list of transactions (Stripe cannot itemise them), so
 * the clearing balance booked up to the payout's creation must cover the payout instead.
 */

export type PayoutBlock = TieOutBlock | 'clearing-mismatch' | 'balance-short';

export type PayoutProof =
  | { ok: true; summary: TieOutSummary; notes: string[] }
  | { ok: false; block: PayoutBlock; explanation: string; action: string; variance: string | null };

export interface PayoutProofInput {
  payout: StripePayout;
  /** The payout's listed balance transactions (its own may be among them), or null when not read. */
  items: PayoutItems | null;
  clearingAccount: string;
  timeZone: string;
  isBooked(bt: StripeBalanceTransaction): boolean;
  /** The problem recorded on the object a transaction comes from, or null when there is none. */
  sourceIssue(objectId: string): string | null;
  /** The clearing account's lines of journals (planned or written) carrying these balance transaction ids; asked a chunk at a time. */
  clearingLinesTracing(traceIds: readonly string[]): TracedAmount[];
  /** Clearing-account amounts written for transactions created up to the payout, its own left out. */
  clearingAmountsUpToPayout(): string[];
  /**
   * With a go-live date: transactions dated before it, which the opening-balance journal holds
   * on the clearing account at their net instead of journals of their own (cutover.ts).
   */
  heldByOpeningBalance?(bt: StripeBalanceTransaction): boolean;
}

export function provePayout(input: PayoutProofInput): PayoutProof {
  const { payout } = input;
  const held = input.heldByOpeningBalance ?? (() => false);
  const tieOut = proveTieOut({ payout, items: input.items, isBooked: (bt) => held(bt) || input.isBooked(bt) });
  if (!tieOut.ok) {
    if (tieOut.block !== 'sources-not-synced') return tieOut;
    return { ...tieOut, explanation: explainUnbooked(input) };
  }
  const notes: string[] = [];
  if (tieOut.note) notes.push(tieOut.note);
  if (payout.amount < 0) {
    notes.push(`negative payout: Stripe debits the bank ${formatForDisplay(-payoutAmount(payout), payout.currency)}; the journal moves it from the bank back into the clearing account`);
  }
  const sageSide = isItemisable(payout) ? proveClearingNetsToPayout(input) : proveBalanceCoversPayout(input);
  if (!sageSide.ok) return sageSide;
  notes.push(sageSide.note);
  return { ok: true, summary: tieOut.summary, notes };
}

type SageSideProof = { ok: true; note: string } | Extract<PayoutProof, { ok: false }>;

function payoutAmount(payout: StripePayout): SageAmount {
  return fromStripeMinor(payout.amount, payout.currency);
}

/** Trace ids asked of clearingLinesTracing at a time: one query per chunk, never the whole payout. */
const TRACE_CHUNK = 500;

/** The payout's transactions other than its own, streamed in chunks. */
function* includedChunks(input: PayoutProofInput): Generator<StripeBalanceTransaction[]> {
  const own = typeof input.payout.balance_transaction === 'string' ? input.payout.balance_transaction : input.payout.balance_transaction?.id;
  let chunk: StripeBalanceTransaction[] = [];
  for (const bt of input.items ?? []) {
    if (bt.id === own || (bt.type === 'payout' && sourceId(bt) === input.payout.id)) continue;
    chunk.push(bt);
    if (chunk.length === TRACE_CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

function proveClearingNetsToPayout(input: PayoutProofInput): SageSideProof {
  const { payout, clearingAccount } = input;
  // Running totals per chunk: the booked sum, and the transactions booked to clearing with another amount than their net.
  let count = 0;
  let booked: SageAmount = 0n;
  let offCount = 0;
  const offNames: string[] = [];
  for (const chunk of includedChunks(input)) {
    count += chunk.length;
    const byTrace = new Map<string, SageAmount>();
    for (const entry of input.clearingLinesTracing(chunk.map((bt) => bt.id))) {
      const amount = parseSageAmount(entry.amount);
      booked += amount;
      byTrace.set(entry.traceId, (byTrace.get(entry.traceId) ?? 0n) + amount);
    }
    for (const bt of chunk) {
      if (input.heldByOpeningBalance?.(bt)) {
        booked += fromStripeMinor(bt.net, bt.currency);
        continue;
      }
      if ((byTrace.get(bt.id) ?? 0n) === fromStripeMinor(bt.net, bt.currency)) continue;
      offCount++;
      if (offNames.length < 5) offNames.push(`${sourceId(bt) ?? bt.id} (${bt.id})`);
    }
  }
  const expected = payoutAmount(payout);
  if (booked === expected) {
    return {
      ok: true,
      note: `clearing account ${clearingAccount}: the journals of the ${count} transactions add ${formatForDisplay(booked, payout.currency)}; the payout journal takes it out again, so the payout nets to zero`,
    };
  }
  return {
    ok: false,
    block: 'clearing-mismatch',
    explanation: `the journals planned for payout ${payout.id} move clearing account ${clearingAccount} by ${formatForDisplay(booked, payout.currency)}, not by the payout amount ${formatForDisplay(expected, payout.currency)}; ${offCount} transaction(s) are booked to clearing with a different amount than their net: ${offNames.join(', ')}${offCount > 5 ? ', …' : ''}`,
    action: `Check that every mapping rule uses ${clearingAccount} as the Stripe clearing account and that those journals were not changed in Sage; after fixing the mapping, retry the records. The payout is retried automatically.`,
    variance: formatForDisplay(expected - booked, payout.currency),
  };
}

function proveBalanceCoversPayout(input: PayoutProofInput): SageSideProof {
  const { payout, clearingAccount } = input;
  const kind = payout.method === 'instant' ? 'instant' : 'manual';
  const amount = payoutAmount(payout);
  const balance = sumAmounts(input.clearingAmountsUpToPayout().map(parseSageAmount));
  const asOf = businessDate(payout.created, input.timeZone);
  if (amount <= balance) {
    return {
      ok: true,
      note: `${kind} payout: Stripe cannot say which transactions it paid out, so it was checked against clearing account ${clearingAccount}, which held ${formatForDisplay(balance, payout.currency)} from everything booked up to its creation on ${asOf}`,
    };
  }
  return {
    ok: false,
    block: 'balance-short',
    explanation: `payout ${payout.id} is ${kind === 'instant' ? 'an' : 'a'} ${kind} payout of ${formatForDisplay(amount, payout.currency)}; Stripe cannot itemise ${kind} payouts, so it is checked against clearing account ${clearingAccount}, but everything booked there up to its creation on ${asOf} adds up to only ${formatForDisplay(balance, payout.currency)} (${formatForDisplay(amount - balance, payout.currency)} short): some earlier charges are not in Sage yet`,
    action: 'Fix the records in the Errors view (charges, refunds or disputes before this payout); the payout is retried automatically once they are booked.',
    variance: formatForDisplay(amount - balance, payout.currency),
  };
}

function explainUnbooked(input: PayoutProofInput): string {
  let missing = 0;
  const reasons: string[] = [];
  for (const chunk of includedChunks(input)) {
    for (const bt of chunk) {
      if (input.isBooked(bt)) continue;
      missing++;
      if (reasons.length === 5) continue;
      const source = sourceId(bt) ?? bt.id;
      const issue = input.sourceIssue(source);
      reasons.push(issue ? `${source}: ${issue}` : `${source}: not synced yet`);
    }
  }
  return `${missing} transaction(s) in payout ${input.payout.id} are not booked in Sage yet, so its bank journal would leave the clearing account out of balance (${reasons.join('; ')}${missing > 5 ? '; …' : ''})`;
}
