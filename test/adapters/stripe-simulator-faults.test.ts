import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StripeHttpApi } from '../../main/adapters/stripe/stripe-http-api.js';
import { type StripeSimulator, startStripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import {
  StripeAuthError,
  StripeRateLimitError,
  StripeRequestError,
  StripeTransientError,
} from '../../main/core/ports/stripe-api.js';
import type { StripeCustomer, StripeEvent } from '../../main/core/stripe/objects.js';

let simulator: StripeSimulator;
let api: StripeHttpApi;

beforeEach(async () => {
  simulator = await startStripeSimulator({ seed: 11, days: 3 });
  api = new StripeHttpApi({ apiKey: simulator.apiKey, apiBase: simulator.apiBase, timeoutMs: 2_000 });
});

afterEach(async () => {
  await simulator.close();
});

async function allEvents(client: StripeHttpApi, created?: { gte: number }): Promise<StripeEvent[]> {
  const events: StripeEvent[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await client.list<StripeEvent>('events', { limit: 100, starting_after: startingAfter, created });
    events.push(...page.data);
    if (!page.has_more) return events;
    startingAfter = page.data[page.data.length - 1]?.id;
  }
}

describe('request faults, as the engine sees them through StripeHttpApi', () => {
  it('answers a burst of 429s, then recovers', async () => {
    simulator.faults.rateLimit({ count: 2 });
    await expect(api.list('charges', {})).rejects.toBeInstanceOf(StripeRateLimitError);
    await expect(api.list('charges', {})).rejects.toBeInstanceOf(StripeRateLimitError);
    await expect(api.list('charges', {})).resolves.toMatchObject({ object: 'list' });
    expect(simulator.faults.injected.rate_limit).toBe(2);
    expect(api.requestCount).toBe(3);
  });

  it('repeats 429 bursts every K requests, only on the chosen paths', async () => {
    simulator.faults.rateLimit({ count: 1, every: 3, pathPrefixes: ['/v1/events'] });
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(await api.list('events', {}).then(() => 'ok', (error: Error) => error.name));
      await api.list('customers', { limit: 1 });
    }
    expect(outcomes).toEqual(['ok', 'ok', 'StripeRateLimitError', 'ok', 'ok', 'StripeRateLimitError']);
  });

  it('maps 500s to transient errors', async () => {
    simulator.faults.serverError({ count: 1 });
    await expect(api.retrieve('charges', simulator.objects('charge')[0]?.id ?? '')).rejects.toBeInstanceOf(StripeTransientError);
    expect(simulator.requestLog.at(-1)?.status).toBe(500);
  });

  it('maps dropped connections to transient errors (one port call, one request: the engine retries)', async () => {
    simulator.faults.dropConnections({ count: 1 });
    await expect(api.list('payouts', {})).rejects.toBeInstanceOf(StripeTransientError);
    expect(api.requestCount).toBe(1);
    expect(simulator.requestLog.filter((entry) => entry.status === 'dropped')).toHaveLength(1);
    await expect(api.list('payouts', {})).resolves.toMatchObject({ object: 'list' });
  });

  it('maps a response trickled past the deadline to a transient error (the deadline covers the body)', async () => {
    const impatient = new StripeHttpApi({ apiKey: simulator.apiKey, apiBase: simulator.apiBase, timeoutMs: 300 });
    simulator.faults.trickle({ byteEveryMs: 20, count: 1 });
    const started = Date.now();
    await expect(impatient.list('customers', {})).rejects.toBeInstanceOf(StripeTransientError);
    expect(Date.now() - started).toBeLessThan(3_000);
    simulator.faults.clear();
    await expect(impatient.list('customers', {})).resolves.toMatchObject({ object: 'list' });
  });

  it('maps a response slower than the timeout to a transient error', async () => {
    const impatient = new StripeHttpApi({ apiKey: simulator.apiKey, apiBase: simulator.apiBase, timeoutMs: 100 });
    simulator.faults.slowResponses(400);
    await expect(impatient.list('customers', {})).rejects.toBeInstanceOf(StripeTransientError);
    simulator.faults.clear();
    await expect(impatient.list('customers', {})).resolves.toMatchObject({ object: 'list' });
  });

  it('rejects unknown and live keys with 401 without echoing the key', async () => {
    const secret = 'sk_live_DO_NOT_LEAK_123456789';
    const wrong = new StripeHttpApi({ apiKey: secret, apiBase: simulator.apiBase });
    const error = await wrong.list('charges', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeAuthError);
    expect(String((error as Error).message)).not.toContain('DO_NOT_LEAK');
    const raw = await fetch(`${simulator.url}/v1/charges`, { headers: { authorization: `Bearer ${secret}` } });
    expect(raw.status).toBe(401);
    const body = await raw.text();
    expect(body).not.toContain('DO_NOT_LEAK');
    expect(JSON.parse(body)).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(raw.headers.get('request-id')).toMatch(/^req_/);
    expect(raw.headers.get('content-type')).toBe('application/json');
    const restricted = new StripeHttpApi({ apiKey: 'rk_test_restricted', apiBase: simulator.apiBase });
    await expect(restricted.list('charges', { limit: 1 })).resolves.toMatchObject({ object: 'list' });
  });

  it('maps unknown objects to request errors with their status', async () => {
    const error = await api.retrieve('charges', 'ch_missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeRequestError);
    expect((error as StripeRequestError).status).toBe(404);
  });

  it('reads the account', async () => {
    await expect(api.account()).resolves.toEqual({
      id: simulator.accountId,
      displayName: 'Northwind Outdoor',
      livemode: false,
    });
  });
});

describe('metadata write-back', () => {
  it('merges metadata, unsets empty values, replays by idempotency key and tags the event with it', async () => {
    const customer = simulator.objects('customer')[0] as StripeCustomer;
    const before = simulator.counts().event;
    await api.updateMetadata('customers', customer.id, { sage_customer_id: 'C000042', note: 'x' }, 's5sync:cus:1');
    await api.updateMetadata('customers', customer.id, { sage_customer_id: 'C000042', note: 'x' }, 's5sync:cus:1');
    expect(simulator.counts().event).toBe(before + 1);
    expect(simulator.requestLog.at(-1)?.route).toBe('POST /v1/customers/:id');
    await expect(
      api.updateMetadata('customers', customer.id, { sage_customer_id: 'OTHER' }, 's5sync:cus:1'),
    ).rejects.toThrow(/same parameters/);
    await api.updateMetadata('customers', customer.id, { note: '' }, 's5sync:cus:2');
    const stored = await api.retrieve<StripeCustomer>('customers', customer.id);
    expect(stored.metadata).toEqual({ ...customer.metadata, sage_customer_id: 'C000042' });
    const updates = (await api.list<StripeEvent>('events', { limit: 5 })).data.filter(
      (event) => event.type === 'customer.updated',
    );
    // Both updates happened in the same simulated second, so their list order is by id only.
    expect(updates.map((event) => event.request?.idempotency_key).sort()).toEqual(['s5sync:cus:1', 's5sync:cus:2']);
    expect(updates.every((event) => /^req_/.test(event.request?.id ?? ''))).toBe(true);
  });

  it('answers a replayed request with the saved response through the raw SDK too', async () => {
    const stripe = new Stripe(simulator.apiKey, { host: '127.0.0.1', port: Number(new URL(simulator.url).port), protocol: 'http' });
    const charge = simulator.objects('charge')[0];
    const first = await stripe.charges.update(charge?.id ?? '', { metadata: { a: '1' } }, { idempotencyKey: 'k1' });
    const second = await stripe.charges.update(charge?.id ?? '', { metadata: { a: '1' } }, { idempotencyKey: 'k1' });
    expect(second).toEqual(first);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
  });
});

describe('event faults', () => {
  it('makes late-visible events appear only after their visibility delay, behind newer ones', async () => {
    simulator.faults.lateVisibleEvents({ every: 3, delaySeconds: 12 * 3600 });
    const start = simulator.now();
    simulator.advanceSeconds(8 * 3600);
    const stored = simulator.counts().event;
    const visibleNow = await allEvents(api, { gte: start });
    simulator.advanceSeconds(12 * 3600, { generate: false });
    const visibleLater = await allEvents(api, { gte: start });
    expect(stored).toBeGreaterThan(0);
    expect(visibleLater.length).toBeGreaterThan(visibleNow.length);
    const nowIds = new Set(visibleNow.map((event) => event.id));
    const late = visibleLater.filter((event) => !nowIds.has(event.id));
    const newestEarlier = Math.max(...visibleNow.map((event) => event.created));
    expect(late.some((event) => event.created < newestEarlier)).toBe(true);
  });

  it('produces bursts of events sharing one second', async () => {
    simulator.faults.sameSecondEvents({ every: 1, size: 20 });
    const start = simulator.now();
    simulator.advanceDays(2);
    const events = await allEvents(api, { gte: start });
    const perSecond = new Map<number, number>();
    for (const event of events) {
      if (event.type === 'charge.succeeded') perSecond.set(event.created, (perSecond.get(event.created) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeGreaterThanOrEqual(20);
  });

  it('emits customer.updated dated before customer.created', async () => {
    simulator.faults.outOfOrderUpdates({ every: 1 });
    const start = simulator.now();
    simulator.advanceDays(1);
    const events = await allEvents(api, { gte: start });
    const created = events.filter((event) => event.type === 'customer.created');
    expect(created.length).toBeGreaterThan(0);
    for (const creation of created) {
      const update = events.find((event) => event.type === 'customer.updated' && event.data.object.id === creation.data.object.id);
      expect(update?.created).toBe(creation.created - 1);
    }
  });

  it('moves time without activity and lets old events age out', async () => {
    const before = simulator.counts();
    simulator.advanceDays(31, { generate: false });
    expect(simulator.counts()).toEqual(before);
    expect((await api.list('events', {})).data).toEqual([]);
    simulator.advanceDays(1);
    expect((await api.list('events', {})).data.length).toBeGreaterThan(0);
  });
});
