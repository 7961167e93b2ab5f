import { describe, expect, it } from 'vitest';
import { StripeReader } from '../../main/core/engine/stripe-reader.js';
import type { Clock } from '../../main/core/ports/clock.js';
import type { StripeApi } from '../../main/core/ports/stripe-api.js';

/** A clock the test moves; a jump fires every timer due by then at the same instant, as after a held-up event loop. */
class ManualClock implements Clock {
  at = 0;
  private timers: { at: number; wake: () => void }[] = [];
  now = (): number => this.at;
  sleep = (ms: number): Promise<void> => new Promise((wake) => this.timers.push({ at: this.at + ms, wake }));

  async jumpTo(to: number): Promise<void> {
    this.at = to;
    for (;;) {
      await new Promise((done) => setImmediate(done));
      const due = this.timers.filter((timer) => timer.at <= this.at);
      if (due.length === 0) return;
      this.timers = this.timers.filter((timer) => timer.at > this.at);
      for (const timer of due) timer.wake();
    }
  }
}

/** The most requests sent within any one second (Stripe's window: https://docs.stripe.com/rate-limits). */
function mostInOneSecond(sentAt: readonly number[]): number {
  return Math.max(...sentAt.map((at) => sentAt.filter((other) => other > at - 1000 && other <= at).length));
}

describe('StripeReader pace per endpoint', () => {
  it('sends at most its rate in any second, also when the event loop was held up with requests waiting', async () => {
    const clock = new ManualClock();
    const sentAt: number[] = [];
    const api = {
      updateMetadata: async () => {
        sentAt.push(clock.now());
      },
    } as unknown as StripeApi;
    const reader = new StripeReader(api, clock, { requestsPerSecond: 20 });
    const writes = Array.from({ length: 60 }, (_, i) => reader.updateMetadata('customers', `cus_${i}`, { CustID: `C${i}` }, `s5sync-test-${i}`));
    await clock.jumpTo(0);
    // Nothing runs for two seconds (a long synchronous planning page), then time goes on.
    await clock.jumpTo(2_000);
    for (let step = 0; sentAt.length < 60 && step < 1_000; step++) await clock.jumpTo(clock.at + 10);
    await Promise.all(writes);

    expect(sentAt).toHaveLength(60);
    expect(mostInOneSecond(sentAt)).toBeLessThanOrEqual(20);
    // Still at the rate, not slower: 60 requests at 20 a second after the 2 s hold-up.
    expect(Math.max(...sentAt)).toBeLessThanOrEqual(2_000 + 2_000 + 100);
  });
});
