import Stripe from 'stripe';
import {
  type StripeAccountInfo,
  type StripeApi,
  StripeInvalidObjectError,
  type StripeListParams,
  type StripeListPath,
  type StripeMetadataPath,
  type StripePage,
  StripeTransientError,
} from '../../core/ports/stripe-api.js';
import { type Metadata, PINNED_STRIPE_API_VERSION, type StripeBalance, type StripeInvoiceLine, type StripeList } from '../../core/stripe/objects.js';
import { DeadlineHttpClient } from './deadline-http-client.js';
import { toPortError } from './stripe-error-mapping.js';
import { validateInvoiceLines, validateListPage, validateObject } from './response-validation.js';

/**
 * The StripeApi port over HTTP with the official SDK. One port call is one HTTP request:
 * the SDK's own retries are off (the engine backs off and counts requests itself) and lists return
 * one raw page, never auto-paginated. Every answer is validated here (response-validation.ts)
 * before the engine sees it.
 *
 * Requests go through DeadlineHttpClient: its timeout is a deadline for the whole request, body
 * included (the SDK's default Node client's is an idle timeout, so a server trickling a byte every
 * few seconds would hold a request, and the run, forever).
 */

export interface StripeHttpApiOptions {
  apiKey: string;
  /** e.g. 'https://api.stripe.com' or a simulator's 'http://127.0.0.1:PORT'. */
  apiBase?: string;
  /** Deadline of one request from sending to the last byte of the answer. */
  timeoutMs?: number;
}

const DEFAULT_API_BASE = 'https://api.stripe.com';
const DEFAULT_TIMEOUT_MS = 30_000;

type Lister = (client: Stripe, params: StripeListParams) => Promise<unknown>;
type Retriever = (client: Stripe, id: string, expand: string[] | undefined) => Promise<unknown>;
type MetadataWriter = (client: Stripe, id: string, metadata: Metadata, options: Stripe.RequestOptions) => Promise<unknown>;

const LISTERS: Record<StripeListPath, Lister> = {
  events: (client, params) => client.events.list(params),
  customers: (client, params) => client.customers.list(params),
  charges: (client, params) => client.charges.list(params),
  refunds: (client, params) => client.refunds.list(params),
  disputes: (client, params) => client.disputes.list(params),
  invoices: (client, params) => client.invoices.list(params as Stripe.InvoiceListParams),
  invoice_payments: (client, params) => client.invoicePayments.list(params as Stripe.InvoicePaymentListParams),
  credit_notes: (client, params) => client.creditNotes.list(params),
  payouts: (client, params) => client.payouts.list(params),
  balance_transactions: (client, params) => client.balanceTransactions.list(params),
  products: (client, params) => client.products.list(params),
};

const RETRIEVERS: Record<StripeListPath, Retriever> = {
  events: (client, id, expand) => client.events.retrieve(id, { expand }),
  customers: (client, id, expand) => client.customers.retrieve(id, { expand }),
  charges: (client, id, expand) => client.charges.retrieve(id, { expand }),
  refunds: (client, id, expand) => client.refunds.retrieve(id, { expand }),
  disputes: (client, id, expand) => client.disputes.retrieve(id, { expand }),
  invoices: (client, id, expand) => client.invoices.retrieve(id, { expand }),
  invoice_payments: (client, id, expand) => client.invoicePayments.retrieve(id, { expand }),
  credit_notes: (client, id, expand) => client.creditNotes.retrieve(id, { expand }),
  payouts: (client, id, expand) => client.payouts.retrieve(id, { expand }),
  balance_transactions: (client, id, expand) => client.balanceTransactions.retrieve(id, { expand }),
  products: (client, id, expand) => client.products.retrieve(id, { expand }),
};

const METADATA_WRITERS: Record<StripeMetadataPath, MetadataWriter> = {
  customers: (client, id, metadata, options) => client.customers.update(id, { metadata }, options),
  charges: (client, id, metadata, options) => client.charges.update(id, { metadata }, options),
  invoices: (client, id, metadata, options) => client.invoices.update(id, { metadata }, options),
  payouts: (client, id, metadata, options) => client.payouts.update(id, { metadata }, options),
  refunds: (client, id, metadata, options) => client.refunds.update(id, { metadata }, options),
};

export class StripeHttpApi implements StripeApi {
  private readonly client: Stripe;
  private readonly apiKey: string;
  private requests = 0;

  constructor(options: StripeHttpApiOptions) {
    this.apiKey = options.apiKey;
    const base = new URL(options.apiBase ?? DEFAULT_API_BASE);
    const protocol = base.protocol === 'http:' ? 'http' : 'https';
    this.client = new Stripe(options.apiKey, {
      apiVersion: PINNED_STRIPE_API_VERSION,
      maxNetworkRetries: 0,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      host: base.hostname,
      port: base.port === '' ? (protocol === 'http' ? 80 : 443) : Number(base.port),
      protocol,
      telemetry: false,
      httpClient: new DeadlineHttpClient(),
    });
    this.client.on('request', () => {
      this.requests += 1;
    });
  }

  /** HTTP requests sent so far. */
  get requestCount(): number {
    return this.requests;
  }

  async list<T>(path: StripeListPath, params: StripeListParams): Promise<StripePage<T>> {
    const page = await this.call(() => LISTERS[path](this.client, params));
    const validated = validateListPage(path, page);
    if ('malformed' in validated) throw new StripeTransientError(`Stripe answered GET /v1/${path} with a malformed list (${validated.malformed})`);
    return validated as StripePage<T>;
  }

  async retrieve<T>(path: StripeListPath, id: string, expand?: string[]): Promise<T> {
    const object = await this.call(() => RETRIEVERS[path](this.client, id, expand && expand.length > 0 ? expand : undefined));
    const problem = validateObject(path, object);
    if (problem !== null) throw new StripeInvalidObjectError(id, problem);
    return object as T;
  }

  async listInvoiceLines(invoiceId: string, startingAfter: string | null): Promise<StripeList<StripeInvoiceLine>> {
    const page = await this.call(() =>
      this.client.invoices.listLineItems(invoiceId, { limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) }),
    );
    // A line the posting rules cannot read makes the whole invoice unreadable: its total would be wrong.
    const problem = validateInvoiceLines(page);
    if (problem !== null) throw new StripeInvalidObjectError(invoiceId, `its lines: ${problem}`);
    return page as unknown as StripeList<StripeInvoiceLine>;
  }

  async updateMetadata(path: StripeMetadataPath, id: string, metadata: Metadata, idempotencyKey: string): Promise<void> {
    await this.call(() => METADATA_WRITERS[path](this.client, id, metadata, { idempotencyKey }));
  }

  async account(): Promise<StripeAccountInfo> {
    const account = await this.call(() => this.client.accounts.retrieveCurrent());
    const details = account as Stripe.Account & { livemode?: boolean };
    return {
      id: details.id,
      displayName: details.settings?.dashboard?.display_name ?? details.business_profile?.name ?? null,
      livemode: details.livemode ?? /^(?:sk|rk)_live_/.test(this.apiKey),
    };
  }

  async balance(): Promise<StripeBalance> {
    const balance = await this.call(() => this.client.balance.retrieve());
    return balance as unknown as StripeBalance;
  }

  private async call<R>(request: () => Promise<R>): Promise<R> {
    try {
      return await request();
    } catch (error) {
      throw toPortError(error, this.apiKey);
    }
  }
}
