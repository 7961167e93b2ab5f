import { formatSageAmount, fromStripeMinor, parseSageAmount, type SageAmount } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import type { TraceOnAccount, TracedAmount } from '../ports/ledger.js';
import { ruleFor } from '../posting/balance-transaction-rules.js';
import type { StripeBalance, StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';
import { countsBeforeGoLive, inTransitAtCutover, openingFromParts, transactionOf, type Cutover } from './cutover.js';

/**
 * The balance proof, after every run that read Stripe: the Stripe clearing account as booked
 * in Sage equals Stripe's payments balance (available + pending in the home currency, from
 * `GET /v1/balance`, https://docs.stripe.com/api/balance/balance_object) less the opening
 * balance from before the backfill window, or the difference is listed transaction by
 * transaction. Each listed transaction says why it is not (or not fully) in Sage; what no
 * listed transaction explains is `unexplained`: money Stripe counts that was never read.
 *
 *   difference  = Stripe balance − opening − booked clearing
 *   unexplained = difference − Σ listed transactions
 *
 * Payouts leave clearing when Stripe creates them, into the payouts-in-transit account, and
 * leave that for the bank when they arrive (posting/payout-plan.ts), so the second half of the
 * proof is that in transit, as booked in Sage, equals the payouts Stripe still has on their way
 * (status `pending` or `in_transit`), payout by payout.
 *
 * The proof holds when nothing is unexplained and every listed transaction or payout is one
 * Sage simply does not hold yet (a journal queued, a paid payout whose tie-out waits); a
 * transaction Sage holds for another amount, or a line no transaction explains, is listed and
 * the proof does not hold. It is exact when both differences are zero: clearing equals
 * Stripe's balance and in transit equals the payouts in transit, to the cent.
 *
 * The history is read once, one trace at a time (transaction and its clearing lines together),
 * keeping running totals and the listed transactions only: its memory does not grow with the
 * history (issue #19).
 */

export interface BalanceProofItem {
  balanceTransactionId: string;
  type: string;
  /** Unix seconds. */
  created: number;
  /** What Stripe moved through the balance (net), Sage decimal text. */
  stripeNet: string;
  /** What Sage holds on the clearing account for it. */
  booked: string;
  /** stripeNet − booked. */
  difference: string;
  reason: string;
}

/** A payout whose in-transit amount in Sage is not what Stripe has in transit for it. */
export interface InTransitItem {
  payoutId: string;
  status: string;
  /** Stripe: the payout amount while it is pending or in transit, else zero. */
  stripeInTransit: string;
  booked: string;
  /** stripeInTransit − booked. */
  difference: string;
  reason: string;
}

export interface InTransitProof {
  account: string;
  /** Σ payouts Stripe has pending or in transit. */
  stripe: string;
  /** What Sage holds on the payouts-in-transit account. */
  booked: string;
  difference: string;
  /**
   * Every listed payout is one whose next journal Sage simply does not hold yet (its creation,
   * or its arrival or failure), and no line on the account belongs to no payout.
   */
  holds: boolean;
  items: InTransitItem[];
}

export interface BalanceProof {
  /** ISO time the proof was made. */
  checkedAt: string;
  /** Unix seconds: Stripe's balance was read and transactions are counted up to here. */
  cutoff: number;
  currency: string;
  clearingAccount: string;
  stripeAvailable: string;
  stripePending: string;
  stripeBalance: string;
  /** Balance from before the first transaction the backfill read (zero for a whole-history backfill). */
  opening: string;
  booked: string;
  difference: string;
  unexplained: string;
  holds: boolean;
  exact: boolean;
  items: BalanceProofItem[];
  /** Balances in other currencies than the Sage home currency: they cannot be in the clearing account. */
  otherCurrencies: { currency: string; amount: string }[];
  /** The payouts-in-transit account against Stripe's payouts on their way (absent in proofs made before it existed). */
  inTransit?: InTransitProof;
}

export interface BalanceProofInput {
  balance: StripeBalance;
  homeCurrency: string;
  clearingAccount: string;
  /**
   * The stored transactions in the spine's window (created at or before the cutoff) and the
   * written lines on the clearing account, joined by trace id; iterated once.
   */
  clearing: Iterable<TraceOnAccount>;
  /**
   * Stripe's balance before the window, asked once, after `clearing` was iterated: the first
   * proof fixes it from that same pass (engine/balance-proof-step.ts), so the history is read once.
   */
  opening(): SageAmount;
  cutoff: number;
  checkedAt: string;
  /** Why a transaction is not booked yet (its object's issue, a queued journal…). */
  reasonNotBooked(bt: StripeBalanceTransaction): string;
  inTransitAccount: string;
  /** Stored payouts in the home currency whose own transaction is in the window. */
  payouts: readonly StripePayout[];
  /** Written lines on the payouts-in-transit account. */
  inTransitLines: readonly TracedAmount[];
  /** Why a payout's in-transit amount in Sage is not what Stripe has in transit (its issue, a queued journal…). */
  reasonPayoutDiffers(payout: StripePayout): string;
  /**
   * With a go-live date: what is dated before it is held by the opening-balance journal (lines
   * traced to `traceId`), not by journals of its own (cutover.ts).
   */
  goLive?: { traceId: string; cutover: Cutover; reasonNotWritten: string } | null;
  /**
   * The settled past a previous proof carried: when given, `clearing` holds only the traces it
   * does not count (engine/balance-proof-step.ts chooses them), and `payoutTransactions` the
   * payouts' own and failure transactions in the window (the settled traces are not read).
   */
  settled?: SettledPast | null;
  payoutTransactions?: ReadonlyMap<string, StripeBalanceTransaction>;
}

/**
 * What a proof's traces of transactions created at or before `upTo` added up to, when none of
 * them was listed (Sage holds each for what Stripe moved, or it is outside the books with no
 * line): a later proof counts these totals instead of reading those traces again, as long as
 * none of them changed (the caller's to know). Traces that were listed are never in it.
 */
export interface SettledPast {
  upTo: number;
  /** Σ their lines on the clearing account. */
  booked: SageAmount;
  /** With a go-live date: the net and count of those dated before it (cutover.ts). */
  beforeGoLive: { net: SageAmount; transactions: number };
}

export function proveBalance(input: BalanceProofInput): BalanceProof {
  return proveBalanceSettling(input, null).proof;
}

/**
 * The proof, and the settled past to carry to the next one: `input.settled` (or nothing) with
 * the traces of this pass added whose transaction was created at or before `settleUpTo` and that
 * were not listed, and `open`, the listed traces that the next proof must read again because a
 * read of the transactions created after `settleUpTo` would not find them (lines no transaction
 * in the window explains, and transactions created at or before it).
 */
export function proveBalanceSettling(input: BalanceProofInput, settleUpTo: number | null): { proof: BalanceProof; settled: SettledPast | null; open: string[] } {
  const home = normaliseCurrency(input.homeCurrency);
  const sumIn = (entries: readonly { amount: number; currency: string }[]) =>
    entries.filter((entry) => normaliseCurrency(entry.currency) === home).reduce((sum, entry) => sum + fromStripeMinor(entry.amount, home), 0n);
  const available = sumIn(input.balance.available);
  const pending = sumIn(input.balance.pending);
  const stripeBalance = available + pending;

  const items: BalanceProofItem[] = [];
  const carried = input.settled ?? null;
  let booked = carried?.booked ?? 0n;
  let listed = 0n;
  const goLive = input.goLive ?? null;
  let openingBooked = 0n;
  const beforeGoLive = { net: carried?.beforeGoLive.net ?? 0n, transactions: carried?.beforeGoLive.transactions ?? 0 };
  // What this pass settles: its traces of transactions created at or before settleUpTo that are not listed.
  const settling = { booked: 0n, beforeGoLive: { net: 0n, transactions: 0 } };
  const settles = (bt: StripeBalanceTransaction | null): bt is StripeBalanceTransaction => bt !== null && settleUpTo !== null && bt.created <= settleUpTo;
  // The payouts' own and failure transactions, for the in-transit half: a few per payout, not the history.
  const payoutTraces = new Set(input.payouts.flatMap((payout) => [payout.balance_transaction, payout.failure_balance_transaction]).flatMap((field) => (typeof field === 'string' ? [field] : [])));
  const payoutTransactions = new Map<string, StripeBalanceTransaction>(input.payoutTransactions ?? []);
  for (const trace of input.clearing) {
    const bookedHere = trace.booked.reduce((sum, amount) => sum + parseSageAmount(amount), 0n);
    booked += bookedHere;
    const bt = trace.transaction;
    if (input.payoutTransactions === undefined && bt !== null && payoutTraces.has(bt.id)) payoutTransactions.set(bt.id, bt);
    if (trace.traceId === goLive?.traceId) {
      openingBooked += bookedHere;
      continue;
    }
    if (bt === null || ruleFor(bt).kind === 'outside' || normaliseCurrency(bt.currency) !== home) {
      if (bookedHere === 0n) continue;
      listed -= bookedHere;
      items.push({
        balanceTransactionId: trace.traceId,
        type: 'unknown',
        created: 0,
        stripeNet: formatSageAmount(0n),
        booked: formatSageAmount(bookedHere),
        difference: formatSageAmount(-bookedHere),
        reason: "booked on the clearing account, but not a transaction of Stripe's history in the proof's window",
      });
      continue;
    }
    if (goLive && countsBeforeGoLive(bt, home, goLive.cutover)) {
      beforeGoLive.net += fromStripeMinor(bt.net, home);
      beforeGoLive.transactions++;
      if (settles(bt)) {
        settling.booked += bookedHere;
        settling.beforeGoLive.net += fromStripeMinor(bt.net, home);
        settling.beforeGoLive.transactions++;
      }
      continue;
    }
    const net = fromStripeMinor(bt.net, home);
    if (net === bookedHere) {
      if (settles(bt)) settling.booked += bookedHere;
      continue;
    }
    listed += net - bookedHere;
    items.push({
      balanceTransactionId: bt.id,
      type: bt.type,
      created: bt.created,
      stripeNet: formatSageAmount(net),
      booked: formatSageAmount(bookedHere),
      difference: formatSageAmount(net - bookedHere),
      reason: bookedHere === 0n ? input.reasonNotBooked(bt) : 'booked in Sage for a different amount than Stripe moved',
    });
  }
  const preWindow = input.opening();
  const opening = goLive
    ? openingFromParts({ preWindow, beforeGoLive, payouts: input.payouts, transactionById: payoutTransactions, homeCurrency: home, cutover: goLive.cutover })
    : null;
  if (goLive && opening && openingBooked !== opening.clearing) {
    listed += opening.clearing - openingBooked;
    items.push({
      balanceTransactionId: goLive.traceId,
      type: 'opening-balance',
      created: 0,
      stripeNet: formatSageAmount(opening.clearing),
      booked: formatSageAmount(openingBooked),
      difference: formatSageAmount(opening.clearing - openingBooked),
      reason: openingBooked === 0n ? goLive.reasonNotWritten : 'the opening-balance journal holds another amount than Stripe held at go-live',
    });
  }

  // With a go-live date the opening is inside Sage, in the opening-balance journal.
  const openingOutsideSage = goLive ? 0n : preWindow;
  const difference = stripeBalance - openingOutsideSage - booked;
  const unexplained = difference - listed;
  const inTransit = proveInTransit(input, home, payoutTransactions, goLive && opening ? { traceId: goLive.traceId, cutover: goLive.cutover, atCutover: opening.inTransit, reasonNotWritten: goLive.reasonNotWritten } : null);
  const otherCurrencies = [...new Set([...input.balance.available, ...input.balance.pending].map((entry) => normaliseCurrency(entry.currency)))]
    .filter((currency) => currency !== home)
    .map((currency) => {
      const minor = [...input.balance.available, ...input.balance.pending]
        .filter((entry) => normaliseCurrency(entry.currency) === currency)
        .reduce((sum, entry) => sum + entry.amount, 0);
      return { currency, amount: formatSageAmount(fromStripeMinor(minor, currency)) };
    })
    .filter((entry) => parseSageAmount(entry.amount) !== 0n);
  const proof: BalanceProof = {
    checkedAt: input.checkedAt,
    cutoff: input.cutoff,
    currency: home,
    clearingAccount: input.clearingAccount,
    stripeAvailable: formatSageAmount(available),
    stripePending: formatSageAmount(pending),
    stripeBalance: formatSageAmount(stripeBalance),
    opening: formatSageAmount(openingOutsideSage),
    booked: formatSageAmount(booked),
    difference: formatSageAmount(difference),
    unexplained: formatSageAmount(unexplained),
    // A listed transaction explains the difference only while Sage simply lacks it; Sage holding
    // more, less or other than Stripe moved is an error, listed but never "holding".
    holds:
      unexplained === 0n &&
      otherCurrencies.length === 0 &&
      items.every((item) => parseSageAmount(item.booked) === 0n) &&
      inTransit.holds,
    exact: difference === 0n && otherCurrencies.length === 0 && parseSageAmount(inTransit.difference) === 0n,
    items: items.sort((a, b) => a.created - b.created || (a.balanceTransactionId < b.balanceTransactionId ? -1 : 1)),
    otherCurrencies,
    inTransit,
  };
  if (settleUpTo === null) return { proof, settled: null, open: [] };
  return {
    proof,
    settled: {
      upTo: settleUpTo,
      booked: (carried?.booked ?? 0n) + settling.booked,
      beforeGoLive: {
        net: (carried?.beforeGoLive.net ?? 0n) + settling.beforeGoLive.net,
        transactions: (carried?.beforeGoLive.transactions ?? 0) + settling.beforeGoLive.transactions,
      },
    },
    open: proof.items.filter((item) => item.created <= settleUpTo && item.balanceTransactionId !== goLive?.traceId).map((item) => item.balanceTransactionId),
  };
}

/**
 * In transit, payout by payout. A payout's in-transit lines carry its own balance transaction
 * (creation and arrival journals) or its failure transaction (the return to clearing).
 */
function proveInTransit(
  input: BalanceProofInput,
  home: string,
  byId: ReadonlyMap<string, StripeBalanceTransaction>,
  goLive: { traceId: string; cutover: Cutover; atCutover: SageAmount; reasonNotWritten: string } | null,
): InTransitProof {
  const payoutOfTrace = new Map<string, StripePayout>();
  for (const payout of input.payouts) {
    for (const field of [payout.balance_transaction, payout.failure_balance_transaction]) {
      const id = typeof field === 'string' ? field : (field?.id ?? null);
      if (id !== null) payoutOfTrace.set(id, payout);
    }
  }
  const bookedByPayout = new Map<string, SageAmount>();
  let booked = 0n;
  let openingBooked = 0n;
  let holds = true;
  const items: InTransitItem[] = [];
  for (const line of input.inTransitLines) {
    const amount = parseSageAmount(line.amount);
    booked += amount;
    const payout = payoutOfTrace.get(line.traceId);
    if (line.traceId === goLive?.traceId) {
      openingBooked += amount;
    } else if (payout) {
      bookedByPayout.set(payout.id, (bookedByPayout.get(payout.id) ?? 0n) + amount);
    } else if (amount !== 0n) {
      holds = false;
      items.push({
        payoutId: line.traceId,
        status: 'unknown',
        stripeInTransit: formatSageAmount(0n),
        booked: formatSageAmount(amount),
        difference: formatSageAmount(-amount),
        reason: "booked on the payouts-in-transit account, but not a payout of Stripe's history in the proof's window",
      });
    }
  }
  if (goLive && openingBooked !== goLive.atCutover) {
    if (openingBooked !== 0n) holds = false;
    items.push({
      payoutId: goLive.traceId,
      status: 'opening-balance',
      stripeInTransit: formatSageAmount(goLive.atCutover),
      booked: formatSageAmount(openingBooked),
      difference: formatSageAmount(goLive.atCutover - openingBooked),
      reason: openingBooked === 0n ? goLive.reasonNotWritten : 'the opening-balance journal holds another amount than Stripe had in transit at go-live',
    });
  }
  let stripe = 0n;
  for (const payout of input.payouts) {
    const inTransitNow = payout.status === 'pending' || payout.status === 'in_transit' ? fromStripeMinor(payout.amount, home) : 0n;
    stripe += inTransitNow;
    // What was in transit at the cutover is in the opening-balance journal; the payout's own journals carry the rest.
    const atCutover = goLive
      ? inTransitAtCutover(payout, transactionOf(payout.balance_transaction, byId), transactionOf(payout.failure_balance_transaction, byId), goLive.cutover, home)
      : 0n;
    const expected = inTransitNow - atCutover;
    const bookedHere = bookedByPayout.get(payout.id) ?? 0n;
    if (expected === bookedHere) continue;
    const amount = fromStripeMinor(payout.amount, home);
    // Sage lacking one whole journal of the payout (its creation, arrival or failure) is a wait, not an error.
    if (expected - bookedHere !== amount && expected - bookedHere !== -amount) holds = false;
    items.push({
      payoutId: payout.id,
      status: payout.status,
      stripeInTransit: formatSageAmount(inTransitNow),
      booked: formatSageAmount(bookedHere),
      difference: formatSageAmount(expected - bookedHere),
      reason: input.reasonPayoutDiffers(payout),
    });
  }
  return {
    account: input.inTransitAccount,
    stripe: formatSageAmount(stripe),
    booked: formatSageAmount(booked),
    difference: formatSageAmount(stripe - booked),
    holds,
    items,
  };
}
