import type { Clock } from '../ports/clock.js';
import {
  StripeListingError,
  StripeRateLimitError,
  StripeTransientError,
  type RejectedStripeObject,
  type StripeApi,
  type StripeListParams,
  type StripeListPath,
  type StripeMetadataPath,
  type StripePage,
} from '../ports/stripe-api.js';
import type { Metadata, StripeBalance, StripeInvoiceLine, StripeList } from '../stripe/objects.js';
import { backoffDelay, STRIPE_BACKOFF, type BackoffPolicy } from './backoff.js';

/**
 * Every Stripe request the engine makes goes through here: it throttles each endpoint
 * (Stripe allows about 25 requests/s per endpoint), backs off with jitter on 429 (the SDK does not retry a
 * plain 429) and on network errors, timeouts and 5xx, and counts requests so a run can
 * report its cost. Other errors (auth, bad request) surface at once. Objects the adapter
 * rejected as invalid are handed to `onRejected` (the engine parks them) while the page goes on.
 */
export class StripeReader {
  private requests = 0;
  /** Stripe's limit is per endpoint, so each endpoint keeps its own pace. */
  private readonly nextAllowedAt = new Map<string, number>();
  /** When each of an endpoint's requests of the last second was sent. */
  private readonly sentAt = new Map<string, number[]>();

  constructor(
    private readonly api: StripeApi,
    private readonly clock: Clock,
    private readonly options: {
      requestsPerSecond: number | null;
      policy?: BackoffPolicy;
      random?: () => number;
      onRetry?: (reason: string, delayMs: number) => void;
      onRejected?: (rejected: readonly RejectedStripeObject[]) => void;
    },
  ) {}

  get requestCount(): number {
    return this.requests;
  }

  async list<T>(path: StripeListPath, params: StripeListParams): Promise<StripePage<T>> {
    const page = await this.call(path, () => this.api.list<T>(path, params));
    if (page.rejected.length > 0) this.options.onRejected?.(page.rejected);
    return page;
  }

  retrieve<T>(path: StripeListPath, id: string, expand?: string[]): Promise<T> {
    return this.call(`${path}/:id`, () => this.api.retrieve<T>(path, id, expand));
  }

  listInvoiceLines(invoiceId: string, startingAfter: string | null): Promise<StripeList<StripeInvoiceLine>> {
    return this.call('invoices/:id/lines', () => this.api.listInvoiceLines(invoiceId, startingAfter));
  }

  updateMetadata(path: StripeMetadataPath, id: string, metadata: Metadata, idempotencyKey: string): Promise<void> {
    return this.call(`POST ${path}/:id`, () => this.api.updateMetadata(path, id, metadata, idempotencyKey));
  }

  balance(): Promise<StripeBalance> {
    return this.call('balance', () => this.api.balance());
  }

  /**
   * Lists every page of `path` newest first, handing each page over as it arrives. A list
   * whose cursor does not advance (the same last object again, or one seen before) would page
   * forever: it stops with a StripeListingError instead.
   */
  async listEach<T extends { id: string }>(
    path: StripeListPath,
    params: StripeListParams,
    onPage: (page: T[], hasMore: boolean) => void | Promise<void>,
  ): Promise<void> {
    let startingAfter = params.starting_after;
    const cursors = new Set<string>(startingAfter ? [startingAfter] : []);
    for (;;) {
      const page = await this.list<T>(path, { ...params, limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) });
      if (page.data.length > 0) await onPage(page.data, page.has_more);
      if (!page.has_more || page.lastId === null) {
        if (page.has_more && page.data.length + page.rejected.length > 0) {
          throw new StripeListingError(`Stripe's list of ${path} cannot be paged: its page ends with an object without id, so there is no cursor for the next page`);
        }
        return;
      }
      if (cursors.has(page.lastId)) {
        throw new StripeListingError(
          `Stripe's list of ${path} does not advance: the page after ${startingAfter ?? 'the start'} ends again with ${page.lastId}, which was already listed; stopped listing ${path} (check the Stripe API base in the settings, or retry later)`,
        );
      }
      cursors.add(page.lastId);
      startingAfter = page.lastId;
    }
  }

  private async call<T>(endpoint: string, request: () => Promise<T>): Promise<T> {
    const policy = this.options.policy ?? STRIPE_BACKOFF;
    for (let attempt = 1; ; attempt++) {
      await this.throttle(endpoint);
      this.requests++;
      try {
        return await request();
      } catch (error) {
        const retryable = error instanceof StripeRateLimitError || error instanceof StripeTransientError;
        if (!retryable) throw error;
        if (attempt >= policy.maxAttempts) throw gaveUp(endpoint, attempt, error);
        const delay = backoffDelay(policy, attempt, this.options.random);
        this.options.onRetry?.(error.message, delay);
        await this.clock.sleep(delay);
      }
    }
  }

  /**
   * Spaces an endpoint's requests 1/rate apart, and then sends one only while fewer than `rate`
   * went in the last second (fewer than one a second: one per 1/rate seconds), counted when each
   * is sent. The spacing alone is a schedule made in advance: after the event loop was held up
   * (a long planning page on a busy machine) the requests it owed all went at once, more than
   * Stripe admits in a second, and came back as 429s with a backoff.
   */
  private async throttle(endpoint: string): Promise<void> {
    const rate = this.options.requestsPerSecond;
    if (rate === null) return;
    const now = this.clock.now();
    const allowedAt = this.nextAllowedAt.get(endpoint) ?? 0;
    this.nextAllowedAt.set(endpoint, Math.max(now, allowedAt) + 1000 / rate);
    if (allowedAt > now) await this.clock.sleep(allowedAt - now);
    const capacity = Math.max(1, Math.floor(rate));
    const windowMs = (capacity * 1000) / rate;
    const sent = this.sentAt.get(endpoint) ?? [];
    this.sentAt.set(endpoint, sent);
    // After a sleep the time slept counts as passed even if the clock says less (a test's frozen clock).
    for (let at = this.clock.now(); ; ) {
      while (sent.length > 0 && sent[0]! <= at - windowMs) sent.shift();
      if (sent.length < capacity) {
        sent.push(at);
        return;
      }
      const wakeAt = sent[0]! + windowMs;
      await this.clock.sleep(wakeAt - at);
      at = Math.max(this.clock.now(), wakeAt);
    }
  }
}

/**
 * The error a request that kept failing ends the run with: same class (callers tell "Stripe
 * unreachable" from the rest by it), with the request named, so the run's message says which
 * listing failed, not only "HTTP 500".
 */
function gaveUp(endpoint: string, attempts: number, error: StripeRateLimitError | StripeTransientError): Error {
  const what = /^[a-z_]+$/.test(endpoint) ? `Stripe's list of ${endpoint}` : `Stripe's ${endpoint}`;
  const message = `${what} kept failing (${attempts} attempts; last: ${error.message}); the next run tries again`;
  return error instanceof StripeRateLimitError ? new StripeRateLimitError(message) : new StripeTransientError(message);
}
