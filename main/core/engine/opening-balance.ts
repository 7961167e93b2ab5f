import type { Mapping } from '../mapping/mapping.js';
import { formatSageAmount, parseSageAmount } from '../money/sage-amount.js';
import type { Ledger, RunLedger } from '../ports/ledger.js';
import type { SageDocumentLedger } from '../ports/sage-document-ledger.js';
import { journalDocument } from '../posting/journal-document.js';
import { postComment } from '../posting/balance-transaction-journal.js';
import { openingAtCutover } from '../reconciliation/cutover.js';
import type { StripePayout } from '../stripe/objects.js';
import { businessDayStart } from '../time/business-day-start.js';
import { openingBeforeWindow } from './balance-proof-step.js';
import { SPINE_FROM_CURSOR } from './balance-transaction-spine.js';
import type { RunContext } from './engine-context.js';

/**
 * The opening-balance journal at go-live. Stripe activity dated before the go-live date is in
 * Sage as the bookkeeper keyed it and is never written by the sync (go-live.ts), but what Stripe
 * held at that moment must be on the clearing and payouts-in-transit accounts for them to equal
 * Stripe from then on. One journal, dated on the go-live date, puts it there:
 *
 *   clearing            +what Stripe held at the cutover (reconciliation/cutover.ts)
 *   payouts in transit  +the payouts then on their way
 *   opening offset      −both (accounts.openingBalanceOffset, suspense by default: the
 *                        bookkeeper reclassifies it against wherever the hand-keyed books held it)
 *
 * It is proposed from the ledger once the first proof out of shadow mode has fixed Stripe's
 * balance before the history read, and written only after the user confirmed exactly the
 * amounts shown (`s5sync go-live confirm`, or the window's Settings).
 */

const CURSOR_CONFIRMED = 'opening-balance:confirmed';

export function openingBalanceKey(goLiveDate: string): string {
  return `opening-balance:${goLiveDate}`;
}

export type OpeningBalanceState = 'not-ready' | 'to-confirm' | 'confirmed' | 'written';

export interface OpeningBalanceProposal {
  goLiveDate: string;
  state: OpeningBalanceState;
  /** What the state means, and what to do. */
  note: string;
  currency: string;
  clearingAccount: string;
  /** Sage decimal text; null while not ready. */
  clearing: string | null;
  inTransitAccount: string;
  inTransit: string | null;
  offsetAccount: string;
  /** The other side, minus clearing and in transit (Sage decimal text); null while not ready. */
  offset: string | null;
  /** How many Stripe transactions before go-live and payouts in transit at it the amounts are made of. */
  transactions: number;
  payoutsInTransit: number;
}

interface Confirmation {
  goLiveDate: string;
  clearing: string;
  inTransit: string;
}

export function openingBalanceProposal(ledger: Ledger, mapping: Mapping, goLiveDate: string): OpeningBalanceProposal {
  const base = {
    goLiveDate,
    currency: mapping.homeCurrency,
    clearingAccount: mapping.accounts.clearing,
    inTransitAccount: mapping.accounts.payoutsInTransit,
    offsetAccount: mapping.accounts.openingBalanceOffset,
  };
  const preWindow = openingBeforeWindow(ledger.runs);
  if (preWindow === null) {
    return {
      ...base,
      state: 'not-ready',
      note: 'proposed after the next sync that reads Stripe\u2019s balance (in shadow mode too, once the go-live date is set)',
      clearing: null,
      inTransit: null,
      offset: null,
      transactions: 0,
      payoutsInTransit: 0,
    };
  }
  const fromText = ledger.runs.getCursor(SPINE_FROM_CURSOR);
  const from = fromText === null || fromText === 'all' ? null : Number(fromText);
  const amounts = openingAtCutover({
    preWindow,
    transactions: ledger.objects.balanceTransactionsCreated(from, businessDayStart(goLiveDate, mapping.timeZone) - 1),
    payouts: ledger.objects.payouts().map((stored) => stored.object as StripePayout),
    homeCurrency: mapping.homeCurrency,
    cutover: { goLiveDate, timeZone: mapping.timeZone },
  });
  const clearing = formatSageAmount(amounts.clearing);
  const inTransit = formatSageAmount(amounts.inTransit);
  const stored = ledger.documents.getDocument(openingBalanceKey(goLiveDate));
  const confirmed = confirmation(ledger.runs, goLiveDate);
  const state: OpeningBalanceState = stored?.state === 'written' ? 'written' : confirmed ? 'confirmed' : 'to-confirm';
  const note =
    state === 'written'
      ? `written to Sage${stored?.ref ? ` (${stored.ref.sageNumber})` : ''}`
      : state === 'confirmed'
        ? 'confirmed: written to Sage on the next sync'
        : `check the amounts against Stripe at the start of ${goLiveDate} and confirm: \`s5sync go-live confirm --clearing ${clearing} --in-transit ${inTransit}\``;
  const offset = formatSageAmount(-(amounts.clearing + amounts.inTransit));
  return { ...base, state, note, clearing, inTransit, offset, transactions: amounts.transactions, payoutsInTransit: amounts.payoutsInTransit };
}

/** The opening balance cannot be confirmed as asked (not ready, no go-live date, or other amounts than shown). */
export class OpeningBalanceRefused extends Error {}

/**
 * Records the user's confirmation of the amounts they were shown. If the ledger now proposes
 * other amounts (Stripe activity before go-live read since), nothing is recorded and the error
 * says what changed, so what is written is always what was confirmed.
 */
export function confirmOpeningBalance(ledger: Ledger, mapping: Mapping, goLiveDate: string, seen: { clearing: string; inTransit: string }): OpeningBalanceProposal {
  const proposal = openingBalanceProposal(ledger, mapping, goLiveDate);
  if (proposal.clearing === null || proposal.inTransit === null) throw new OpeningBalanceRefused(`the opening balance at go-live is not ready: ${proposal.note}`);
  if (parseSageAmount(seen.clearing) !== parseSageAmount(proposal.clearing) || parseSageAmount(seen.inTransit) !== parseSageAmount(proposal.inTransit)) {
    throw new OpeningBalanceRefused(
      `the opening balance at go-live is now clearing ${proposal.clearing}, in transit ${proposal.inTransit} (you confirmed ${seen.clearing} and ${seen.inTransit}): look at it again and confirm those amounts`,
    );
  }
  if (proposal.state === 'to-confirm') {
    const record: Confirmation = { goLiveDate, clearing: proposal.clearing, inTransit: proposal.inTransit };
    ledger.runs.setCursor(CURSOR_CONFIRMED, JSON.stringify(record));
  }
  return openingBalanceProposal(ledger, mapping, goLiveDate);
}

/** Plans the confirmed journal once (a run in shadow mode plans nothing to write). */
export function planOpeningBalance(context: RunContext, mapping: { version: number; mapping: Mapping }): void {
  const goLiveDate = context.options.goLiveDate;
  if (!goLiveDate || context.options.shadowMode) return;
  const confirmed = confirmation(context.ledger.runs, goLiveDate);
  const key = openingBalanceKey(goLiveDate);
  if (!confirmed || context.ledger.documents.getDocument(key)) return;
  const { accounts } = mapping.mapping;
  const clearing = parseSageAmount(confirmed.clearing);
  const inTransit = parseSageAmount(confirmed.inTransit);
  const comment = postComment(`Stripe at go-live ${goLiveDate}`);
  const lines = [
    { acctNo: accounts.clearing, amount: formatSageAmount(clearing), comment, traceId: key },
    { acctNo: accounts.payoutsInTransit, amount: formatSageAmount(inTransit), comment, traceId: key },
    { acctNo: accounts.openingBalanceOffset, amount: formatSageAmount(-(clearing + inTransit)), comment, traceId: key },
  ].filter((line) => parseSageAmount(line.amount) !== 0n);
  if (lines.length === 0) return;
  const journal = journalDocument({ key, postDate: goLiveDate, stripeObjectId: key, description: `Stripe opening balance at go-live ${goLiveDate}`, lines });
  context.ledger.documents.savePlan(key, [journal], mapping.version, 'planned');
}

/** Why the opening-balance journal is not in Sage, for the balance proof. */
export function openingBalanceNotWritten(ledger: Pick<Ledger, 'runs'> & { documents: Pick<SageDocumentLedger, 'getDocument'> }, goLiveDate: string): string {
  const stored = ledger.documents.getDocument(openingBalanceKey(goLiveDate));
  if (stored?.state === 'failed' || stored?.state === 'dead') return `Sage refused the opening-balance journal at go-live: ${stored.lastError ?? 'see the Errors view'}`;
  if (stored) return 'the opening-balance journal at go-live is queued for Sage';
  return `the opening-balance journal at go-live (${goLiveDate}) waits for your confirmation: \`s5sync go-live\` shows it, Settings in the window`;
}

function confirmation(runs: Pick<RunLedger, 'getCursor'>, goLiveDate: string): Confirmation | null {
  const text = runs.getCursor(CURSOR_CONFIRMED);
  if (text === null) return null;
  const record = JSON.parse(text) as Confirmation;
  return record.goLiveDate === goLiveDate ? record : null;
}
