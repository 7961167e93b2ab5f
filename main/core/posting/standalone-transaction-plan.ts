import type { Mapping } from '../mapping/mapping.js';
import type { JournalDocument } from '../sage/documents.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';
import { businessDate } from '../time/business-date.js';
import { balanceTransactionLines } from './balance-transaction-journal.js';
import { counterAccountNumber, ruleFor } from './balance-transaction-rules.js';
import { journalDocument } from './journal-document.js';

/**
 * A balance transaction no synced object books (a standalone Stripe fee, a top-up, a reserve
 * movement, an account adjustment, or a type without a rule) becomes a journal of its own
 * from the transaction alone: net through clearing, gross against the rule's account. A type
 * without a rule is booked to suspense and comes back with a warning for the record, so the
 * clearing account still matches Stripe's balance while a bookkeeper reclassifies it.
 */

export interface StandalonePlan {
  document: JournalDocument;
  /** Set when the transaction went to suspense: what to show on the record. */
  warning: string | null;
}

/** The standalone journal of a transaction, or null when an object or another balance books it. */
export function planStandaloneTransaction(bt: StripeBalanceTransaction, mapping: Mapping): StandalonePlan | null {
  const rule = ruleFor(bt);
  if (rule.kind === 'object' || rule.kind === 'outside') return null;
  const counter = counterAccountNumber(rule.kind === 'suspense' ? { role: 'suspense' } : rule.counter, mapping);
  const label = `${bt.id} ${bt.type}`;
  const document = journalDocument({
    key: `${bt.id}:${bt.id}`,
    postDate: businessDate(bt.created, mapping.timeZone),
    stripeObjectId: bt.id,
    description: `Stripe ${bt.type.replace(/_/g, ' ')} ${bt.id}${bt.description ? `: ${bt.description}` : ''}`,
    lines: balanceTransactionLines({ bt, counterAccount: counter, mapping, label }),
  });
  const warning =
    rule.kind === 'suspense'
      ? `booked to the suspense account ${counter}: ${rule.why}. Reclassify it in Sage and add a rule if it recurs`
      : null;
  return { document, warning };
}
