import { formatForDisplay, fromStripeMinor, parseSageAmount, sumAmounts, type SageAmount } from '../money/sage-amount.js';
import type { TracedJournalLine } from '../ports/ledger.js';
import type { StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { isItemisable, proveTieOut, sourceId, type TieOutBlock, type TieOutSummary } from './tie-out.js';

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
  items: readonly StripeBalanceTransaction[] | null;
  clearingAccount: string;
  timeZone: string;
  isBooked(bt: StripeBalanceTransaction): boolean;
  /** The problem recorded on the object a transaction comes from, or null when there is none. */
  sourceIssue(objectId: string): string | null;
  /** Journal lines (planned or written) carrying these balance transaction ids. */
  linesTracing(traceIds: readonly string[]): TracedJournalLine[];
  /** Clearing-account amounts written for transactions created up to the payout, its own left out. */
  clearingAmountsUpToPayout(): string[];
}

export function provePayout(input: PayoutProofInput): PayoutProof {
  const { payout } = input;
  const tieOut = proveTieOut({ payout, items: input.items, isBooked: input.isBooked });
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

function included(input: PayoutProofInput): StripeBalanceTransaction[] {
  const own = typeof input.payout.balance_transaction === 'string' ? input.payout.balance_transaction : input.payout.balance_transaction?.id;
  return (input.items ?? []).filter((bt) => bt.id !== own && !(bt.type === 'payout' && sourceId(bt) === input.payout.id));
}

function proveClearingNetsToPayout(input: PayoutProofInput): SageSideProof {
  const { payout, clearingAccount } = input;
  const items = included(input);
  const lines = input.linesTracing(items.map((bt) => bt.id)).filter((entry) => entry.line.acctNo === clearingAccount);
  const booked = sumAmounts(lines.map((entry) => parseSageAmount(entry.line.amount)));
  const expected = payoutAmount(payout);
  if (booked === expected) {
    return {
      ok: true,
      note: `clearing account ${clearingAccount}: the journals of the ${items.length} transactions add ${formatForDisplay(booked, payout.currency)}; the payout journal takes it out again, so the payout nets to zero`,
    };
  }
  const byTrace = new Map<string, SageAmount>();
  for (const entry of lines) byTrace.set(entry.line.traceId, (byTrace.get(entry.line.traceId) ?? 0n) + parseSageAmount(entry.line.amount));
  const off = items.filter((bt) => (byTrace.get(bt.id) ?? 0n) !== fromStripeMinor(bt.net, bt.currency));
  const names = off.slice(0, 5).map((bt) => `${sourceId(bt) ?? bt.id} (${bt.id})`).join(', ');
  return {
    ok: false,
    block: 'clearing-mismatch',
    explanation: `the journals planned for payout ${payout.id} move clearing account ${clearingAccount} by ${formatForDisplay(booked, payout.currency)}, not by the payout amount ${formatForDisplay(expected, payout.currency)}; ${off.length} transaction(s) are booked to clearing with a different amount than their net: ${names}${off.length > 5 ? ', …' : ''}`,
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
  const missing = included(input).filter((bt) => !input.isBooked(bt));
  const reasons = missing.slice(0, 5).map((bt) => {
    const source = sourceId(bt) ?? bt.id;
    const issue = input.sourceIssue(source);
    return issue ? `${source}: ${issue}` : `${source}: not synced yet`;
  });
  return `${missing.length} transaction(s) in payout ${input.payout.id} are not booked in Sage yet, so its bank journal would leave the clearing account out of balance (${reasons.join('; ')}${missing.length > 5 ? '; …' : ''})`;
}
