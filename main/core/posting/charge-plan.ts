import { apiExponent } from '../money/currency.js';
import { describeValue } from '../money/describe-value.js';
import type { JournalDocument } from '../sage/documents.js';
import type { StripeCharge } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { balanceTransactionLines } from './balance-transaction-journal.js';
import { optionalBalanceTransaction, requireBalanceTransaction } from './expand.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';
import { PlanningError } from './planning-error.js';

/**
 * A captured, succeeded charge: the gross goes to revenue (or to the invoice receivable
 * when the charge paid a Stripe invoice, whose own journal books the revenue and tax; the
 * link is the invoice payment naming the charge's PaymentIntent), the
 * fees to their fee accounts, the net to clearing. Amounts come from the balance
 * transaction, i.e. in the settlement currency; a foreign presentment amount is named in
 * the description so the bookkeeper sees the conversion Stripe made. A partially captured
 * charge's balance transaction is for the whole authorisation; the uncaptured part comes back
 * as a refund-type transaction that refund-plan.ts books against the same account.
 *
 * Delayed payment methods (ACH Direct Debit, SEPA…; `py_` charges) credit the balance with a
 * `payment` transaction while the charge is still `pending` (pending in Stripe's balance too),
 * so it is booked then. When the debit later fails, Stripe takes the money back with the
 * charge's `failure_balance_transaction` ("the reversal of the balance on your account due to
 * payment failure", Charge object in the `stripe` types; type `payment_failure_refund`),
 * booked as a journal of its own against the same account. Nothing waits on a failed payment,
 * so it never holds a payout back.
 */
const KNOWN_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'pending', 'failed']);

export function planCharge(charge: StripeCharge, context: PlanningContext): JournalDocument[] {
  // Pending and failed charges move no money yet; a status Stripe does not document is not
  // silently skipped but reported, so the bookkeeper sees it before the payout does.
  if (!KNOWN_STATUSES.has(charge.status)) {
    throw new PlanningError('data', `charge ${charge.id} has status "${describeValue(charge.status)}", which this version does not know how to book`);
  }
  if (!charge.captured) return [];
  // A card charge moves money only once it succeeded; a delayed payment already when pending,
  // and a failed one only if it was credited before it failed.
  if (charge.status !== 'succeeded' && charge.balance_transaction === null) return [];
  const bt = requireBalanceTransaction(charge.balance_transaction, charge.id, context);
  const invoiceId = context.invoiceForCharge(charge);
  const counter = invoiceId ? context.mapping.accounts.receivable : context.mapping.accounts.revenue;
  const label = invoiceId ? `${charge.id} paid ${invoiceId}` : `${charge.id} sale`;
  const documents = [
    journalDocument({
      key: `${charge.id}:${bt.id}`,
      postDate: businessDate(bt.created, context.mapping.timeZone),
      stripeObjectId: charge.id,
      description: `Stripe charge ${charge.id}${charge.status === 'succeeded' ? '' : ` (${charge.status})`}${presentment(charge, bt.currency, bt.exchange_rate)}`,
      lines: balanceTransactionLines({ bt, counterAccount: counter, mapping: context.mapping, label }),
    }),
  ];
  const failure = optionalBalanceTransaction(charge.failure_balance_transaction ?? null, charge.id, context);
  if (failure) {
    documents.push(
      journalDocument({
        key: `${charge.id}:${failure.id}`,
        postDate: businessDate(failure.created, context.mapping.timeZone),
        stripeObjectId: charge.id,
        description: `Stripe charge ${charge.id} failed: payment reversed`,
        lines: balanceTransactionLines({ bt: failure, counterAccount: counter, mapping: context.mapping, label: `${charge.id} failed` }),
      }),
    );
  }
  return documents;
}

function presentment(charge: StripeCharge, settlementCurrency: string, rate: number | null): string {
  if (charge.currency.toLowerCase() === settlementCurrency.toLowerCase()) return '';
  const exponent = apiExponent(charge.currency);
  const text = (BigInt(charge.amount) * 10n ** BigInt(3 - exponent)).toString().padStart(4, '0');
  const whole = text.slice(0, -3);
  const fraction = text.slice(-3).slice(0, exponent);
  const shown = exponent === 0 ? whole : `${whole}.${fraction}`;
  return ` ${charge.currency.toUpperCase()} ${shown}${rate === null ? '' : ` @${rate}`}`;
}
