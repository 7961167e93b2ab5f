import type { JournalDocument } from '../sage/documents.js';
import type { StripeRefund } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { balanceTransactionLines } from './balance-transaction-journal.js';
import { optionalBalanceTransaction } from './expand.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';

/**
 * A refund books its balance transaction (money leaving clearing to the refunds account, or
 * to the invoice receivable when a credit note settles it). When the refund later fails,
 * Stripe creates a failure balance transaction that returns the money; it is booked as its
 * own journal so the original stays untouched in Sage.
 *
 * A partial capture is not a refund: Stripe books the whole authorisation as the charge and
 * reverses the uncaptured part with a refund-type transaction in reporting category
 * `partial_capture_reversal` ("counting them against the initial sale amount, rather than as
 * a separate refund", docs.stripe.com/reports/reporting-categories). It is booked against the
 * account the charge credited (revenue, or the invoice receivable), so revenue nets to the
 * captured amount and the refunds account is untouched.
 */
const PARTIAL_CAPTURE_REVERSAL = 'partial_capture_reversal';

export function planRefund(refund: StripeRefund, context: PlanningContext): JournalDocument[] {
  const bt = optionalBalanceTransaction(refund.balance_transaction, refund.id, context);
  if (!bt) return [];
  const { accounts } = context.mapping;
  const creditNote = context.creditNoteForRefund(refund.id);
  const releasesAuthorisation = bt.reporting_category === PARTIAL_CAPTURE_REVERSAL;
  const paidInvoice = refund.charge !== null && context.invoiceForCharge({ id: refund.charge, payment_intent: refund.payment_intent }) !== null;
  const counter = releasesAuthorisation ? (paidInvoice ? accounts.receivable : accounts.revenue) : creditNote ? accounts.receivable : accounts.refunds;
  const what = releasesAuthorisation ? 'uncaptured' : 'refund';
  const documents = [
    journalDocument({
      key: `${refund.id}:${bt.id}`,
      postDate: businessDate(bt.created, context.mapping.timeZone),
      stripeObjectId: refund.id,
      description: releasesAuthorisation
        ? `Stripe ${refund.charge ?? refund.payment_intent ?? ''} uncaptured part released`
        : `Stripe refund ${refund.id} of ${refund.charge ?? refund.payment_intent ?? ''}`,
      lines: balanceTransactionLines({ bt, counterAccount: counter, mapping: context.mapping, label: `${refund.id} ${what}` }),
    }),
  ];
  const failure = optionalBalanceTransaction(refund.failure_balance_transaction ?? null, refund.id, context);
  if (failure) {
    documents.push(
      journalDocument({
        key: `${refund.id}:${failure.id}`,
        postDate: businessDate(failure.created, context.mapping.timeZone),
        stripeObjectId: refund.id,
        description: `Stripe refund ${refund.id} failed`,
        lines: balanceTransactionLines({ bt: failure, counterAccount: counter, mapping: context.mapping, label: `${refund.id} failed` }),
      }),
    );
  }
  return documents;
}
