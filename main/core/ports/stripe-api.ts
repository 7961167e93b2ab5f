import type { Metadata, StripeInvoiceLine, StripeList } from '../stripe/objects.js';

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
  | 'balance_transactions';

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

export interface StripeApi {
  list<T>(path: StripeListPath, params: StripeListParams): Promise<StripeList<T>>;
  retrieve<T>(path: StripeListPath, id: string, expand?: string[]): Promise<T>;
  /** One page of an invoice's lines (`GET /v1/invoices/:id/lines`), for invoices with more lines than embedded. */
  listInvoiceLines(invoiceId: string, startingAfter: string | null): Promise<StripeList<StripeInvoiceLine>>;
  updateMetadata(path: StripeMetadataPath, id: string, metadata: Metadata, idempotencyKey: string): Promise<void>;
  account(): Promise<StripeAccountInfo>;
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
  constructor(message: string) {
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
