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
  /** Objects (by id) served corrupted in lists and retrievals. */
  corruptObjects?: Record<string, ObjectCorruption>;
  /** Objects (by id) served naming another object's balance transaction (object id → transaction id). */
  duplicateClaimants?: Record<string, string>;
  malformedBodies?: MalformedBodySchedule;
  /** Lists on these paths ignore `starting_after` and always say `has_more: true`. */
  stuckCursorPaths?: string[];
  trickle?: TrickleSchedule;
  /** Metadata updates of these objects answer 404 (deleted in Stripe since we read them). */
  deletedForWrites?: string[];
  /** Metadata updates answer 409 `lock_timeout` (another request holds the object). */
  lockTimeouts?: RequestFaultSchedule;
}

export type RequestFault = 'rate_limit' | 'server_error' | 'drop_connection';

/**
 * Hostile answers (issue #18): a Stripe-compatible server that misbehaves in ways the real one
 * should not, but a proxy, an outage or a bug might.
 * - `no-id`: the object comes without its `id`; `empty`: it comes as `{}`; `amount-text`: its
 *   `amount` is text. Applied to the named objects wherever they are listed or retrieved.
 */
export type ObjectCorruption = 'no-id' | 'empty' | 'amount-text';

/** A whole answer replaced: `{}`, a list whose `data` is null, or JSON cut off mid-way. */
export type MalformedBody = 'empty-object' | 'data-null' | 'truncated';

export interface MalformedBodySchedule extends RequestFaultSchedule {
  body: MalformedBody;
}

export interface TrickleSchedule extends RequestFaultSchedule {
  /** One byte of the answer is sent every this many milliseconds. */
  byteEveryMs: number;
}

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
  private corrupted = new Map<string, ObjectCorruption>();
  private claims = new Map<string, string>();
  private malformed: { counter: RequestFaultCounter; body: MalformedBody } | null = null;
  private stuckCursors: string[] = [];
  private trickling: { counter: RequestFaultCounter; byteEveryMs: number } | null = null;
  private deletedForWriting = new Set<string>();
  private lockTimeout: RequestFaultCounter | null = null;
  /** How many requests each fault has answered, for tests to assert on. */
  readonly injected: Record<RequestFault | 'malformed_body' | 'stuck_cursor' | 'trickle' | 'corrupt_object' | 'duplicate_claimant' | 'deleted_for_write' | 'lock_timeout', number> = {
    rate_limit: 0,
    server_error: 0,
    drop_connection: 0,
    malformed_body: 0,
    stuck_cursor: 0,
    trickle: 0,
    corrupt_object: 0,
    duplicate_claimant: 0,
    deleted_for_write: 0,
    lock_timeout: 0,
  };

  constructor(options: FaultOptions = {}) {
    if (options.rateLimit) this.rateLimit(options.rateLimit);
    if (options.serverError) this.serverError(options.serverError);
    if (options.dropConnection) this.dropConnections(options.dropConnection);
    if (options.slowResponseMs) this.slowResponses(options.slowResponseMs);
    if (options.lateVisibleEvents) this.lateVisibleEvents(options.lateVisibleEvents);
    if (options.sameSecondEvents) this.sameSecondEvents(options.sameSecondEvents);
    if (options.outOfOrderUpdates) this.outOfOrderUpdates(options.outOfOrderUpdates);
    if (options.lateChargeBalanceTransactions) this.lateChargeBalanceTransactions(options.lateChargeBalanceTransactions);
    for (const [id, corruption] of Object.entries(options.corruptObjects ?? {})) this.corruptObject(id, corruption);
    for (const [id, balanceTransactionId] of Object.entries(options.duplicateClaimants ?? {})) this.duplicateClaimant(id, balanceTransactionId);
    if (options.malformedBodies) this.malformedBodies(options.malformedBodies);
    if (options.stuckCursorPaths) this.stuckCursor(options.stuckCursorPaths);
    if (options.trickle) this.trickle(options.trickle);
    if (options.deletedForWrites) this.deleteForWrites(options.deletedForWrites);
    if (options.lockTimeouts) this.lockTimeouts(options.lockTimeouts);
  }

  deleteForWrites(ids: string[]): void {
    for (const id of ids) this.deletedForWriting.add(id);
  }

  lockTimeouts(schedule: RequestFaultSchedule): void {
    this.lockTimeout = new RequestFaultCounter(schedule);
  }

  /** How a metadata update of `id` at `path` fails, if it does. */
  writeFault(path: string, id: string): 'deleted' | 'lock_timeout' | null {
    if (this.deletedForWriting.has(id)) {
      this.injected.deleted_for_write += 1;
      return 'deleted';
    }
    if (this.lockTimeout?.hits(path)) {
      this.injected.lock_timeout += 1;
      return 'lock_timeout';
    }
    return null;
  }

  corruptObject(id: string, corruption: ObjectCorruption): void {
    this.corrupted.set(id, corruption);
  }

  /**
   * Two objects claiming one balance transaction: `id` is served naming `balanceTransactionId`
   * (another object's) instead of its own, wherever it is listed or retrieved. Stripe's
   * transaction still names its real source.
   */
  duplicateClaimant(id: string, balanceTransactionId: string): void {
    this.claims.set(id, balanceTransactionId);
  }

  malformedBodies(schedule: MalformedBodySchedule): void {
    this.malformed = { counter: new RequestFaultCounter(schedule), body: schedule.body };
  }

  stuckCursor(pathPrefixes: string[]): void {
    this.stuckCursors = pathPrefixes;
  }

  trickle(schedule: TrickleSchedule): void {
    this.trickling = { counter: new RequestFaultCounter(schedule), byteEveryMs: schedule.byteEveryMs };
  }

  /** Whether lists on this path ignore their cursor (and never end). */
  cursorStuck(path: string): boolean {
    const stuck = this.stuckCursors.some((prefix) => path.startsWith(prefix));
    if (stuck) this.injected.stuck_cursor += 1;
    return stuck;
  }

  /** The answer that replaces this request's body, if any. */
  malformedBody(path: string): string | null {
    if (!this.malformed?.counter.hits(path)) return null;
    this.injected.malformed_body += 1;
    switch (this.malformed.body) {
      case 'empty-object':
        return '{}';
      case 'data-null':
        return '{"object":"list","data":null,"has_more":false,"url":"/v1/x"}';
      case 'truncated':
        return '{"object":"list","data":[{"id":"ch_';
    }
  }

  /** Milliseconds between the bytes of this request's answer; 0 sends it at once. */
  trickleMs(path: string): number {
    if (!this.trickling?.counter.hits(path)) return 0;
    this.injected.trickle += 1;
    return this.trickling.byteEveryMs;
  }

  get corruptsObjects(): boolean {
    return this.corrupted.size > 0 || this.claims.size > 0;
  }

  /** The object as served: corrupted when it was named, as it is otherwise. */
  serve(object: Record<string, unknown>): Record<string, unknown> {
    const claimed = typeof object['id'] === 'string' ? this.claims.get(object['id']) : undefined;
    if (claimed !== undefined && 'balance_transaction' in object) {
      this.injected.duplicate_claimant += 1;
      return { ...object, balance_transaction: claimed };
    }
    const corruption = typeof object['id'] === 'string' ? this.corrupted.get(object['id']) : undefined;
    if (!corruption) return object;
    this.injected.corrupt_object += 1;
    if (corruption === 'empty') return {};
    if (corruption === 'amount-text') return { ...object, amount: String(object['amount']) };
    const withoutId = { ...object };
    delete withoutId['id'];
    return withoutId;
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
    this.corrupted.clear();
    this.claims.clear();
    this.malformed = null;
    this.stuckCursors = [];
    this.trickling = null;
    this.deletedForWriting.clear();
    this.lockTimeout = null;
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
