import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';

/**
 * The simulator answering like Stripe over the internet (benchmarks, issue #19): each request
 * waits the latency, and an endpoint admits its allowance per second and answers the rest
 * with 429 `rate_limit` at once.
 */
describe('the Stripe simulator emulating live Stripe', () => {
  let simulator: StripeSimulator;

  beforeAll(async () => {
    simulator = await startStripeSimulator({ seed: 5, days: 1, liveStripe: { latencyMs: 120, requestsPerSecond: 4 } });
  });

  afterAll(async () => {
    await simulator.close();
  });

  const get = (path: string) => fetch(`${simulator.apiBase}${path}`, { headers: { Authorization: `Bearer ${simulator.apiKey}` } });

  it('admits an endpoint’s allowance per second, answers the rest with 429 rate_limit, and counts endpoints apart', async () => {
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 6 }, () => get('/v1/charges?limit=1')));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limit');
    // Another endpoint has its own allowance.
    expect((await get('/v1/refunds?limit=1')).status).toBe(200);
    // A second later the endpoint admits again.
    await new Promise((done) => setTimeout(done, 1_050));
    expect((await get('/v1/charges?limit=1')).status).toBe(200);
  });
});
