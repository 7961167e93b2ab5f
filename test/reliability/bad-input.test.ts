import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../main/adapters/config/config-file.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { sageCustIdFor } from '../../main/core/customers/customer-id.js';
import { SAGE_ADDRESS_LIMITS, splitAddress } from '../../main/core/customers/sage-address.js';
import { UnknownCurrencyError } from '../../main/core/money/currency.js';
import { AmountError, fromStripeMinor, toStripeMinor } from '../../main/core/money/sage-amount.js';
import { businessDate, TimeZoneError } from '../../main/core/time/business-date.js';
import { booksDifference, sageBooks, type SageBooks } from './sage-books.js';
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
  let referenceBooks: SageBooks;
  const mutated = new Map<string, string>();
  /**
   * The outcome each damaged record must get. Journals come from the balance transaction
   * (Stripe's ledger), so damage to a charge's or refund's own amount or time leaves its
   * journal exactly as in the undamaged run; damage to what the plan does use parks the
   * record with an error naming the problem.
   */
  type Outcome = { booked: 'as in the undamaged run' | 'customer without an address' } | { parked: RegExp };
  const expected = new Map<string, Outcome>();

  beforeAll(async () => {
    const referenceSim = await startStripeSimulator({ seed: SEED, days: DAYS });
    try {
      const workspace = newWorkspace('bad-ref', referenceSim);
      await runInProcess(referenceSim, workspace, { backfillDays: DAYS + 5 });
      referenceKeys = sageSnapshot(workspace.sandboxPath).docKeys;
      referenceBooks = sageBooks(workspace.sandboxPath);
    } finally {
      await referenceSim.close();
    }
    simulator = await startStripeSimulator({ seed: SEED, days: DAYS });
    const charges = simulator.objects('charge').filter((charge) => charge.status === 'succeeded' && charge.balance_transaction);
    const customers = simulator.objects('customer');
    const invoices = simulator.objects('invoice').filter((invoice) => invoice.status === 'paid');
    const refunds = simulator.objects('refund');
    const edit = <T extends object>(object: T & { id: string }, what: string, outcome: Outcome, change: (raw: Record<string, unknown>) => void): void => {
      change(object as unknown as Record<string, unknown>);
      mutated.set(object.id, what);
      expected.set(object.id, outcome);
    };
    const asBefore: Outcome = { booked: 'as in the undamaged run' };
    edit(charges[3]!, 'missing amount', asBefore, (raw) => delete raw.amount);
    edit(charges[5]!, 'unknown currency', { parked: /^data: "zzzz" is not a currency code Stripe uses/ }, (raw) => (raw.currency = 'zzzz'));
    edit(charges[7]!, 'negative amount', asBefore, (raw) => (raw.amount = -500));
    edit(charges[9]!, 'zero amount', asBefore, (raw) => (raw.amount = 0));
    edit(charges[11]!, 'amount as text', asBefore, (raw) => (raw.amount = '12.00'));
    edit(charges[15]!, 'created missing', asBefore, (raw) => delete raw.created);
    edit(customers[2]!, 'huge unicode name', { parked: /^data: customer cus_\w+ has text Sage's varchar columns \(code page 1252\) cannot hold: CustName / }, (raw) => (raw.name = '名前🚀'.repeat(20_000)));
    edit(customers[4]!, 'address of the wrong type', { booked: 'customer without an address' }, (raw) => (raw.address = 'Hauptstraße 1, 10115 Berlin'));
    edit(customers[6]!, 'email of the wrong type', { parked: /^data: Stripe customer cus_\w+ has an email that is not text \(\{"nested":true\}\); correct it in Stripe$/ }, (raw) => (raw.email = { nested: true }));
    // Older API shapes: invoice.charge present with the lines list emptied, or no lines at all.
    if (invoices[1]) edit(invoices[1], 'older API shape: invoice.charge, empty lines', { parked: /^data: invoice in_\w+: its lines, shipping and tax add up to 0\.000 USD but its total is / }, (raw) => {
      raw.charge = 'ch_legacy';
      raw.lines = { object: 'list', data: [], has_more: false, url: '/v1/invoices/x/lines' };
    });
    if (invoices[2]) edit(invoices[2], 'older API shape: no lines list', { parked: /^data: invoice in_\w+ has no list of lines/ }, (raw) => {
      raw.charge = 'ch_legacy';
      delete raw.lines;
    });
    if (refunds[0]) edit(refunds[0], 'refund amount null', asBefore, (raw) => (raw.amount = null));
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
    const books = sageBooks(workspace.sandboxPath);
    // The address Stripe sent is not an object, so none of it is used: the address row has
    // empty lines (tciAddress holds '' where the customer has no street) and no city or country.
    const customerWithoutAddress = (content: string): string =>
      JSON.stringify({ ...JSON.parse(content), AddrLine1: '', AddrLine2: '', City: null, StateID: null, PostalCode: null, CountryID: null });
    for (const [id, what] of mutated) {
      const outcome = expected.get(id)!;
      const error = issues.get(id) ?? failedDocs.get(id);
      const ofRecord = (source: SageBooks): [string, string][] => [...source].filter(([key]) => key.startsWith(`${id}:`)).sort();
      if ('parked' in outcome) {
        expect(error, `${id} (${what})`).toMatch(outcome.parked);
        expect(ofRecord(books), `${id} (${what}) must not be in Sage`).toEqual([]);
      } else {
        expect(error, `${id} (${what})`).toBeUndefined();
        const want = ofRecord(referenceBooks);
        expect(want.length, `${id} (${what}) is in the undamaged books`).toBeGreaterThan(0);
        const wanted = outcome.booked === 'as in the undamaged run' ? want : want.map(([key, content]): [string, string] => [key, customerWithoutAddress(content)]);
        expect(ofRecord(books), `${id} (${what})`).toEqual(wanted);
      }
    }

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
    // And what is there is booked row by row as in the undamaged run.
    expect(booksDifference(referenceBooks, books, (key) => gotKeys.has(key) && ![...mutated.keys()].some((id) => key.includes(id)))).toEqual([]);
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

  /**
   * The outcome each input must get, worked out here without the production helpers:
   * decimals of the API amount from Stripe's currency page (https://docs.stripe.com/currencies:
   * zero-decimal and three-decimal lists; every other code two), scaled to Sage thousandths.
   */
  const STRIPE_DOCS_ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
  const STRIPE_DOCS_THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];
  type Expected = { thousandths: bigint } | { error: 'AmountError' | 'UnknownCurrencyError' };
  function expectedConversion(amount: unknown, code: unknown): Expected {
    const whole = typeof amount === 'bigint' || (typeof amount === 'number' && Number.isSafeInteger(amount));
    if (!whole) return { error: 'AmountError' }; // the amount is checked before the currency
    if (typeof code !== 'string' || !/^[a-z]{3}$/.test(code.toLowerCase())) return { error: 'UnknownCurrencyError' };
    const lower = code.toLowerCase();
    const decimals = STRIPE_DOCS_ZERO_DECIMAL.includes(lower) ? 0 : STRIPE_DOCS_THREE_DECIMAL.includes(lower) ? 3 : 2;
    const thousandths = BigInt(amount as number | bigint) * [1000n, 100n, 10n, 1n][decimals]!;
    const sageLimit = 999_999_999_999_999n; // decimal(15,3)
    if (thousandths > sageLimit || thousandths < -sageLimit) return { error: 'AmountError' };
    return { thousandths };
  }

  it('money conversion gives each input its expected thousandths or its expected error, and round-trips', () => {
    const amount = fc.oneof(
      fc.anything(),
      fc.integer(),
      fc.double(),
      fc.bigInt(),
      fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
      fc.constantFrom(999_999_999_999n, 1_000_000_000_000n, 999_999_999_999_999n, 1_000_000_000_000_000n, -1_000_000_000_000n),
    );
    fc.assert(
      fc.property(amount, currency, (amount, code) => {
        const expected = expectedConversion(amount, code);
        let got: Expected;
        try {
          got = { thousandths: fromStripeMinor(amount, code as string) };
        } catch (error) {
          if (!(error instanceof AmountError || error instanceof UnknownCurrencyError)) throw error;
          got = { error: error.name as 'AmountError' | 'UnknownCurrencyError' };
        }
        expect(got, fc.stringify([amount, code])).toEqual(expected);
        if ('thousandths' in got) expect(toStripeMinor(got.thousandths, code as string)).toBe(BigInt(amount as number | bigint));
      }),
      { numRuns: 3000 },
    );
  });

  it('money conversion: one hand-worked case per currency class', () => {
    expect(fromStripeMinor(1_234, 'usd')).toBe(12_340n); // 12.34 USD
    expect(fromStripeMinor(1_234, 'jpy')).toBe(1_234_000n); // ¥1,234
    expect(fromStripeMinor(1_230, 'kwd')).toBe(1_230n); // 1.230 KWD
    expect(fromStripeMinor(1_230, 'KWD')).toBe(1_230n);
    expect(fromStripeMinor(1_234, 'isk')).toBe(12_340n); // two decimals in the API
  });

  /**
   * The local date each input must get, worked out by hand: fixed offsets for zones without
   * daylight saving, and for Chicago the US rule since 2007 (CST −6 h; CDT −5 h from the second
   * Sunday of March 02:00 CST to the first Sunday of November 02:00 CDT).
   */
  const FIXED_OFFSET_HOURS: Record<string, number> = { UTC: 0, 'Asia/Kolkata': 5.5, 'Pacific/Kiritimati': 14, 'Pacific/Pago_Pago': -11 };
  function nthSundayUtc(year: number, month: number, nth: number): number {
    const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return Date.UTC(year, month, 1 + ((7 - firstWeekday) % 7) + 7 * (nth - 1));
  }
  function expectedDate(seconds: number, timeZone: string): string {
    const ms = Math.trunc(seconds) * 1000;
    let offsetHours = FIXED_OFFSET_HOURS[timeZone];
    if (offsetHours === undefined) {
      const year = new Date(ms).getUTCFullYear();
      const dstStarts = nthSundayUtc(year, 2, 2) + 8 * 3_600_000; // 02:00 CST = 08:00 UTC
      const dstEnds = nthSundayUtc(year, 10, 1) + 7 * 3_600_000; // 02:00 CDT = 07:00 UTC
      offsetHours = ms >= dstStarts && ms < dstEnds ? -5 : -6;
    }
    return new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 10);
  }
  const since2007 = Date.UTC(2007, 0, 2) / 1000;
  const before2100 = Date.UTC(2099, 11, 30) / 1000;

  it('business dates: each Unix time gets its hand-worked local date', () => {
    const zone = fc.constantFrom('America/Chicago', ...Object.keys(FIXED_OFFSET_HOURS));
    const nearDstChange = fc.integer({ min: 2007, max: 2099 }).chain((year) =>
      fc.integer({ min: -7_200, max: 7_200 }).map((delta) => [nthSundayUtc(year, 2, 2) / 1000 + 8 * 3_600 + delta, nthSundayUtc(year, 10, 1) / 1000 + 7 * 3_600 + delta]),
    );
    const seconds = fc.oneof(fc.integer({ min: since2007, max: before2100 }), nearDstChange.chain((pair) => fc.constantFrom(...pair)));
    fc.assert(
      fc.property(seconds, zone, (at, timeZone) => {
        expect(businessDate(at, timeZone), `${at} ${timeZone}`).toBe(expectedDate(at, timeZone));
      }),
      { numRuns: 3000 },
    );
    // Hand-checked: 2026-03-11 04:30 UTC is 23:30 on the 10th in Chicago (CST), and the
    // local midnight of 9 March 2026 (CDT since the 8th) is 05:00 UTC; Kiritimati is UTC+14.
    expect(businessDate(Date.parse('2026-03-11T04:30:00Z') / 1000, 'America/Chicago')).toBe('2026-03-10');
    expect(businessDate(Date.parse('2026-03-09T04:59:59Z') / 1000, 'America/Chicago')).toBe('2026-03-08');
    expect(businessDate(Date.parse('2026-03-09T05:00:00Z') / 1000, 'America/Chicago')).toBe('2026-03-09');
    expect(businessDate(Date.parse('2026-03-09T05:00:00Z') / 1000, 'Pacific/Kiritimati')).toBe('2026-03-09');
    expect(businessDate(Date.parse('2026-03-09T10:00:00Z') / 1000, 'Pacific/Kiritimati')).toBe('2026-03-10');
  });

  it('business dates: a time that is not a number Date can hold is a RangeError, an unknown zone a TimeZoneError', () => {
    const notATime = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc.double({ min: 8.64e12 + 1, noNaN: true, noDefaultInfinity: true }),
      fc.double({ max: -8.64e12 - 1, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(notATime, fc.constantFrom('UTC', 'America/Chicago', 'Asia/Kolkata'), (at, timeZone) => {
        expect(() => businessDate(at, timeZone)).toThrow(RangeError);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.string({ maxLength: 20 }), (at, name) => {
        expect(() => businessDate(at, `Mars/${name}`)).toThrow(TimeZoneError);
      }),
      { numRuns: 300 },
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
