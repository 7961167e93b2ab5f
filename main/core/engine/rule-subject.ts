import type { Mapping } from '../mapping/mapping.js';
import type { Ledger } from '../ports/ledger.js';
import { balanceTransactionFacts, objectFacts, type RuleFacts } from '../rules/rule-facts.js';
import type { StripeBalanceTransaction } from '../stripe/objects.js';
import { ledgerPlanningContext } from './ledger-planning-context.js';

/**
 * The facts the rules see for one stored Stripe object (with the balance transaction it books
 * first), or for a balance transaction booked on its own; null when the ledger has neither.
 */
export function storedRuleFacts(ledger: Ledger, mapping: Mapping, id: string): RuleFacts | null {
  const stored = ledger.objects.getObject(id);
  if (stored) {
    const object = stored.object;
    const context = ledgerPlanningContext(ledger, mapping);
    const field = object.object === 'charge' || object.object === 'refund' ? object.balance_transaction : null;
    const bt: StripeBalanceTransaction | null =
      object.object === 'dispute' ? (object.balance_transactions[0] ?? null) : typeof field === 'string' ? context.balanceTransaction(field) : (field ?? null);
    return objectFacts(object, context, bt);
  }
  const bt = ledger.objects.getBalanceTransaction(id);
  return bt ? balanceTransactionFacts(bt) : null;
}
