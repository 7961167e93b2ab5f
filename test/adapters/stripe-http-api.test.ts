import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactApiKeys, toPortError } from '../../main/adapters/stripe/stripe-error-mapping.js';
import { StripeHttpApi } from '../../main/adapters/stripe/stripe-http-api.js';
import { type StripeSimulator, startStripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import {
  type StripeListPath,
  StripeAuthError,
  StripeRateLimitError,
  StripeRequestError,
  StripeTransientError,
} from '../../main/core/ports/stripe-api.js';
import type { StripeBalanceTransaction, StripePayout, StripeRefund } from '../../main/core/stripe/objects.js';

let simulator: StripeSimulator;
let api: StripeHttpApi;

beforeAll(async () => {
  simulator = await startStripeSimulator({ seed: 5, days: 35 });
  api = new StripeHttpApi({ apiKey: simulator.apiKey, apiBase: simulator.apiBase });
});

afterAll(async () => {
  await simulator.close();
});

const LIST_PATHS: StripeListPath[] = [
  'events',
  'customers',
  'charges',
  'refunds',
  'disputes',
  'invoices',
  'invoice_payments',
  'credit_notes',
  'payouts',
  'balance_transactions',
];

describe('StripeHttpApi against the simulator', () => {
  it('lists one raw page per call on every path, one HTTP request each', async () => {
    const before = api.requestCount;
    for (const path of LIST_PATHS) {
      const page = await api.list<{ id: string }>(path, { limit: 1 });
      expect(page.object, path).toBe('list');
      expect(page.data.length, path).toBe(1);
      expect(page.has_more, path).toBe(true);
      const first = page.data[0] as { id: string };
      expect((await api.retrieve<{ id: string }>(path, first.id)).id, path).toBe(first.id);
    }
    expect(api.requestCount - before).toBe(LIST_PATHS.length * 2);
    const routes = [...simulator.requestCounts.keys()];
    expect(routes).toContain('GET /v1/invoice_payments');
    expect(routes).toContain('GET /v1/balance_transactions/:id');
  });

  it('expands failure balance transactions on refunds and payouts', async () => {
    const failedRefund = simulator.objects('refund').find((refund) => refund.status === 'failed') as StripeRefund;
    const refund = await api.retrieve<StripeRefund>('refunds', failedRefund.id, ['balance_transaction', 'failure_balance_transaction']);
    expect((refund.failure_balance_transaction as StripeBalanceTransaction).reporting_category).toBe('refund_failure');
    expect((refund.balance_transaction as StripeBalanceTransaction).amount).toBeLessThan(0);
    const failedPayout = simulator.objects('payout').find((payout) => payout.status === 'failed') as StripePayout;
    const page = await api.list<StripePayout>('payouts', {
      created: { gte: failedPayout.created, lte: failedPayout.created },
      expand: ['data.failure_balance_transaction'],
    });
    const payout = page.data.find((candidate) => candidate.id === failedPayout.id) as StripePayout;
    const reversal = payout.failure_balance_transaction as StripeBalanceTransaction;
    expect(reversal).toMatchObject({ reporting_category: 'payout_reversal', amount: payout.amount, source: payout.id });
  });

  it('sends the pinned API version and the caller idempotency key', async () => {
    const charge = simulator.objects('charge')[3];
    await api.updateMetadata('charges', charge?.id ?? '', { sage_so: 'SO-1001' }, 's5sync:test:pinned');
    expect(simulator.object('charge', charge?.id ?? '')?.metadata.sage_so).toBe('SO-1001');
    const response = await fetch(`${simulator.url}/v1/account`, { headers: { authorization: `Bearer ${simulator.apiKey}` } });
    expect(response.headers.get('stripe-version')).toBe('2026-10-28.endive');
  });

  it('defaults to Stripe over https and accepts an explicit port', () => {
    expect(() => new StripeHttpApi({ apiKey: 'sk_test_x' })).not.toThrow();
    expect(() => new StripeHttpApi({ apiKey: 'sk_test_x', apiBase: 'https://api.stripe.com:8443' })).not.toThrow();
  });
});

describe('error mapping', () => {
  const key = 'sk_test_51SecretValue';
  const error = (status: number | undefined, type = 'StripeAPIError'): unknown =>
    Stripe.errors.StripeError.generate({ type, message: `failed for ${key}`, statusCode: status } as never);

  it('maps statuses and connection failures to the port classes', () => {
    expect(toPortError(error(429, 'rate_limit_error'), key)).toBeInstanceOf(StripeRateLimitError);
    expect(toPortError(error(500, 'api_error'), key)).toBeInstanceOf(StripeTransientError);
    expect(toPortError(error(503, 'api_error'), key)).toBeInstanceOf(StripeTransientError);
    expect(toPortError(error(401, 'authentication_error'), key)).toBeInstanceOf(StripeAuthError);
    expect(toPortError(error(403, 'invalid_request_error'), key)).toBeInstanceOf(StripeAuthError);
    const notFound = toPortError(error(404, 'invalid_request_error'), key);
    expect(notFound).toBeInstanceOf(StripeRequestError);
    expect((notFound as StripeRequestError).status).toBe(404);
    expect(toPortError(new Stripe.errors.StripeConnectionError({ message: 'socket hang up' }), key)).toBeInstanceOf(
      StripeTransientError,
    );
    expect(toPortError(new Error('ECONNREFUSED'), key)).toBeInstanceOf(StripeTransientError);
  });

  it('never carries an API key in the message', () => {
    for (const status of [400, 401, 429, 500]) expect(toPortError(error(status), key).message).not.toContain('Secret');
    expect(redactApiKeys('bad key rk_live_abcDEF123 and sk_test_xyz', 'other')).toBe(
      'bad key [redacted API key] and [redacted API key]',
    );
  });
});
