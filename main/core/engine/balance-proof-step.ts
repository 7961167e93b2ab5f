import type { Mapping } from '../mapping/mapping.js';
import { parseSageAmount, formatSageAmount, fromStripeMinor, type SageAmount } from '../money/sage-amount.js';
import { openingBalanceKey, openingBalanceNotWritten } from './opening-balance.js';
import { normaliseCurrency } from '../money/currency.js';
import type { Ledger, RunLedger, TraceOnAccount, TracedAmount } from '../ports/ledger.js';
import { ruleFor } from '../posting/balance-transaction-rules.js';
import { proveBalanceSettling, type BalanceProof } from '../reconciliation/balance-proof.js';
import { createdInProofWindow } from '../reconciliation/proof-window.js';
import { proofRead, saveCarry, settleUpTo, type ProofBasis } from './balance-proof-carry.js';
import { sourceId } from '../reconciliation/tie-out.js';
import type { StripeBalance, StripeBalanceTransaction, StripePayout } from '../stripe/objects.js';
import { SPINE_FROM_CURSOR, spineReadAt } from './balance-transaction-spine.js';
import type { RunContext } from './engine-context.js';

/**
 * Runs the balance proof (reconciliation/balance-proof.ts) at the end of a run that read the
 * balance-transaction history: reads `GET /v1/balance`, compares it with the clearing account
 * as written to Sage, and keeps the result for status, reports and the window.
 */

const CURSOR_LAST_PROOF = 'balance-proof:last';
/** The last proof's cutoff alone, so deciding whether a proof is due does not parse the proof. */
const CURSOR_PROVED_UP_TO = 'balance-proof:cutoff';
const CURSOR_OPENING = 'balance-proof:opening';

/** Stripe's balance before the first transaction the backfill read, once the first proof fixed it. */
export function openingBeforeWindow(runs: Pick<RunLedger, 'getCursor'>): SageAmount | null {
  const text = runs.getCursor(CURSOR_OPENING);
  return text === null ? null : parseSageAmount(text);
}

/**
 * The history before the backfill window is not in Sage: what Stripe held then is the opening
 * balance, fixed once, when the window has just been read in full: Stripe's balance less the
 * window's transactions. They are counted as `traces` is iterated, so a first proof reads the
 * history once, not once for the opening and again for the proof. Returns the traces to
 * iterate (once) and the opening, to ask after that pass; it is saved the first time.
 */
function openingAfterPass(
  ledger: Ledger,
  balance: StripeBalance,
  from: number | null,
  traces: Iterable<TraceOnAccount>,
  mapping: Mapping,
): { traces: Iterable<TraceOnAccount>; opening: () => SageAmount } {
  const fixed = ledger.runs.getCursor(CURSOR_OPENING);
  if (fixed !== null) return { traces, opening: () => parseSageAmount(fixed) };
  if (from === null) return { traces, opening: () => saveOpening(ledger, 0n) };
  const home = normaliseCurrency(mapping.homeCurrency);
  let counted = 0n;
  const counting = (function* (): Generator<TraceOnAccount> {
    for (const trace of traces) {
      if (trace.transaction !== null) counted += countedNet(trace.transaction, home);
      yield trace;
    }
  })();
  return { traces: counting, opening: () => saveOpening(ledger, balanceTotal(balance.available, balance.pending, home) - counted) };
}

function saveOpening(ledger: Ledger, opening: SageAmount): SageAmount {
  ledger.runs.setCursor(CURSOR_OPENING, formatSageAmount(opening));
  return opening;
}

/** The proof's window (from the spine's start to now) and a fresh pass over its traces on the clearing account. */
function spineWindow(context: RunContext, mapping: Mapping): { from: number | null; cutoff: number; clearing: () => Iterable<TraceOnAccount> } {
  const fromText = context.ledger.runs.getCursor(SPINE_FROM_CURSOR);
  const from = fromText === null || fromText === 'all' ? null : Number(fromText);
  const cutoff = context.nowSeconds();
  // Each pass reads the window afresh, one trace at a time: the history is never held.
  return { from, cutoff, clearing: () => context.ledger.reconciliation.tracesOnAccount(mapping.accounts.clearing, from, cutoff) };
}

/**
 * In shadow mode with a go-live date, after the history was read: fixes the opening balance
 * (one read of Stripe's balance, once) without a proof, since nothing is in Sage yet. The
 * opening-balance journal at go-live is proposed from it, so the window can show it for
 * confirmation at the moment the bookkeeper leaves shadow mode rather than a sync later.
 */
export async function fixOpeningInShadow(context: RunContext, mapping: Mapping): Promise<void> {
  if (context.ledger.runs.getCursor(CURSOR_OPENING) !== null) return;
  const balance = await context.stripe.balance();
  const { from, clearing } = spineWindow(context, mapping);
  const { traces, opening } = openingAfterPass(context.ledger, balance, from, from === null ? [] : clearing(), mapping);
  for (const trace of traces) void trace;
  opening();
}

/** What the proof is made against (balance-proof-carry.ts): null until the opening is fixed. */
function proofBasis(context: RunContext, mapping: Mapping, from: number | null): ProofBasis | null {
  if (context.ledger.runs.getCursor(CURSOR_OPENING) === null) return null;
  const goLiveDate = context.options.goLiveDate;
  return {
    release: context.options.release,
    clearingAccount: mapping.accounts.clearing,
    inTransitAccount: mapping.accounts.payoutsInTransit,
    homeCurrency: normaliseCurrency(mapping.homeCurrency),
    from,
    goLive: goLiveDate ? { traceId: openingBalanceKey(goLiveDate), goLiveDate, timeZone: mapping.timeZone } : null,
  };
}

/** Lines by trace id, then amount: one order for the same lines however they were read. */
function byTraceAndAmount(a: TracedAmount, b: TracedAmount): number {
  if (a.traceId !== b.traceId) return a.traceId < b.traceId ? -1 : 1;
  const difference = parseSageAmount(a.amount) - parseSageAmount(b.amount);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The payouts' own and failure transactions in the window, by id, as a full read gathers them from its pass. */
function payoutTransactionsIn(ledger: Ledger, payouts: readonly StripePayout[], from: number | null, cutoff: number): Map<string, StripeBalanceTransaction> {
  const ids = payouts.flatMap((payout) => [payout.balance_transaction, payout.failure_balance_transaction]).flatMap((field) => (typeof field === 'string' ? [field] : []));
  const inWindow = [...ledger.objects.balanceTransactions(ids)].filter(([, bt]) => createdInProofWindow(bt.created, from, cutoff));
  return new Map(inWindow);
}

export async function proveBalanceAfterRun(context: RunContext, mapping: Mapping): Promise<BalanceProof> {
  const balance = await context.stripe.balance();
  // From the first read to the carry saved, one transaction holding the write lock: a transaction
  // another connection stored meanwhile would be neither read by this proof nor logged against
  // the carry it saves. Synchronous: nothing awaits inside.
  const proof = context.ledger.inWriteTransaction(() => proveAgainst(context, mapping, balance));
  if (!proof.holds) {
    context.emit({
      type: 'warning',
      code: 'balance-proof',
      message: `Stripe's balance (${proof.stripeBalance}) and the clearing account ${proof.clearingAccount} (${proof.booked}) differ by ${proof.unexplained} that no transaction explains; see \`s5sync report balance\``,
    });
  }
  return proof;
}

/** The proof against Stripe's balance as read, kept with its cursors and carry. */
function proveAgainst(context: RunContext, mapping: Mapping, balance: StripeBalance): BalanceProof {
  const { ledger } = context;
  const { from, cutoff, clearing } = spineWindow(context, mapping);
  const read = proofRead(ledger, proofBasis(context, mapping, from), cutoff);
  const payouts = payoutsOf(ledger, from, cutoff, mapping.homeCurrency);
  // In one order whichever way they were read (a line no payout explains is listed in it).
  const inTransitLines = (read.kind === 'full' ? ledger.reconciliation.writtenLinesOnAccount(mapping.accounts.payoutsInTransit) : read.inTransitLines).sort(byTraceAndAmount);
  // Read in full, the window's traces once (fixing the opening from them the first time); else only what the carry does not count.
  const { traces, opening } =
    read.kind === 'full'
      ? openingAfterPass(ledger, balance, from, clearing(), mapping)
      : { traces: ledger.reconciliation.tracesOnAccountSince(mapping.accounts.clearing, from, cutoff, read.settled.upTo, read.reread), opening: () => openingBeforeWindow(ledger.runs)! };
  const { proof, settled, open } = proveBalanceSettling(
    {
      balance,
      homeCurrency: mapping.homeCurrency,
      clearingAccount: mapping.accounts.clearing,
      clearing: traces,
      opening,
      cutoff,
      checkedAt: new Date(context.clock.now()).toISOString(),
      reasonNotBooked: (bt) => reasonNotBooked(ledger, bt),
      inTransitAccount: mapping.accounts.payoutsInTransit,
      payouts,
      inTransitLines,
      reasonPayoutDiffers: (payout) => reasonPayoutDiffers(ledger, payout),
      goLive: context.options.goLiveDate
        ? {
            traceId: openingBalanceKey(context.options.goLiveDate),
            cutover: { goLiveDate: context.options.goLiveDate, timeZone: mapping.timeZone },
            reasonNotWritten: openingBalanceNotWritten(ledger, context.options.goLiveDate),
          }
        : null,
      ...(read.kind === 'since' ? { settled: read.settled, payoutTransactions: payoutTransactionsIn(ledger, payouts, from, cutoff) } : {}),
    },
    settleUpTo(cutoff),
  );
  ledger.runs.setCursor(CURSOR_LAST_PROOF, JSON.stringify(proof));
  ledger.runs.setCursor(CURSOR_PROVED_UP_TO, String(proof.cutoff));
  // The basis now that the opening is fixed (a first proof fixed it from this pass).
  saveCarry(ledger, proofBasis(context, mapping, from)!, read, cutoff, settled!, open, inTransitLines);
  return proof;
}

/**
 * A proof is owed for history read after the last proof: a run that read it and was stopped
 * (killed, or Stripe's balance could not be read) before proving leaves it due, so the next run
 * proves even when it reads nothing new itself.
 */
export function balanceProofDue(runs: Pick<RunLedger, 'getCursor'>): boolean {
  const readAt = spineReadAt(runs);
  if (readAt === null) return false;
  const provedUpTo = runs.getCursor(CURSOR_PROVED_UP_TO);
  return provedUpTo === null || Number(provedUpTo) < readAt;
}

/** The proof of the last run that made one, or null before the first. */
export function lastBalanceProof(runs: Pick<RunLedger, 'getCursor'>): BalanceProof | null {
  const text = runs.getCursor(CURSOR_LAST_PROOF);
  return text === null ? null : (JSON.parse(text) as BalanceProof);
}

function balanceTotal(available: readonly { amount: number; currency: string }[], pending: readonly { amount: number; currency: string }[], currency: string): bigint {
  const home = normaliseCurrency(currency);
  return [...available, ...pending].filter((entry) => normaliseCurrency(entry.currency) === home).reduce((sum, entry) => sum + fromStripeMinor(entry.amount, home), 0n);
}

/** What a transaction of the window moved Stripe's balance by in the home currency, as the opening counts it (transactions outside the books and other currencies: nothing). */
function countedNet(bt: StripeBalanceTransaction, home: string): bigint {
  return ruleFor(bt).kind !== 'outside' && normaliseCurrency(bt.currency) === home ? fromStripeMinor(bt.net, home) : 0n;
}

/** The stored payouts in the home currency whose own balance transaction is in the proof's window. */
function payoutsOf(ledger: Ledger, from: number | null, upTo: number, currency: string): StripePayout[] {
  const home = normaliseCurrency(currency);
  return ledger.objects
    .payouts()
    .map((stored) => stored.object as StripePayout)
    .filter((payout) => {
      if (normaliseCurrency(payout.currency) !== home) return false;
      const id = typeof payout.balance_transaction === 'string' ? payout.balance_transaction : (payout.balance_transaction?.id ?? '');
      const own = ledger.objects.getBalanceTransaction(id);
      return own !== null && createdInProofWindow(own.created, from, upTo);
    });
}

/** In plain words, why the payouts-in-transit account does not hold what Stripe has in transit for a payout. */
function reasonPayoutDiffers(ledger: Ledger, payout: StripePayout): string {
  const documents = ledger.documents.documentsForObject(payout.id);
  const refused = documents.find((doc) => doc.state === 'failed' || doc.state === 'dead');
  if (refused) return `Sage refused its journal: ${refused.lastError ?? 'see the Errors view'}`;
  if (documents.some((doc) => doc.state === 'planned' || doc.state === 'writing')) return 'its journal is queued for Sage';
  if (documents.some((doc) => doc.state === 'shadow')) return 'shadow mode: its journal is planned, not written';
  if (documents.some((doc) => doc.state === 'skipped')) return 'its journal was skipped';
  const issue = ledger.objects.objectIssue(payout.id);
  if (issue) return issue.message;
  return 'not planned yet';
}

/** In plain words, why a transaction is not on the clearing account yet. */
function reasonNotBooked(ledger: Ledger, bt: StripeBalanceTransaction): string {
  const documents = ledger.documents.documentsTracing(bt.id);
  const refused = documents.find((doc) => doc.state === 'failed' || doc.state === 'dead');
  if (refused) return `Sage refused its journal: ${refused.lastError ?? 'see the Errors view'}`;
  if (documents.some((doc) => doc.state === 'planned' || doc.state === 'writing')) return 'its journal is queued for Sage';
  if (documents.some((doc) => doc.state === 'shadow')) return 'shadow mode: its journal is planned, not written';
  if (documents.some((doc) => doc.state === 'skipped')) return 'its journal was skipped by a user';
  const owner = sourceId(bt);
  const issue = (owner === null ? null : ledger.objects.objectIssue(owner)) ?? ledger.objects.objectIssue(bt.id);
  if (issue) return `${issue.objectId}: ${issue.message}`;
  const rule = ruleFor(bt);
  if (rule.kind === 'object') return `its ${rule.owner}${owner === null ? '' : ` ${owner}`} has not booked it yet`;
  return 'not planned yet';
}
