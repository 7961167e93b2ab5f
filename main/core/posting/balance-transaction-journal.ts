import { fromStripeMinor, formatSageAmount, type SageAmount } from '../money/sage-amount.js';
import { normaliseCurrency } from '../money/currency.js';
import type { JournalLine } from '../sage/documents.js';
import type { Mapping } from '../mapping/mapping.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';
import { PlanningError } from './planning-error.js';

/**
 * The one rule every money movement follows. A Stripe balance transaction (BT) moves `net`
 * through the Stripe clearing account; its gross `amount` is the other side (revenue,
 * refunds, chargebacks, the bank for payouts…) and each fee goes to its fee account:
 *
 *   clearing  +net
 *   counter   −amount
 *   fees      +fee (one line per fee_details entry)
 *
 * which balances because Stripe defines net = amount − fee. Every line carries the BT id,
 * so every amount in Sage traces to a Stripe balance transaction, and the clearing account
 * moves by exactly the net that Stripe later pays out.
 */

export interface BalanceTransactionLinesInput {
  bt: StripeBalanceTransaction;
  /** The account on the other side of the gross amount. */
  counterAccount: string;
  /** Account for fees; by default the mapping's account for each fee type. */
  feeAccount?: (feeType: string) => string;
  mapping: Mapping;
  /** Short label for PostCmnt, e.g. "ch_3Q… sale". */
  label: string;
}

const POST_COMMENT_LIMIT = 50;

export function postComment(text: string): string {
  return text.length <= POST_COMMENT_LIMIT ? text : `${text.slice(0, POST_COMMENT_LIMIT - 1)}…`;
}

export function settlementAmount(bt: StripeBalanceTransaction, field: 'amount' | 'net' | 'fee', mapping: Mapping): SageAmount {
  const currency = normaliseCurrency(bt.currency);
  if (currency !== mapping.homeCurrency) {
    throw new PlanningError(
      'configuration',
      `balance transaction ${bt.id} settled in ${currency.toUpperCase()}, but the Sage company's home currency is ${mapping.homeCurrency.toUpperCase()}; set the mapping's home currency to the Stripe settlement currency`,
    );
  }
  return fromStripeMinor(bt[field], currency);
}

export function balanceTransactionLines(input: BalanceTransactionLinesInput): JournalLine[] {
  const { bt, mapping, counterAccount, label } = input;
  const feeAccount = input.feeAccount ?? ((type: string) => mapping.accounts.fees[type] ?? mapping.accounts.fees.default!);
  const amount = settlementAmount(bt, 'amount', mapping);
  const net = settlementAmount(bt, 'net', mapping);
  const fee = settlementAmount(bt, 'fee', mapping);

  const feeLines: JournalLine[] = [];
  let feeDetailTotal = 0n;
  for (const detail of bt.fee_details) {
    const feeAmount = fromStripeMinor(detail.amount, mapping.homeCurrency);
    feeDetailTotal += feeAmount;
    if (feeAmount !== 0n) {
      feeLines.push(line(feeAccount(detail.type), feeAmount, `${label} fee ${detail.type}`, bt.id));
    }
  }
  if (feeDetailTotal !== fee) {
    throw new PlanningError(
      'data',
      `balance transaction ${bt.id}: fee_details add up to ${formatSageAmount(feeDetailTotal)} but fee is ${formatSageAmount(fee)}`,
    );
  }
  if (amount - fee !== net) {
    throw new PlanningError('data', `balance transaction ${bt.id}: amount − fee ≠ net`);
  }

  const lines = [line(mapping.accounts.clearing, net, `${label} net`, bt.id), line(counterAccount, -amount, label, bt.id), ...feeLines];
  return lines.filter((entry) => entry.amount !== formatSageAmount(0n));
}

function line(acctNo: string, amount: SageAmount, comment: string, traceId: string): JournalLine {
  return { acctNo, amount: formatSageAmount(amount), comment: postComment(comment), traceId };
}
