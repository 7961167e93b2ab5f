import { formatSageAmount, parseSageAmount } from '../money/sage-amount.js';
import type { BalanceProofChanges, Ledger, TracedAmount } from '../ports/ledger.js';
import type { SettledPast } from '../reconciliation/balance-proof.js';

/**
 * The balance proof's settled past, carried from one proof to the next (issue #19, session 9).
 *
 * A proof counts every balance transaction of the window and every written line on the
 * clearing account. Most of that history does not move between two proofs minutes apart: a
 * transaction that Sage holds for exactly what Stripe moved, created long ago, stays so unless
 * its stored body or its written lines change. So a proof carries, for the transactions
 * created at or before a time H (`settledUpTo`: an hour before its cutoff), the totals of those it did not list (balance-proof.ts,
 * SettledPast), and names the traces the next proof must read again although a read of what
 * was created after H would not find them (`open`: the listed transactions created at or
 * before H, and lines no transaction in the window explains). The next proof counts the
 * carried totals and reads only the transactions created after H, the open traces, the
 * opening-balance journal's trace, and the traces whose lines changed; the answer is the
 * same as reading everything, because everything it does not read is what the carry counted
 * and nothing of that changed. The in-transit half carries the written lines on the
 * payouts-in-transit account (a few a payout) and reads again those of the traces whose lines
 * on it changed; the stored payouts are read whole each time.
 *
 * "Nothing of that changed" is the ledger's log (migrations 17 and 19: triggers on every write
 * to the tables, whoever writes; one on another connection waits for a proof, which runs as one
 * transaction holding the write lock, balance-proof-step.ts): a carried transaction stored again with another net,
 * currency, type, category, balance type or time, or deleted, a transaction stored late with a
 * time at or before H, or a carried transaction's written lines on the clearing account
 * changing, each sends the proof back to the full read. So do: no carry, one from another
 * release or schema, another clearing or in-transit account, home currency, window start or
 * go-live, a cutoff before the carried proof's (the clock went back), and a day since the last full read (the
 * full read is the reference and is made at least daily whatever the log says). The opening is
 * not carried: every proof reads it afresh.
 */

/** Bumped when the carry body's layout changes, so a build of the same release does not misread an older body. */
const CARRY_FORMAT = 3;
/** How far before its cutoff a proof settles: transactions Stripe lists late (a few seconds, rarely minutes) land after H, not before it. */
const SETTLE_MARGIN_SECONDS = 3_600;
/** The full read is made at least this often, carry or not. */
const FULL_PROOF_EVERY_SECONDS = 86_400;

/** What a carry was proved against: any difference and it is not used. */
export interface ProofBasis {
  /** The product's release (EngineOptions.release): another release may classify a transaction otherwise (posting rules, currencies, cutover). */
  release: string;
  clearingAccount: string;
  inTransitAccount: string;
  homeCurrency: string;
  from: number | null;
  goLive: { traceId: string; goLiveDate: string; timeZone: string } | null;
}

interface CarryBody {
  format: number;
  basis: ProofBasis;
  /** The cutoff of the last full read. */
  fullAt: number;
  /** The cutoff of the proof that saved it: a later proof whose cutoff is before it (the clock went back) reads in full. */
  cutoff: number;
  booked: string;
  beforeGoLive: { net: string; transactions: number };
  open: string[];
  /** The written lines on the payouts-in-transit account (a few a payout), for the in-transit half. */
  inTransitLines: TracedAmount[];
}

/** How the next proof reads: the whole window, or what its carry does not count. */
export type ProofRead =
  | { kind: 'full'; reason: string; changesThrough: number; fullAt: number }
  | { kind: 'since'; settled: SettledPast; reread: string[]; inTransitLines: TracedAmount[]; changesThrough: number; fullAt: number };

/** Decides how to read for a proof at `cutoff` against this basis (null while the opening is not fixed: a first proof fixes it from a full read). */
export function proofRead(ledger: Ledger, basis: ProofBasis | null, cutoff: number): ProofRead {
  const changes = ledger.reconciliation.balanceProofChanges(basis?.clearingAccount ?? '');
  const full = (reason: string): ProofRead => ({ kind: 'full', reason, changesThrough: changes.through, fullAt: cutoff });
  if (basis === null) return full('the opening balance is not fixed yet');
  const stored = ledger.reconciliation.balanceProofCarry();
  if (stored === null) return full('no carried proof');
  const carry = JSON.parse(stored.body) as CarryBody;
  if (carry.format !== CARRY_FORMAT) return full('the carried proof is of another format');
  if (carry.basis.release !== basis.release) return full('the carried proof is of another release');
  if (JSON.stringify(carry.basis) !== JSON.stringify(basis)) return full('the clearing or in-transit account, home currency, window start or go-live changed');
  // A cutoff before the last one (the clock went back, even by less than the settle margin): a
  // transaction created between the two was neither settled by the carry nor listed in it.
  if (cutoff < carry.cutoff) return full('the clock is before the carried proof');
  if (cutoff - carry.fullAt >= FULL_PROOF_EVERY_SECONDS) return full('a day since the last full read');
  const open = new Set(carry.open);
  const settledChange = settledPastChanged(ledger, changes, open, basis.from, stored.settledUpTo);
  if (settledChange !== null) return full(settledChange);
  const reread = [...open, ...changes.lineTraceIds, ...(basis.goLive ? [basis.goLive.traceId] : [])];
  // The in-transit lines as carried, those of the traces whose lines on the account changed read again.
  const inTransitChanged = ledger.reconciliation.balanceProofChanges(basis.inTransitAccount).lineTraceIds;
  const changed = new Set(inTransitChanged);
  const inTransitLines = [
    ...carry.inTransitLines.filter((line) => !changed.has(line.traceId)),
    ...ledger.reconciliation.writtenLinesOnAccountTracing(basis.inTransitAccount, inTransitChanged),
  ];
  return {
    kind: 'since',
    settled: {
      upTo: stored.settledUpTo,
      booked: parseSageAmount(carry.booked),
      beforeGoLive: { net: parseSageAmount(carry.beforeGoLive.net), transactions: carry.beforeGoLive.transactions },
    },
    reread,
    inTransitLines,
    changesThrough: changes.through,
    fullAt: carry.fullAt,
  };
}

/** Why a change since the carry touched what it counts, or null: a carried transaction stored again or late, or a carried transaction's lines changed. */
function settledPastChanged(ledger: Ledger, changes: BalanceProofChanges, open: ReadonlySet<string>, from: number | null, settledUpTo: number): string | null {
  if (changes.transactionIds.some((id) => !open.has(id))) return 'a transaction created before the carried proof was stored or changed';
  // A trace the carry counts is a transaction of the window created by H and not open; any other trace counted nothing and is read again.
  const touched = changes.lineTraceIds.filter((id) => !open.has(id));
  for (const bt of ledger.objects.balanceTransactions(touched).values()) {
    if (typeof bt.created === 'number' && bt.created <= settledUpTo && (from === null || bt.created >= from)) return 'the written lines of a transaction created before the carried proof changed';
  }
  return null;
}

/** The settled past `settled` carried forward from a proof read as `read`, with the traces to read again. */
export function saveCarry(
  ledger: Ledger,
  basis: ProofBasis,
  read: ProofRead,
  cutoff: number,
  settled: SettledPast,
  open: readonly string[],
  inTransitLines: readonly TracedAmount[],
): void {
  const body: CarryBody = {
    format: CARRY_FORMAT,
    basis,
    fullAt: read.fullAt,
    cutoff,
    booked: formatSageAmount(settled.booked),
    beforeGoLive: { net: formatSageAmount(settled.beforeGoLive.net), transactions: settled.beforeGoLive.transactions },
    open: [...open],
    inTransitLines: [...inTransitLines],
  };
  ledger.reconciliation.saveBalanceProofCarry({ settledUpTo: settled.upTo, body: JSON.stringify(body) }, read.changesThrough);
}

/**
 * Where a proof at `cutoff` settles: an hour before it. A proof read from a carry has a cutoff at
 * or after the carry's (proofRead), so this is never before the carry's own H.
 */
export function settleUpTo(cutoff: number): number {
  return cutoff - SETTLE_MARGIN_SECONDS;
}
