import type Stripe from 'stripe';
import type { FeeDetail, StripeBalanceTransaction, StripePayout } from '../../core/stripe/objects.js';
import { SECONDS_PER_DAY, utcDayStart } from './clock.js';
import type { ActionQueue } from './action-queue.js';
import type { EventRecorder } from './event-recorder.js';
import type { SeededRandom } from './seeded-random.js';
import { SETTLEMENT_CURRENCY } from './settlement.js';
import type { SimulatorStore } from './store.js';
import { balanceTransactionObject, payoutObject } from './stripe-object-shapes.js';

/**
 * The account's USD balance: every balance transaction, when it becomes available, and the
 * payouts that sweep it. An automatic payout takes every available transaction not yet paid
 * out, so the net of its transactions equals its amount; manual and instant payouts take a
 * round amount whose own (negative) transaction is then swept by the next automatic payout,
 * as on Stripe. With `negativePayouts`, a negative available balance on a payout day becomes
 * a negative payout (amount < 0: Stripe debits the bank) instead of waiting.
 */

export interface BalanceEntry {
  /** Given by generators that draw ids from a random stream of their own. */
  id?: string;
  amount: number;
  fee?: FeeDetail[];
  exchangeRate?: number | null;
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  /** The object that caused it; null for a standalone Stripe fee or adjustment. */
  source: string | null;
  created: number;
  /** Defaults to two days later at UTC midnight, Stripe's usual card settlement. */
  availableOn?: number;
  description: string | null;
  /** False for an automatic payout's own transaction, which no later payout sweeps. */
  sweepable?: boolean;
}

export type PayoutOutcome = 'paid' | 'failed';

export class BalanceLedger {
  /** Transactions not yet swept by an automatic payout, oldest first. */
  private unpaid: StripeBalanceTransaction[] = [];
  /** UTC days on which the available balance was not positive, so no payout was made. */
  readonly negativeBalanceDays: number[] = [];

  constructor(
    private readonly store: SimulatorStore,
    private readonly events: EventRecorder,
    private readonly random: SeededRandom,
    private readonly queue: ActionQueue,
    private readonly options: { negativePayouts: boolean },
  ) {}

  record(entry: BalanceEntry): StripeBalanceTransaction {
    const transaction: StripeBalanceTransaction = balanceTransactionObject({
      id: entry.id ?? this.random.id('txn_'),
      amount: entry.amount,
      currency: SETTLEMENT_CURRENCY,
      fee_details: entry.fee ?? [],
      exchange_rate: entry.exchangeRate ?? null,
      type: entry.type,
      reporting_category: entry.reportingCategory,
      source: entry.source,
      created: entry.created,
      available_on: entry.availableOn ?? utcDayStart(entry.created) + 2 * SECONDS_PER_DAY,
      description: entry.description,
    });
    this.store.add('balance_transaction', transaction);
    if (entry.sweepable !== false) this.unpaid.push(transaction);
    return transaction;
  }

  /** Sum of net of the unpaid transactions available at `at`. */
  availableBalance(at: number): number {
    let sum = 0;
    for (const transaction of this.unpaid) if (transaction.available_on <= at) sum += transaction.net;
    return sum;
  }

  runAutomaticPayout(at: number, outcome: PayoutOutcome): StripePayout | null {
    const swept = this.unpaid.filter((transaction) => transaction.available_on <= at);
    if (swept.length === 0) return null;
    const amount = swept.reduce((sum, transaction) => sum + transaction.net, 0);
    // Stripe debits the bank for a negative balance when the account allows it; otherwise it waits.
    if (amount === 0 || (amount < 0 && !this.options.negativePayouts)) {
      this.negativeBalanceDays.push(utcDayStart(at));
      return null;
    }
    this.unpaid = this.unpaid.filter((transaction) => transaction.available_on > at);
    for (const transaction of swept) transaction.status = 'available';
    const payout = this.createPayout(at, amount, { automatic: true, method: 'standard' });
    for (const transaction of swept) this.store.assignToPayout(transaction, payout.id);
    this.store.assignToPayout(this.store.require('balance_transaction', payout.balance_transaction as string), payout.id);
    this.queue.schedule(payout.arrival_date, () => this.settlePayout(payout, outcome, payout.arrival_date));
    return payout;
  }

  /** A payout requested by hand (or instantly to a debit card) for part of the available balance. */
  runRequestedPayout(at: number, method: 'standard' | 'instant'): StripePayout | null {
    const amount = Math.floor((this.availableBalance(at) * 3) / 10 / 100) * 100;
    if (amount < 1000) return null;
    const payout = this.createPayout(at, amount, { automatic: false, method });
    const arrival = method === 'instant' ? at + 1800 : payout.arrival_date;
    this.queue.schedule(arrival, () => this.settlePayout(payout, 'paid', arrival));
    return payout;
  }

  private createPayout(
    at: number,
    amount: number,
    kind: { automatic: boolean; method: 'standard' | 'instant' },
  ): StripePayout {
    const id = this.random.id('po_');
    const ownTransaction = this.record({
      amount: -amount,
      type: 'payout',
      reportingCategory: 'payout',
      source: id,
      created: at,
      availableOn: at,
      description: kind.automatic ? 'STRIPE PAYOUT' : 'Manual payout',
      sweepable: !kind.automatic,
    });
    const payout: StripePayout = payoutObject({
      id,
      amount,
      currency: SETTLEMENT_CURRENCY,
      arrival_date: kind.method === 'instant' ? at : utcDayStart(at) + 2 * SECONDS_PER_DAY,
      automatic: kind.automatic,
      method: kind.method,
      balance_transaction: ownTransaction.id,
      description: kind.automatic ? 'STRIPE PAYOUT' : null,
      created: at,
    });
    this.store.add('payout', payout);
    this.events.emit('payout.created', payout, at);
    return payout;
  }

  private settlePayout(payout: StripePayout, outcome: PayoutOutcome, at: number): void {
    if (outcome === 'failed') {
      const reversal = this.record({
        amount: payout.amount,
        type: 'payout_failure',
        reportingCategory: 'payout_reversal',
        source: payout.id,
        created: at,
        availableOn: at,
        description: 'Payout failure: account closed',
      });
      payout.status = 'failed';
      payout.failure_balance_transaction = reversal.id;
      payout.failure_code = 'account_closed';
      payout.failure_message = 'The bank account has been closed.';
      this.events.emit('payout.failed', payout, at);
    } else {
      payout.status = 'paid';
      this.events.emit('payout.paid', payout, at);
    }
    if (payout.automatic) {
      this.queue.schedule(at + 3600, () => {
        payout.reconciliation_status = 'completed';
        this.events.emit('payout.reconciliation_completed', payout, at + 3600);
      });
    }
  }
}
