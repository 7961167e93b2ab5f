import { DEFAULT_RESERVE_ACCOUNT, DEFAULT_SUSPENSE_ACCOUNT, type Mapping } from '../mapping/mapping.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';

/**
 * The rule for every balance-transaction type and reporting category Stripe documents: which
 * journal books it. Sources: the `BalanceTransaction.Type` union of the pinned `stripe`
 * package (node_modules/stripe/cjs/resources/BalanceTransactions.d.ts), Stripe's "Balance
 * transaction types" (https://docs.stripe.com/reports/balance-transaction-types) and
 * "Reporting categories" (https://docs.stripe.com/reports/reporting-categories) pages. The
 * same table, with worked examples, is in docs/posting-rules.md.
 *
 * - `object`: the transaction belongs to a Stripe object we sync (charge, refund, dispute,
 *   payout) and that object's plan books it, so it is never booked from the transaction alone.
 * - `standalone`: nothing else books it; the transaction alone is journalled against `account`.
 * - `outside`: it moves a balance other than the payments balance (Issuing), which is neither
 *   in the clearing account nor in `GET /v1/balance` available + pending: listed, not booked.
 * - anything not in the table goes to the suspense account with a warning on the record.
 */

export type OwnerKind = 'charge' | 'refund' | 'dispute' | 'payout';

/** A mapping account a standalone transaction is booked against; `fee` is the fee account for `feeType`. */
export type CounterAccount =
  | { role: 'revenue' | 'refunds' | 'disputes' | 'adjustments' | 'bank' | 'reserve' | 'suspense' }
  | { role: 'fee'; feeType: string };

export type BalanceTransactionRule =
  | { kind: 'object'; owner: OwnerKind; why: string }
  | { kind: 'standalone'; counter: CounterAccount; why: string }
  | { kind: 'outside'; why: string }
  | { kind: 'suspense'; why: string };

const object = (owner: OwnerKind, why: string): BalanceTransactionRule => ({ kind: 'object', owner, why });
const standalone = (counter: CounterAccount, why: string): BalanceTransactionRule => ({ kind: 'standalone', counter, why });
const fee = (feeType: string, why: string): BalanceTransactionRule => standalone({ role: 'fee', feeType }, why);
const outside = (why: string): BalanceTransactionRule => ({ kind: 'outside', why });
const suspense = (why: string): BalanceTransactionRule => ({ kind: 'suspense', why });

/** Rules by `type`. `adjustment` is decided by its reporting category (below). */
export const TYPE_RULES: Readonly<Record<string, BalanceTransactionRule>> = {
  charge: object('charge', 'a card payment: its charge books revenue, fees and net'),
  payment: object('charge', 'a payment by another method (ACH, SEPA…, py_ charges): booked by its charge, pending or not'),
  payment_failure_refund: object('charge', "a delayed payment that failed: the charge's failure_balance_transaction, reversed by the charge"),
  payment_reversal: object('charge', 'a payment reversed by the payment network: reversed by its charge'),
  refund: object('refund', 'a refund of a charge: booked by the refund'),
  payment_refund: object('refund', 'a refund of a non-card payment: booked by the refund'),
  refund_failure: object('refund', "a refund that failed: the refund's failure_balance_transaction"),
  payout: object('payout', 'a payout to the bank: booked by the payout once its tie-out passes'),
  payout_cancel: object('payout', "a canceled payout's money back in the balance: the payout's failure_balance_transaction"),
  payout_failure: object('payout', "a failed payout's money back in the balance: the payout's failure_balance_transaction"),
  stripe_fee: fee('stripe_fee', 'a Stripe fee charged on its own (Billing, Radar, Connect…)'),
  stripe_fx_fee: fee('stripe_fx_fee', 'a currency conversion fee charged on its own'),
  tax_fee: fee('tax', 'a Stripe Tax fee'),
  contribution: fee('contribution', 'a Stripe Climate contribution'),
  climate_order_purchase: fee('contribution', 'a Stripe Climate order'),
  climate_order_refund: fee('contribution', 'a Stripe Climate order refunded'),
  fee_credit_funding: fee('stripe_fee', 'fee credits granted by Stripe, used against its fees'),
  application_fee: standalone({ role: 'revenue' }, 'a Connect platform fee earned on a connected account charge'),
  application_fee_refund: standalone({ role: 'revenue' }, 'a Connect platform fee given back'),
  topup: standalone({ role: 'bank' }, 'money added to the Stripe balance from the bank'),
  topup_reversal: standalone({ role: 'bank' }, 'a top-up reversed: the money goes back to the bank'),
  reserve_transaction: standalone({ role: 'reserve' }, 'money moved into or out of a Stripe reserve'),
  reserved_funds: standalone({ role: 'reserve' }, 'funds Stripe holds back from the balance'),
  reserve_hold: standalone({ role: 'reserve' }, 'funds held in a risk reserve'),
  reserve_release: standalone({ role: 'reserve' }, 'funds released from a risk reserve'),
  payment_network_reserve_hold: standalone({ role: 'reserve' }, 'funds held for a payment network'),
  payment_network_reserve_release: standalone({ role: 'reserve' }, 'funds released by a payment network'),
  payout_minimum_balance_hold: standalone({ role: 'reserve' }, 'the minimum balance kept back from payouts'),
  payout_minimum_balance_release: standalone({ role: 'reserve' }, 'the minimum balance released'),
  transfer: standalone({ role: 'adjustments' }, 'a Connect transfer to another Stripe account'),
  transfer_cancel: standalone({ role: 'adjustments' }, 'a Connect transfer canceled'),
  transfer_failure: standalone({ role: 'adjustments' }, 'a Connect transfer that failed'),
  transfer_refund: standalone({ role: 'adjustments' }, 'a Connect transfer reversed'),
  connect_collection_transfer: standalone({ role: 'adjustments' }, 'money collected from a connected account'),
  stripe_balance_payment_debit: standalone({ role: 'adjustments' }, 'a Stripe bill paid from the balance'),
  stripe_balance_payment_debit_reversal: standalone({ role: 'adjustments' }, 'a Stripe bill payment from the balance reversed'),
  inbound_transfer: standalone({ role: 'bank' }, 'money pulled into the balance from the bank'),
  inbound_transfer_reversal: standalone({ role: 'bank' }, 'money pulled from the bank, reversed'),
  advance: suspense('Stripe Capital financing paid in: a loan, which needs a liability account a bookkeeper chooses'),
  advance_funding: suspense('Stripe Capital financing: needs a liability account a bookkeeper chooses'),
  anticipation_repayment: suspense('Stripe Capital repayment: needs a liability account a bookkeeper chooses'),
  obligation_outbound: suspense('an obligation paid out of the balance: not classified without a bookkeeper'),
  obligation_reversal_inbound: suspense('an obligation reversed: not classified without a bookkeeper'),
  payment_unreconciled: suspense('funds Stripe received but could not match to a payment'),
  tax_fund: suspense('tax funds moved for Stripe Tax filing: not classified without a bookkeeper'),
  issuing_authorization_hold: outside('Issuing card authorisation: moves the Issuing balance'),
  issuing_authorization_release: outside('Issuing card authorisation released: moves the Issuing balance'),
  issuing_transaction: outside('Issuing card transaction: moves the Issuing balance'),
  issuing_dispute: outside('Issuing dispute: moves the Issuing balance'),
  issuing_dispute_provisional_credit: outside('Issuing dispute credit: moves the Issuing balance'),
  issuing_dispute_provisional_credit_reversal: outside('Issuing dispute credit reversed: moves the Issuing balance'),
};

/** Rules for `type: adjustment` (and the categories that refine any type), by `reporting_category`. */
export const CATEGORY_RULES: Readonly<Record<string, BalanceTransactionRule>> = {
  dispute: object('dispute', "a dispute's funds withdrawn (and its fee): booked by the dispute"),
  dispute_reversal: object('dispute', "a dispute's funds reinstated (won, or its fee returned): booked by the dispute"),
  refund_failure: object('refund', "a refund that failed: the refund's failure_balance_transaction"),
  partial_capture_reversal: object('refund', 'the uncaptured part of a partially captured charge: a refund-type transaction its refund books against the sale (refund-plan.ts)'),
  charge_failure: object('charge', 'a payment that failed after it was credited: booked by the charge'),
  fee: fee('stripe_fee', 'a fee adjustment (a fee Stripe charged or returned later)'),
  other_adjustment: standalone({ role: 'adjustments' }, 'an account adjustment by Stripe'),
  risk_reserved_funds: standalone({ role: 'reserve' }, 'funds held or released by a risk reserve'),
  connect_reserved_funds: standalone({ role: 'reserve' }, 'funds held or released for a connected account'),
  topup: standalone({ role: 'bank' }, 'money added from the bank'),
  topup_reversal: standalone({ role: 'bank' }, 'a top-up reversed'),
  tax: fee('tax', 'a tax on Stripe fees'),
  platform_earning: standalone({ role: 'revenue' }, 'a Connect platform fee earned'),
  platform_earning_refund: standalone({ role: 'revenue' }, 'a Connect platform fee given back'),
  transfer: standalone({ role: 'adjustments' }, 'a Connect transfer'),
  transfer_reversal: standalone({ role: 'adjustments' }, 'a Connect transfer reversed'),
};

/** The rule for one transaction; an `adjustment` is refined by its reporting category. */
export function ruleFor(bt: Pick<StripeBalanceTransaction, 'type' | 'reporting_category' | 'balance_type'>): BalanceTransactionRule {
  if (bt.balance_type !== undefined && bt.balance_type !== 'payments') {
    return outside(`moves the ${bt.balance_type.replace(/_/g, ' ')} balance, not the payments balance`);
  }
  const byCategory = CATEGORY_RULES[bt.reporting_category];
  if (bt.type === 'adjustment') {
    return byCategory ?? suspense(`an adjustment of reporting category "${bt.reporting_category}", which this version has no rule for`);
  }
  // A partial capture's reversal carries a refund-like type; its category says what it is.
  if (bt.reporting_category === 'partial_capture_reversal') return CATEGORY_RULES.partial_capture_reversal!;
  return TYPE_RULES[bt.type] ?? suspense(`type "${bt.type}" (reporting category "${bt.reporting_category}") is not one this version has a rule for`);
}

/** The GL account of a standalone rule's counter side. */
export function counterAccountNumber(counter: CounterAccount, mapping: Mapping): string {
  const { accounts } = mapping;
  switch (counter.role) {
    case 'fee':
      return accounts.fees[counter.feeType] ?? accounts.fees.default!;
    // A mapping saved before these accounts existed has none: it gets the default chart's.
    case 'reserve':
      return accounts.reserve ?? DEFAULT_RESERVE_ACCOUNT;
    case 'suspense':
      return accounts.suspense ?? DEFAULT_SUSPENSE_ACCOUNT;
    default:
      return accounts[counter.role];
  }
}
