import type { Metadata, StripeBalance, StripeInvoiceLine, StripeList } from '../stripe/objects.js';

/**
 * The engine's only way to reach Stripe. Implemented over HTTP by adapters/stripe; the
 * engine decides what to read, in which order and how to retry, the adapter only speaks HTTP.
 */

/** List endpoints the engine uses, by their path under /v1. */
export type StripeListPath =
  | 'events'
  | 'customers'
  | 'charges'
  | 'refunds'
  | 'disputes'
  | 'invoices'
  | 'invoice_payments'
  | 'credit_notes'
  | 'payouts'
  | 'balance_transactions'
  /** Read for the business rules only: product metadata (core/engine/product-catalogue.ts). */
  | 'products';

/** Endpoints whose objects carry metadata we write back (Sage ids). */
export type StripeMetadataPath = 'customers' | 'charges' | 'invoices' | 'payouts' | 'refunds';

export interface CreatedRange {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface StripeListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
  created?: CreatedRange;
  expand?: string[];
  /** balance_transactions only: the automatic payout whose transactions to list. */
  payout?: string;
  /** invoices / subscriptions only. */
  status?: string;
  /** invoice_payments only. */
  invoice?: string;
}

export interface StripeAccountInfo {
  id: string;
  displayName: string | null;
  livemode: boolean;
}

/** An object of a list page that failed validation at the adapter: left out of `data`, parked by the engine. */
export interface RejectedStripeObject {
  /** The object's id, or a stable name for an object without one (derived from its content). */
  key: string;
  path: StripeListPath;
  /** What is wrong, e.g. `amount: expected an integer`. */
  reason: string;
}

/** One list page as the adapter validated it. */
export interface StripePage<T> extends StripeList<T> {
  rejected: RejectedStripeObject[];
  /** Id of the page's last object, valid or not (the cursor for the next page); null when it has none. */
  lastId: string | null;
}

export interface StripeApi {
  list<T>(path: StripeListPath, params: StripeListParams): Promise<StripePage<T>>;
  /** Throws StripeInvalidObjectError when Stripe's answer is not a valid object of that kind. */
  retrieve<T>(path: StripeListPath, id: string, expand?: string[]): Promise<T>;
  /** One page of an invoice's lines (`GET /v1/invoices/:id/lines`), for invoices with more lines than embedded. */
  listInvoiceLines(invoiceId: string, startingAfter: string | null): Promise<StripeList<StripeInvoiceLine>>;
  updateMetadata(path: StripeMetadataPath, id: string, metadata: Metadata, idempotencyKey: string): Promise<void>;
  account(): Promise<StripeAccountInfo>;
  /** `GET /v1/balance`: available and pending per currency, for the balance proof. */
  balance(): Promise<StripeBalance>;
}

/** Stripe said "too many requests"; the engine waits and tries again. */
export class StripeRateLimitError extends Error {
  constructor(message = 'Stripe rate limit reached (HTTP 429)') {
    super(message);
    this.name = 'StripeRateLimitError';
  }
}

/** Network failure, timeout or a 5xx: safe to retry. */
export class StripeTransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripeTransientError';
  }
}

/** Authentication or permission problem: retrying cannot help until the key is fixed. */
export class StripeAuthError extends Error {
  /** 401: Stripe does not know the key; 403: a restricted key without the permission this endpoint needs. */
  constructor(
    message: string,
    readonly status: 401 | 403 = 401,
  ) {
    super(message);
    this.name = 'StripeAuthError';
  }
}

/** Stripe rejected the request itself (bad parameter, unknown object). */
export class StripeRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'StripeRequestError';
  }
}

/** Stripe answered with an object the engine cannot read (no id, wrong types); that record is parked. */
export class StripeInvalidObjectError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`Stripe sent ${key} in a shape Stripe Sync cannot read (${reason})`);
    this.name = 'StripeInvalidObjectError';
  }
}

/** A list Stripe cannot page through (a cursor that does not advance); that listing stops. */
export class StripeListingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripeListingError';
  }
}

/** The object is gone (HTTP 404, resource_missing): deleted in Stripe, or never visible to this key. */
export function isStripeNotFound(error: unknown): boolean {
  return error instanceof StripeRequestError && error.status === 404;
}
