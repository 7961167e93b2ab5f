import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../main/adapters/config/config-file.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { sageCustIdFor } from '../../main/core/customers/customer-id.js';
import { SAGE_ADDRESS_LIMITS, splitAddress } from '../../main/core/customers/sage-address.js';
import { UnknownCurrencyError } from '../../main/core/money/currency.js';
import { AmountError, fromStripeMinor, SAGE_AMOUNT_LIMIT, toStripeMinor } from '../../main/core/money/sage-amount.js';
import { businessDate, isBusinessDate, TimeZoneError } from '../../main/core/time/business-date.js';
import { ledgerSnapshot, newWorkspace, openWorkspaceRuntime, runInProcess, sageSnapshot } from './harness.js';

/**
 * Bad input never stops the flow: malformed and unexpected Stripe payloads (mutated in the
 * simulator's store, so they come over HTTP like real ones) each get a specific error on
 * that record while every other record is still written; bad config files are refused with
 * a ConfigError naming the field; the transformation functions throw only their documented
 * error classes.
 */

const SEED = 31;
const DAYS = 8;

describe('malformed Stripe payloads through the whole engine', () => {
  let simulator: StripeSimulator;
  let referenceKeys: string[];
  const mutated = new Map<string, string>();

  beforeAll(async () => {
    const referenceSim = await startStripeSimulator({ seed: SEED, days: DAYS });
    try {
      const workspace = newWorkspace('bad-ref', referenceSim);
      await runInProcess(referenceSim, workspace, { backfillDays: DAYS + 5 });
      referenceKeys = sageSnapshot(workspace.sandboxPath).docKeys;
    } finally {
      await referenceSim.close();
    }
    simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
    const charges = simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && charge.balance_transaction);
    const customers = simulator.objects('customer');
    const invoices = simulator.objects('invoice').filter((invoice) => invoice.status === 'paid');
    const refunds = simulator.objects('refund');
    const edit = <T extends object>(object: T & { id: string }, what: string, change: (raw: Record<string, unknown>) => void): void => {
      change(object as unknown as Record<string, unknown>);
      mutated.set(object.id, what);
    };
    edit(charges[3]!, 'missing amount', (raw) => delete raw.amount);
    edit(charges[5]!, 'unknown currency', (raw) => (raw.currency = 'zzzz'));
    edit(charges[7]!, 'negative amount', (raw) => (raw.amount = -500));
    edit(charges[9]!, 'zero amount', (raw) => (raw.amount = 0));
    edit(charges[11]!, 'amount as text', (raw) => (raw.amount = '12.00'));
    edit(charges[15]!, 'created missing', (raw) => delete raw.created);
    edit(customers[2]!, 'huge unicode name', (raw) => (raw.name = '名前🚀'.repeat(20_000)));
    edit(customers[4]!, 'address of the wrong type', (raw) => (raw.address = 'Hauptstraße 1, 10115 Berlin'));
    edit(customers[6]!, 'email of the wrong type', (raw) => (raw.email = { nested: true }));
    // Older API shapes: invoice.charge present with the lines list emptied, or no lines at all.
    if (invoices[1]) edit(invoices[1], 'older API shape: invoice.charge, empty lines', (raw) => {
      raw.charge = 'ch_legacy';
      raw.lines = { object: 'list', data: [], has_more: false, url: '/v1/invoices/x/lines' };
    });
    if (invoices[2]) edit(invoices[2], 'older API shape: no lines list', (raw) => {
      raw.charge = 'ch_legacy';
      delete raw.lines;
    });
    if (refunds[0]) edit(refunds[0], 'refund amount null', (raw) => (raw.amount = null));
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('parks each bad record with its own error and writes everything else', async () => {
    const workspace = newWorkspace('bad', simulator);
    const summary = await runInProcess(simulator, workspace, { backfillDays: DAYS + 5 });
    expect(summary.outcome, summary.message ?? '').not.toBe('failed');

    const runtime = await openWorkspaceRuntime(simulator, workspace, { backfillDays: DAYS + 5 });
    let issues: Map<string, string>;
    let failedDocs: Map<string, string>;
    try {
      issues = new Map(runtime.ledger.objects.objectIssues().map((issue) => [issue.objectId, `${issue.errorClass}: ${issue.message}`]));
      failedDocs = new Map(
        [...runtime.ledger.documents.documentsInState('failed', 10_000), ...runtime.ledger.documents.documentsInState('dead', 10_000)].map((doc) => [
          doc.stripeObjectId,
          `${doc.errorClass}: ${doc.lastError}`,
        ]),
      );
    } finally {
      await runtime.close();
    }
    const unexplained: string[] = [];
    for (const [id, what] of mutated) {
      const error = issues.get(id) ?? failedDocs.get(id);
      const written = sageSnapshot(workspace.sandboxPath).docKeys.filter((key) => key.startsWith(`${id}:`));
      // A bad record either carries a specific error, or (when the damage is in a field the
      // plan does not use) was booked normally: never silently dropped.
      if (!error && written.length === 0) unexplained.push(`${id} (${what})`);
      if (error) expect(error, `${id} (${what})`).not.toMatch(/^\w+: (undefined|null|)$/);
    }
    expect(unexplained).toEqual([]);

    // Everything not derived from a mutated object is in Sage, once. Payouts (whose tie-out
    // needs every transaction booked) may wait; nothing else may be missing.
    const got = sageSnapshot(workspace.sandboxPath);
    expect(got.duplicateDocKeys).toEqual([]);
    expect(got.unbalancedJournals).toBe(0);
    expect(got.postAmtTotal).toBe(0);
    const gotKeys = new Set(got.docKeys);
    const missing = referenceKeys.filter(
      (key) => !gotKeys.has(key) && ![...mutated.keys()].some((id) => key.includes(id)) && !key.startsWith('po_'),
    );
    expect(missing).toEqual([]);
    expect(ledgerSnapshot(workspace).states.writing ?? 0).toBe(0);
  });
});

describe('invalid config files', () => {
  const valid = { dataDir: '.', stripe: { apiKey: 'sk_test_x' }, sage: { kind: 'sandbox', path: 'sage.sqlite' } };
  const cases: [string, unknown, RegExp][] = [
    ['not an object', 'hello', /top level/],
    ['null', null, /top level/],
    ['no sage target', { dataDir: '.' }, /sage/],
    ['unknown sage kind', { ...valid, sage: { kind: 'oracle' } }, /sage/],
    ['unknown top-level key', { ...valid, sqlPassword: 'x' }, /sqlPassword|unrecognized/i],
    ['bad apiBase', { ...valid, stripe: { apiBase: 'not a url' } }, /apiBase/],
    ['negative backfill', { ...valid, sync: { backfillDays: -3 } }, /backfillDays/],
    ['company id too long', { ...valid, companyId: 'ABCD' }, /companyId/],
    ['mapping with unknown time zone', { ...valid, mapping: { timeZone: 'Mars/Olympus' } }, /timeZone/],
    ['mapping with a wrong type', { ...valid, mapping: { accounts: 42 } }, /accounts/],
    ['live key in the file', { ...valid, stripe: { apiKey: 'sk_live_' + 'a'.repeat(24) } }, /live Stripe key/],
  ];
  it.each(cases)('refuses %s with a ConfigError naming the problem', (_name, json, message) => {
    let thrown: unknown;
    try {
      parseConfig(json, '/tmp');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('a'.repeat(24));
  });

  it('never throws anything but ConfigError on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseConfig(json, '/tmp');
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('transformation functions under fuzzing', () => {
  const currency = fc.oneof(
    fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'kwd', 'bhd', 'isk', 'huf', 'twd', 'USD'),
    fc.string({ maxLength: 5 }),
  );

  it('money conversion throws only AmountError / UnknownCurrencyError and round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.integer(), fc.double(), fc.bigInt()), currency, (amount, code) => {
        let converted: bigint;
        try {
          converted = fromStripeMinor(amount, code as string);
        } catch (error) {
          if (error instanceof AmountError || error instanceof UnknownCurrencyError) return;
          throw error;
        }
        expect(converted <= SAGE_AMOUNT_LIMIT && converted >= -SAGE_AMOUNT_LIMIT).toBe(true);
        expect(toStripeMinor(converted, code as string)).toBe(BigInt(amount as number | bigint));
      }),
      { numRuns: 2000 },
    );
  });

  it('business dates throw only RangeError / TimeZoneError and are valid calendar dates', () => {
    const zone = fc.oneof(fc.constantFrom('America/Chicago', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC', 'Asia/Kolkata'), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -8_000_000_000, max: 8_000_000_000 }), fc.double()), zone, (seconds, timeZone) => {
        try {
          const date = businessDate(seconds, timeZone);
          if (seconds >= 0 && seconds < 250_000_000_000) expect(isBusinessDate(date), `${seconds} ${timeZone} → ${date}`).toBe(true);
        } catch (error) {
          if (error instanceof RangeError || error instanceof TimeZoneError) return;
          throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('address split never throws, respects Sage lengths and reports what does not fit', () => {
    const text = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 120 }), fc.constant(null));
    fc.assert(
      fc.property(
        fc.option(fc.record({ line1: text, line2: text, city: text, state: text, postal_code: text, country: text }), { nil: null }),
        (address) => {
          const { fields, problems } = splitAddress(address as never);
          expect(fields.addrLines.length).toBeLessThanOrEqual(SAGE_ADDRESS_LIMITS.addrLines);
          for (const line of fields.addrLines) expect([...line].length).toBeLessThanOrEqual(SAGE_ADDRESS_LIMITS.addrLine);
          if (fields.city) expect([...fields.city].length).toBeLessThanOrEqual(SAGE_ADDRESS_LIMITS.city);
          if (fields.postalCode) expect([...fields.postalCode].length).toBeLessThanOrEqual(SAGE_ADDRESS_LIMITS.postalCode);
          // Nothing is dropped silently: non-blank input that did not land in a field is reported.
          const cityGiven = Boolean(address?.city?.trim());
          if (cityGiven && fields.city === null) expect(problems.some((p) => p.field === 'City')).toBe(true);
          const words = [address?.line1, address?.line2].join(' ').split(/\s+/).filter(Boolean).join('');
          const kept = fields.addrLines.join(' ').split(/\s+/).filter(Boolean).join('');
          if (kept !== words) expect(problems.some((p) => p.field === 'AddrLine5'), JSON.stringify(address)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('CustID is deterministic, 12 characters, upper-case base 36, for any Stripe id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.stringMatching(/^[A-Z]{0,4}$/), (id, prefix) => {
        const custId = sageCustIdFor(id, prefix);
        expect(custId).toBe(sageCustIdFor(id, prefix));
        expect(custId).toHaveLength(12);
        expect(custId.startsWith(prefix)).toBe(true);
        expect(custId.slice(prefix.length)).toMatch(/^[0-9A-Z]+$/);
      }),
      { numRuns: 1000 },
    );
  });
});
