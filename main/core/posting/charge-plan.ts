import { apiExponent } from '../money/currency.js';
import { describeValue } from '../money/describe-value.js';
import type { JournalDocument } from '../sage/documents.js';
import type { StripeCharge } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { balanceTransactionLines } from './balance-transaction-journal.js';
import { requireBalanceTransaction } from './expand.js';
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
 */
const KNOWN_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'pending', 'failed']);

export function planCharge(charge: StripeCharge, context: PlanningContext): JournalDocument[] {
  // Pending and failed charges move no money yet; a status Stripe does not document is not
  // silently skipped but reported, so the bookkeeper sees it before the payout does.
  if (!KNOWN_STATUSES.has(charge.status)) {
    throw new PlanningError('data', `charge ${charge.id} has status "${describeValue(charge.status)}", which this version does not know how to book`);
  }
  if (charge.status !== 'succeeded' || !charge.captured) return [];
  const bt = requireBalanceTransaction(charge.balance_transaction, charge.id, context);
  const invoiceId = context.invoiceForCharge(charge);
  const counter = invoiceId ? context.mapping.accounts.receivable : context.mapping.accounts.revenue;
  const label = invoiceId ? `${charge.id} paid ${invoiceId}` : `${charge.id} sale`;
  return [
    journalDocument({
      key: `${charge.id}:${bt.id}`,
      postDate: businessDate(bt.created, context.mapping.timeZone),
      stripeObjectId: charge.id,
      description: `Stripe charge ${charge.id}${presentment(charge, bt.currency, bt.exchange_rate)}`,
      lines: balanceTransactionLines({ bt, counterAccount: counter, mapping: context.mapping, label }),
    }),
  ];
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
