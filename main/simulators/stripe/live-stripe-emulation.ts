/**
 * The simulator behaving like Stripe over the internet for benchmarks: every request answers
 * after `latencyMs` (Stripe's list requests take about 300 ms), and each endpoint admits at
 * most `requestsPerSecond` requests in any one-second window, answering the rest at once
 * with 429 `rate_limit` as Stripe does (https://docs.stripe.com/rate-limits). Endpoints are
 * routes (`GET /v1/charges`, `GET /v1/charges/:id`, …), as Stripe limits them.
 */
export interface LiveStripeEmulationOptions {
  latencyMs: number;
  requestsPerSecond: number;
}

export class LiveStripeEmulation {
  /** Admission times (ms) within the last second, per route. */
  private readonly admitted = new Map<string, number[]>();

  constructor(readonly options: LiveStripeEmulationOptions) {}

  /** Counts the request against its route's window; false when the route is over its limit (answer 429). */
  admit(route: string, nowMs: number): boolean {
    const window = (this.admitted.get(route) ?? []).filter((at) => at > nowMs - 1000);
    const admitted = window.length < this.options.requestsPerSecond;
    if (admitted) window.push(nowMs);
    this.admitted.set(route, window);
    return admitted;
  }
}
