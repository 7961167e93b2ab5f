import type { JournalDocument } from '../sage/documents.js';
import type { StripePayout } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { balanceTransactionLines } from './balance-transaction-journal.js';
import { optionalBalanceTransaction } from './expand.js';
import { journalDocument } from './journal-document.js';
import type { PlanningContext } from './planning-context.js';

/**
 * The payout journal moves the payout from the clearing account to the bank, dated on the
 * day the money arrives. It is only planned once the tie-out proof has passed (the engine
 * checks reconciliation/tie-out.ts first). A failed or canceled payout's failure balance
 * transaction returns the money from the bank to clearing in a journal of its own.
 */
export function planPayout(payout: StripePayout, context: PlanningContext): JournalDocument[] {
  const bt = optionalBalanceTransaction(payout.balance_transaction, payout.id, context);
  if (!bt) return [];
  const bank = context.mapping.accounts.bank;
  const documents = [
    journalDocument({
      key: `${payout.id}:${bt.id}`,
      postDate: businessDate(payout.arrival_date, context.mapping.timeZone),
      stripeObjectId: payout.id,
      description: `Stripe payout ${payout.id}`,
      lines: balanceTransactionLines({ bt, counterAccount: bank, mapping: context.mapping, label: `${payout.id} payout` }),
    }),
  ];
  const failure = optionalBalanceTransaction(payout.failure_balance_transaction, payout.id, context);
  if (failure) {
    documents.push(
      journalDocument({
        key: `${payout.id}:${failure.id}`,
        postDate: businessDate(failure.created, context.mapping.timeZone),
        stripeObjectId: payout.id,
        description: `Stripe payout ${payout.id} ${payout.status}`,
        lines: balanceTransactionLines({ bt: failure, counterAccount: bank, mapping: context.mapping, label: `${payout.id} ${payout.status}` }),
      }),
    );
  }
  return documents;
}
