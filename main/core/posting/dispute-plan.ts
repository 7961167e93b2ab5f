import type { JournalDocument } from '../sage/documents.js';
import type { StripeDispute } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { balanceTransactionLines } from './balance-transaction-journal.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';

/**
 * A dispute moves money through its own balance transactions: the withdrawal (amount and
 * dispute fee) and, when won, the reinstatement. Each becomes one journal; the gross goes to
 * the chargebacks account and the fee to the dispute-fee account, whatever its fee type.
 */
export function planDispute(dispute: StripeDispute, context: PlanningContext): JournalDocument[] {
  const { accounts } = context.mapping;
  return dispute.balance_transactions.map((bt) =>
    journalDocument({
      key: `${dispute.id}:${bt.id}`,
      postDate: businessDate(bt.created, context.mapping.timeZone),
      stripeObjectId: dispute.id,
      description: `Stripe dispute ${dispute.id} ${bt.reporting_category === 'dispute_reversal' ? 'reinstated' : 'withdrawn'}`,
      lines: balanceTransactionLines({
        bt,
        counterAccount: accounts.disputes,
        feeAccount: () => accounts.disputeFees,
        mapping: context.mapping,
        label: `${dispute.id} ${bt.reporting_category}`,
      }),
    }),
  );
}
