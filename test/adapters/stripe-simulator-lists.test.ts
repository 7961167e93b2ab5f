import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeHttpApi } from '../../main/adapters/stripe/stripe-http-api.js';
import { type StripeSimulator, startStripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { StripeRequestError } from '../../main/core/ports/stripe-api.js';
import type {
  StripeBalanceTransaction,
  StripeCharge,
  StripeEvent,
  StripeInvoice,
  StripeInvoicePayment,
  StripePayout,
} from '../../main/core/stripe/objects.js';

let simulator: StripeSimulator;
let api: StripeHttpApi;

beforeAll(async () => {
  // Card activity only: the payout variety below (manual, instant, negative days) is what this seed produces
  // without it; test/reconciliation/balance-spine.test.ts covers fees, top-ups, reserves and ACH payments.
  simulator = await startStripeSimulator({ seed: 42, days: 40, balanceActivity: false });
  api = new StripeHttpApi({ apiKey: simulator.apiKey, apiBase: simulator.apiBase, timeoutMs: 5_000 });
});

afterAll(async () => {
  await simulator.close();
});

/** Stripe's list order: created desc, then id desc. */
function isNewestFirst(items: readonly { id: string; created: number }[]): boolean {
  return items.every((item, index) => {
    const previous = items[index - 1];
    if (!previous) return true;
    return previous.created > item.created || (previous.created === item.created && previous.id > item.id);
  });
}

describe('Stripe simulator list semantics', () => {
  it('pages newest first with starting_after until has_more is false, covering every object once', async () => {
    const seen: StripeCharge[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await api.list<StripeCharge>('charges', { limit: 100, starting_after: startingAfter });
      expect(page.object).toBe('list');
      expect(page.url).toBe('/v1/charges');
      seen.push(...page.data);
      if (!page.has_more) break;
      startingAfter = page.data[page.data.length - 1]?.id;
    }
    expect(seen).toHaveLength(simulator.counts().charge);
    expect(new Set(seen.map((charge) => charge.id)).size).toBe(seen.length);
    expect(isNewestFirst(seen)).toBe(true);
  });

  it('ending_before returns the newer objects right before the cursor, still newest first', async () => {
    const all = [...simulator.objects('charge')].reverse();
    const cursor = all[50] as StripeCharge;
    const page = await api.list<StripeCharge>('charges', { limit: 10, ending_before: cursor.id });
    expect(page.data.map((charge) => charge.id)).toEqual(all.slice(40, 50).map((charge) => charge.id));
    expect(page.has_more).toBe(true);
    const top = await api.list<StripeCharge>('charges', { limit: 10, ending_before: (all[5] as StripeCharge).id });
    expect(top.data.map((charge) => charge.id)).toEqual(all.slice(0, 5).map((charge) => charge.id));
    expect(top.has_more).toBe(false);
  });

  it('filters on created ranges and exact created', async () => {
    const charges = simulator.objects('charge');
    const middle = (charges[Math.floor(charges.length / 2)] as StripeCharge).created;
    const window = { gte: middle - 3600, lt: middle + 3600 };
    const expected = charges.filter((charge) => charge.created >= window.gte && charge.created < window.lt);
    const page = await api.list<StripeCharge>('charges', { limit: 100, created: window });
    expect(page.data.map((charge) => charge.id).sort()).toEqual(expected.map((charge) => charge.id).sort());
    const gtLte = await api.list<StripeCharge>('charges', { limit: 100, created: { gt: middle, lte: middle + 600 } });
    expect(gtLte.data.every((charge) => charge.created > middle && charge.created <= middle + 600)).toBe(true);
    const exact = await fetch(`${simulator.url}/v1/charges?created=${middle}&limit=100`, {
      headers: { authorization: `Bearer ${simulator.apiKey}` },
    });
    const exactPage = (await exact.json()) as { data: StripeCharge[] };
    expect(exactPage.data.length).toBeGreaterThan(0);
    expect(exactPage.data.every((charge) => charge.created === middle)).toBe(true);
  });

  it('defaults to 10, accepts 1..100 and rejects other limits like Stripe', async () => {
    expect((await api.list('customers', {})).data).toHaveLength(10);
    expect((await api.list('customers', { limit: 1 })).data).toHaveLength(1);
    const tooMany = await fetch(`${simulator.url}/v1/customers?limit=101`, {
      headers: { authorization: `Bearer ${simulator.apiKey}` },
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toEqual({
      error: { type: 'invalid_request_error', message: 'This value must be less than or equal to 100.', param: 'limit' },
    });
    await expect(api.list('customers', { limit: 0 })).rejects.toBeInstanceOf(StripeRequestError);
    await expect(api.list('customers', { starting_after: 'cus_doesnotexist' })).rejects.toMatchObject({ status: 400 });
  });

  it('expands balance transactions on charges (list and retrieve) and sources on balance transactions', async () => {
    const page = await api.list<StripeCharge>('charges', { limit: 100, expand: ['data.balance_transaction'] });
    for (const charge of page.data) {
      const transaction = charge.balance_transaction as StripeBalanceTransaction;
      expect(transaction.object).toBe('balance_transaction');
      expect(transaction.source).toBe(charge.id);
      expect(transaction.net).toBe(transaction.amount - transaction.fee);
    }
    const first = page.data[0] as StripeCharge;
    const retrieved = await api.retrieve<StripeCharge>('charges', first.id, ['balance_transaction']);
    expect((retrieved.balance_transaction as StripeBalanceTransaction).id).toBe(
      (first.balance_transaction as StripeBalanceTransaction).id,
    );
    const transactions = await api.list<StripeBalanceTransaction>('balance_transactions', { limit: 50, expand: ['data.source'] });
    for (const transaction of transactions.data) {
      const source = transaction.source as { id: string; object: string };
      expect(typeof source.object).toBe('string');
    }
    await expect(api.list('customers', { expand: ['data.nothing'] })).rejects.toBeInstanceOf(StripeRequestError);
  });

  it('gives every balance transaction a source object that exists', () => {
    // Found by id in each kind, not by prefix: disputes are dp_ or du_.
    const kinds = ['charge', 'refund', 'dispute', 'payout'] as const;
    for (const transaction of simulator.objects('balance_transaction')) {
      const source = transaction.source as string;
      expect(kinds.filter((kind) => simulator.object(kind, source) !== undefined), source).toHaveLength(1);
      expect(transaction.net).toBe(transaction.amount - transaction.fee);
    }
  });

  it('lists the transactions of an automatic payout whose net sums to the payout amount', async () => {
    const payouts = simulator
      .objects('payout')
      .filter((payout) => payout.automatic && payout.reconciliation_status === 'completed');
    expect(payouts.length).toBeGreaterThan(20);
    for (const payout of payouts) {
      const included: StripeBalanceTransaction[] = [];
      let startingAfter: string | undefined;
      for (;;) {
        const page = await api.list<StripeBalanceTransaction>('balance_transactions', {
          payout: payout.id,
          limit: 100,
          starting_after: startingAfter,
        });
        included.push(...page.data);
        if (!page.has_more) break;
        startingAfter = page.data[page.data.length - 1]?.id;
      }
      const own = included.filter((transaction) => transaction.source === payout.id);
      expect(own.map((transaction) => transaction.amount)).toEqual([-payout.amount]);
      const settled = included.filter((transaction) => transaction.source !== payout.id);
      expect(settled.reduce((sum, transaction) => sum + transaction.net, 0)).toBe(payout.amount);
    }
  });

  it('refuses payout filtering for manual payouts and lists by source', async () => {
    const manual = simulator.objects('payout').find((payout) => !payout.automatic) as StripePayout;
    expect(manual).toBeDefined();
    await expect(api.list('balance_transactions', { payout: manual.id })).rejects.toThrow(/automatic transfers, not manual/);
    const refund = simulator.objects('refund')[0];
    const bySource = await fetch(`${simulator.url}/v1/balance_transactions?source=${refund?.id}`, {
      headers: { authorization: `Bearer ${simulator.apiKey}` },
    });
    const page = (await bySource.json()) as { data: StripeBalanceTransaction[] };
    expect(page.data.map((transaction) => transaction.id)).toContain(refund?.balance_transaction);
  });

  it('produces the lifecycle variety the engine must handle', () => {
    const refunds = simulator.objects('refund');
    expect(refunds.some((refund) => refund.status === 'failed' && refund.failure_balance_transaction)).toBe(true);
    const disputes = simulator.objects('dispute');
    expect(disputes.length).toBeGreaterThan(0);
    for (const dispute of disputes) {
      const withdrawal = dispute.balance_transactions[0] as StripeBalanceTransaction;
      expect(withdrawal.reporting_category).toBe('dispute');
      expect(withdrawal.fee_details).toEqual([expect.objectContaining({ type: 'stripe_fee', amount: 1500 })]);
    }
    const payouts = simulator.objects('payout');
    expect(payouts.some((payout) => payout.method === 'instant')).toBe(true);
    expect(payouts.some((payout) => payout.status === 'failed' && payout.failure_balance_transaction)).toBe(true);
    expect(simulator.negativeBalanceDays.length).toBeGreaterThan(0);
    const statuses = new Set(simulator.objects('invoice').map((invoice) => invoice.status));
    expect(statuses).toEqual(new Set(['paid', 'void', 'uncollectible', 'open']));
    expect(simulator.objects('credit_note').length).toBeGreaterThan(0);
  });

  it('links paid invoices to their charges through invoice payments naming the PaymentIntent, created at finalisation', async () => {
    const invoice = simulator.objects('invoice').find((candidate) => candidate.status === 'paid' && candidate.amount_due > 0) as StripeInvoice;
    const payments = await api.list<StripeInvoicePayment>('invoice_payments', { invoice: invoice.id });
    expect(payments.data).toHaveLength(1);
    const payment = payments.data[0] as StripeInvoicePayment;
    expect(payment.payment.type).toBe('payment_intent');
    expect(payment.payment.charge).toBeUndefined();
    expect(payment.is_default).toBe(true);
    expect(payment.created).toBe(invoice.status_transitions.finalized_at);
    const charge = simulator.objects('charge').find((candidate) => candidate.payment_intent === payment.payment.payment_intent) as StripeCharge;
    expect(charge.amount).toBe(invoice.amount_due);
    expect(payment.amount_paid).toBe(invoice.amount_due);
    const included = await api.retrieve<StripeInvoice>('invoices', invoice.id, ['payments']);
    expect(included.payments?.data.map((entry) => entry.id)).toEqual([payment.id]);
    expect(invoice.total).toBe(
      invoice.subtotal -
        (invoice.total_discount_amounts ?? []).reduce((sum, discount) => sum + discount.amount, 0) +
        (invoice.total_taxes ?? []).reduce((sum, tax) => sum + tax.amount, 0),
    );
    const paid = await api.list<StripeInvoice>('invoices', { status: 'paid', limit: 100 });
    expect(paid.data.every((candidate) => candidate.status === 'paid')).toBe(true);
  });

  it('settles foreign charges in usd with exchange rates and currency exponents', () => {
    const byCurrency = new Map<string, StripeCharge>();
    for (const charge of simulator.objects('charge')) byCurrency.set(charge.currency, charge);
    for (const currency of ['usd', 'eur', 'jpy', 'kwd']) expect(byCurrency.has(currency), currency).toBe(true);
    for (const charge of simulator.objects('charge')) {
      const transaction = simulator.object('balance_transaction', charge.balance_transaction as string) as StripeBalanceTransaction;
      expect(transaction.currency).toBe('usd');
      if (charge.currency === 'kwd') expect(charge.amount % 10).toBe(0);
      if (charge.currency === 'usd') {
        expect(transaction.amount).toBe(charge.amount);
        expect(transaction.exchange_rate).toBeNull();
        continue;
      }
      const rate = transaction.exchange_rate as number;
      const exponent = { eur: 2, jpy: 0, kwd: 3 }[charge.currency] as number;
      const expected = Math.round(charge.amount * rate * 10 ** (2 - exponent));
      expect(Math.abs(transaction.amount - expected), charge.id).toBeLessThanOrEqual(1);
    }
  });

  it('keeps events for 30 days: older ones are neither listed nor retrievable', async () => {
    const cutoff = simulator.now() - 30 * 86_400;
    const events: StripeEvent[] = [];
    let startingAfter: string | undefined;
    for (;;) {
      const page = await api.list<StripeEvent>('events', { limit: 100, starting_after: startingAfter });
      events.push(...page.data);
      if (!page.has_more) break;
      startingAfter = page.data[page.data.length - 1]?.id;
    }
    expect(events.length).toBeGreaterThan(1000);
    expect(events.every((event) => event.created >= cutoff)).toBe(true);
    expect(isNewestFirst(events)).toBe(true);
    const oldest = simulator.objects('charge')[0] as StripeCharge;
    expect(oldest.created).toBeLessThan(cutoff);
    const page = await api.list<StripeEvent>('events', { created: { lte: oldest.created } });
    expect(page.data).toEqual([]);
    const recent = events[0] as StripeEvent;
    expect((await api.retrieve<StripeEvent>('events', recent.id)).id).toBe(recent.id);
    expect(recent.api_version).toBe('2026-10-28.endive');
    expect(recent.request).toEqual({ id: null, idempotency_key: null });
  });
});

describe('Stripe simulator determinism and scale', () => {
  it('generates identical accounts for the same seed and different ones for another seed', async () => {
    const first = await startStripeSimulator({ seed: 7, days: 5 });
    const second = await startStripeSimulator({ seed: 7, days: 5 });
    const other = await startStripeSimulator({ seed: 8, days: 5 });
    try {
      const fingerprint = (sim: StripeSimulator): string =>
        JSON.stringify([sim.objects('charge'), sim.objects('payout'), sim.objects('customer'), sim.counts()]);
      expect(fingerprint(first)).toBe(fingerprint(second));
      expect(fingerprint(first)).not.toBe(fingerprint(other));
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });

  // Generation speed is measured by the benchmarks (bench/, docs/performance.md), not timed here.
  it('generates about objectsTarget objects and serves a 100-object expanded page', async () => {
    const big = await startStripeSimulator({ seed: 3, days: 30, objectsTarget: 60_000 });
    try {
      const { event: _events, ...objects } = big.counts();
      const total = Object.values(objects).reduce((sum, count) => sum + count, 0);
      expect(total).toBeGreaterThan(50_000);
      expect(total).toBeLessThan(70_000);
      const bigApi = new StripeHttpApi({ apiKey: big.apiKey, apiBase: big.apiBase });
      const page = await bigApi.list<StripeCharge>('charges', { limit: 100, expand: ['data.balance_transaction'] });
      expect(page.data).toHaveLength(100);
    } finally {
      await big.close();
    }
  });
});
