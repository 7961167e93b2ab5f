/**
 * Fault injection, deterministic by request count and event count (never by chance), so a
 * test can say exactly which request or event misbehaves.
 */

/**
 * `count` consecutive matching requests fail. Without `every` that happens once, to the
 * next `count` requests; with `every`, each block of `every` requests ends with `count`
 * failures (so `every - count` succeed first).
 */
export interface RequestFaultSchedule {
  count: number;
  every?: number;
  /** Only requests whose path starts with one of these (e.g. '/v1/events') count. */
  pathPrefixes?: string[];
}

export interface EventFaultSchedule {
  /** Every Nth event (or customer, for out-of-order updates) is affected. */
  every: number;
}

export interface FaultOptions {
  rateLimit?: RequestFaultSchedule;
  serverError?: RequestFaultSchedule;
  dropConnection?: RequestFaultSchedule;
  /** Delay before every response. */
  slowResponseMs?: number;
  /** Every Nth event only becomes listable `delaySeconds` of simulated time after its `created`. */
  lateVisibleEvents?: EventFaultSchedule & { delaySeconds: number };
  /** Every Nth charge starts a burst of `size` charges (and their events) in one second. */
  sameSecondEvents?: EventFaultSchedule & { size: number };
  /** Every Nth new customer also gets a `customer.updated` dated one second before its `customer.created`. */
  outOfOrderUpdates?: EventFaultSchedule;
  /**
   * Every Nth charge shows `balance_transaction: null` for `delaySeconds` (its fees are not
   * known yet, as Stripe sometimes sends `charge.succeeded` before settlement); its
   * transaction still counts in the balance and payouts, and a `charge.updated` brings it.
   */
  lateChargeBalanceTransactions?: EventFaultSchedule & { delaySeconds: number };
}

export type RequestFault = 'rate_limit' | 'server_error' | 'drop_connection';

class RequestFaultCounter {
  private matched = 0;

  constructor(readonly schedule: RequestFaultSchedule) {}

  /** Counts the request if it matches and says whether it must fail. */
  hits(path: string): boolean {
    const prefixes = this.schedule.pathPrefixes;
    if (prefixes && !prefixes.some((prefix) => path.startsWith(prefix))) return false;
    this.matched += 1;
    const { count, every } = this.schedule;
    if (every === undefined) return this.matched <= count;
    return (this.matched - 1) % every >= every - count;
  }
}

export class FaultController {
  private requestFaults = new Map<RequestFault, RequestFaultCounter>();
  private slowMs = 0;
  private lateVisible: FaultOptions['lateVisibleEvents'];
  private sameSecond: FaultOptions['sameSecondEvents'];
  private outOfOrder: FaultOptions['outOfOrderUpdates'];
  private lateChargeTransactions: FaultOptions['lateChargeBalanceTransactions'];
  private chargesSettled = 0;
  private eventsSeen = 0;
  private chargesSeen = 0;
  private customersSeen = 0;
  /** How many requests each fault has answered, for tests to assert on. */
  readonly injected: Record<RequestFault, number> = { rate_limit: 0, server_error: 0, drop_connection: 0 };

  constructor(options: FaultOptions = {}) {
    if (options.rateLimit) this.rateLimit(options.rateLimit);
    if (options.serverError) this.serverError(options.serverError);
    if (options.dropConnection) this.dropConnections(options.dropConnection);
    if (options.slowResponseMs) this.slowResponses(options.slowResponseMs);
    if (options.lateVisibleEvents) this.lateVisibleEvents(options.lateVisibleEvents);
    if (options.sameSecondEvents) this.sameSecondEvents(options.sameSecondEvents);
    if (options.outOfOrderUpdates) this.outOfOrderUpdates(options.outOfOrderUpdates);
    if (options.lateChargeBalanceTransactions) this.lateChargeBalanceTransactions(options.lateChargeBalanceTransactions);
  }

  lateChargeBalanceTransactions(schedule: EventFaultSchedule & { delaySeconds: number }): void {
    this.lateChargeTransactions = schedule;
    this.chargesSettled = 0;
  }

  /** Seconds the next charge's balance transaction stays hidden from the charge (0 = shown at once). */
  nextChargeBalanceTransactionDelay(): number {
    if (!this.lateChargeTransactions) return 0;
    this.chargesSettled += 1;
    return this.chargesSettled % this.lateChargeTransactions.every === 0 ? this.lateChargeTransactions.delaySeconds : 0;
  }

  rateLimit(schedule: RequestFaultSchedule): void {
    this.requestFaults.set('rate_limit', new RequestFaultCounter(schedule));
  }

  serverError(schedule: RequestFaultSchedule): void {
    this.requestFaults.set('server_error', new RequestFaultCounter(schedule));
  }

  dropConnections(schedule: RequestFaultSchedule): void {
    this.requestFaults.set('drop_connection', new RequestFaultCounter(schedule));
  }

  slowResponses(delayMs: number): void {
    this.slowMs = delayMs;
  }

  lateVisibleEvents(schedule: EventFaultSchedule & { delaySeconds: number }): void {
    this.lateVisible = schedule;
    this.eventsSeen = 0;
  }

  sameSecondEvents(schedule: EventFaultSchedule & { size: number }): void {
    this.sameSecond = schedule;
    this.chargesSeen = 0;
  }

  outOfOrderUpdates(schedule: EventFaultSchedule): void {
    this.outOfOrder = schedule;
    this.customersSeen = 0;
  }

  /** Removes every fault; the simulator then behaves like a healthy Stripe. */
  clear(): void {
    this.requestFaults.clear();
    this.slowMs = 0;
    this.lateVisible = undefined;
    this.sameSecond = undefined;
    this.outOfOrder = undefined;
    this.lateChargeTransactions = undefined;
  }

  get responseDelayMs(): number {
    return this.slowMs;
  }

  /** The fault to apply to this request, if any. Drops win over 5xx, 5xx over 429. */
  requestFault(path: string): RequestFault | null {
    let chosen: RequestFault | null = null;
    for (const fault of ['drop_connection', 'server_error', 'rate_limit'] as const) {
      const counter = this.requestFaults.get(fault);
      if (counter?.hits(path) && chosen === null) chosen = fault;
    }
    if (chosen) this.injected[chosen] += 1;
    return chosen;
  }

  /** Seconds by which the next generated event's visibility lags its `created`. */
  nextEventVisibilityDelay(): number {
    if (!this.lateVisible) return 0;
    this.eventsSeen += 1;
    return this.eventsSeen % this.lateVisible.every === 0 ? this.lateVisible.delaySeconds : 0;
  }

  /** Size of the same-second burst the next charge starts (1 = no burst). */
  nextChargeBurstSize(): number {
    if (!this.sameSecond) return 1;
    this.chargesSeen += 1;
    return this.chargesSeen % this.sameSecond.every === 0 ? this.sameSecond.size : 1;
  }

  nextCustomerGetsEarlierUpdate(): boolean {
    if (!this.outOfOrder) return false;
    this.customersSeen += 1;
    return this.customersSeen % this.outOfOrder.every === 0;
  }
}
