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
 */
export function planRefund(refund: StripeRefund, context: PlanningContext): JournalDocument[] {
  const bt = optionalBalanceTransaction(refund.balance_transaction, refund.id, context);
  if (!bt) return [];
  const creditNote = context.creditNoteForRefund(refund.id);
  const counter = creditNote ? context.mapping.accounts.receivable : context.mapping.accounts.refunds;
  const documents = [
    journalDocument({
      key: `${refund.id}:${bt.id}`,
      postDate: businessDate(bt.created, context.mapping.timeZone),
      stripeObjectId: refund.id,
      description: `Stripe refund ${refund.id} of ${refund.charge ?? refund.payment_intent ?? ''}`,
      lines: balanceTransactionLines({ bt, counterAccount: counter, mapping: context.mapping, label: `${refund.id} refund` }),
    }),
  ];
  const failure = optionalBalanceTransaction(refund.failure_balance_transaction, refund.id, context);
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
