import type { StripeBalanceTransaction } from '../../core/stripe/objects.js';
import type { BalanceLedger } from './balance-ledger.js';
import { DISPUTE_FEE, SETTLEMENT_CURRENCY } from './settlement.js';

/**
 * The balance transaction a dispute opens with: the disputed amount (in settlement currency)
 * withdrawn at once with the dispute fee, type `adjustment`, reporting category `dispute`,
 * available the same moment (https://docs.stripe.com/disputes/how-disputes-work).
 */
export function recordDisputeWithdrawal(ledger: BalanceLedger, disputeId: string, chargeId: string, settledAmount: number, at: number): StripeBalanceTransaction {
  return ledger.record({
    amount: -settledAmount,
    fee: [{ amount: DISPUTE_FEE, currency: SETTLEMENT_CURRENCY, type: 'stripe_fee', description: 'Dispute fee' }],
    type: 'adjustment',
    reportingCategory: 'dispute',
    source: disputeId,
    created: at,
    availableOn: at,
    description: `Chargeback withdrawal for ${chargeId}`,
  });
}
