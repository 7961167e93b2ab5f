import { describe, expect, it } from 'vitest';
import { sageCustIdFor } from '../../main/core/customers/customer-id.js';
import { planCustomer } from '../../main/core/customers/customer-plan.js';
import { SAGE_ADDRESS_LIMITS, splitAddress, wrap } from '../../main/core/customers/sage-address.js';
import { planningError } from './fixtures/planning-error.js';
import { customer, mapping } from './fixtures/stripe.js';

const M = mapping();
const PARK = { ...M, customers: { ...M.customers, longText: 'park' as const } };
const CUS = 'cus_QxR2mN8vT4kLp1';
const create = { kind: 'create' as const, custId: sageCustIdFor(CUS, 'S') };


describe('address wrapping', () => {
  it('keeps short lines as they are', () => {
    const { fields, problems } = splitAddress(customer({ id: CUS }).address);
    expect(problems).toEqual([]);
    expect(fields).toEqual({ addrLines: ['233 S Wacker Dr', 'Suite 4400'], city: 'Chicago', stateId: 'IL', postalCode: '60606', countryId: 'US' });
  });

  it('wraps a long line at word boundaries into lines of at most 40 characters', () => {
    const line1 = 'Attn: Accounts Payable Department, Building 7, 1600 Amphitheatre Parkway North';
    const { fields, problems } = splitAddress({ line1, line2: null, city: 'Mountain View', state: 'CA', postal_code: '94043', country: 'US' });
    expect(problems).toEqual([]);
    expect(fields.addrLines).toEqual(['Attn: Accounts Payable Department,', 'Building 7, 1600 Amphitheatre Parkway', 'North']);
    for (const line of fields.addrLines) expect(line.length).toBeLessThanOrEqual(40);
    expect(fields.addrLines.join(' ')).toBe(line1);
  });

  it('breaks a word longer than a line and never emits empty lines', () => {
    expect(wrap('x'.repeat(85), 40)).toEqual(['x'.repeat(40), 'x'.repeat(40), 'x'.repeat(5)]);
    expect(wrap('ab ' + 'y'.repeat(40), 40)).toEqual(['ab', 'y'.repeat(40)]);
    expect(wrap('a'.repeat(40), 40)).toEqual(['a'.repeat(40)]);
    expect(wrap('one  two\tthree', 40)).toEqual(['one two three']);
  });

  it('uses up to five lines and reports what does not fit rather than truncating silently', () => {
    const word = 'Lorem ipsum dolor sit amet consectetur adipiscing';
    const fiveLines = splitAddress({ line1: `${word} ${word} ${word}`, line2: 'Floor 12', city: null, state: null, postal_code: null, country: null });
    expect(fiveLines.fields.addrLines.length).toBeLessThanOrEqual(5);
    const tooLong = splitAddress({ line1: Array.from({ length: 6 }, () => word).join(' '), line2: null, city: null, state: null, postal_code: null, country: null });
    expect(tooLong.fields.addrLines).toHaveLength(SAGE_ADDRESS_LIMITS.addrLines);
    expect(tooLong.problems).toEqual([{ field: 'AddrLine5', message: expect.stringMatching(/^address needs \d+ lines of 40 characters; Sage has 5$/) as unknown as string }]);
  });

  it('treats a missing address and blank parts as empty', () => {
    expect(splitAddress(null)).toEqual({ fields: { addrLines: [], city: null, stateId: null, postalCode: null, countryId: null }, problems: [] });
    expect(splitAddress({ line1: '  ', line2: '', city: ' ', state: null, postal_code: null, country: null }).fields.addrLines).toEqual([]);
  });
});

describe('planCustomer', () => {
  it('plans a customer document with Sage fields', () => {
    expect(planCustomer(customer({ id: CUS }), create, M)).toEqual([
      {
        type: 'customer',
        key: `${CUS}:customer`,
        stripeObjectId: CUS,
        custId: create.custId,
        custName: 'Ada Lovelace',
        custClassId: 'RETAIL',
        addrLines: ['233 S Wacker Dr', 'Suite 4400'],
        city: 'Chicago',
        stateId: 'IL',
        postalCode: '60606',
        countryId: 'US',
        contactName: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+1 312 555 0100',
      },
    ]);
  });

  it('in strict mode (longText "park") reports a too-long city and state as a data PlanningError naming the Sage fields', () => {
    const long = customer({
      id: CUS,
      address: { line1: '1 Main St', line2: null, city: 'Llanfairpwllgwyngyllgogerychwyrndrobwll', state: 'Queensland', postal_code: '4000', country: 'AU' },
    });
    const error = planningError(() => planCustomer(long, create, PARK));
    expect(error.errorClass).toBe('data');
    expect(error.message).toContain(`customer ${CUS} does not fit Sage`);
    expect(error.message).toContain("longer than Sage's 20 characters for City");
    expect(error.message).toContain("longer than Sage's 3 characters for StateID");
  });

  it('in strict mode reports too many address lines, a long phone and a long name together', () => {
    const word = 'Lorem ipsum dolor sit amet consectetur adipiscing';
    const error = planningError(() =>
      planCustomer(
        customer({
          id: CUS,
          name: 'A'.repeat(41),
          phone: '+1 (312) 555-0100 ext. 4400',
          address: { line1: Array.from({ length: 6 }, () => word).join(' '), line2: null, city: 'Chicago', state: 'IL', postal_code: '60606', country: 'US' },
        }),
        create,
        PARK,
      ),
    );
    expect(error.message).toMatch(/Sage has 5/);
    expect(error.message).toMatch(/17 characters for Phone/);
    expect(error.message).toMatch(/40 characters for CustName/);
  });

  it('keeps names Sage\'s code page holds intact and counts characters', () => {
    const name = 'Zoë Ångström-Øster';
    const [doc] = planCustomer(customer({ id: CUS, name }), create, M);
    expect(doc?.custName).toBe(name);
    // Text outside code page 1252 (CJK, emoji) is reported, never sent as '?' (code-page-text.test.ts).
    const forty = 'É'.repeat(40);
    expect(planCustomer(customer({ id: CUS, name: forty }), create, M)[0]?.custName).toBe(forty);
    expect(() => planCustomer(customer({ id: CUS, name: forty + 'x' }), create, PARK)).toThrow(/CustName/);
    expect(planCustomer(customer({ id: CUS, name: forty + ' x' }), create, M)[0]?.custName).toBe(forty);
    const addr = wrap('Straße '.repeat(12).trim(), 40);
    expect(addr.every((line) => [...line].length <= 40)).toBe(true);
  });

  it('falls back to the e-mail, then the Stripe id, for the customer name', () => {
    expect(planCustomer(customer({ id: CUS, name: null }), create, M)[0]?.custName).toBe('ada@example.com');
    expect(planCustomer(customer({ id: CUS, name: '  ', email: null }), create, M)[0]?.custName).toBe(CUS);
  });

  it.each([
    ['metadata', { kind: 'existing' as const, custId: 'ACME01', matchedBy: 'metadata' as const }],
    ['email', { kind: 'existing' as const, custId: 'ACME01', matchedBy: 'email' as const }],
  ])('an existing customer (matched by %s) plans nothing', (_by, resolution) => {
    expect(planCustomer(customer({ id: CUS }), resolution, M)).toEqual([]);
  });

  it('a deleted customer plans nothing', () => {
    expect(planCustomer(customer({ id: CUS, deleted: true }), create, M)).toEqual([]);
  });
});

describe('sageCustIdFor', () => {
  it('is deterministic, at most 12 characters, starts with the prefix and uses Sage-safe characters', () => {
    for (const prefix of ['S', 'ST', 'STR', 'WEB1']) {
      for (const id of [CUS, 'cus_A', 'cus_' + 'z'.repeat(40), 'cus_Ünïcødé']) {
        const custId = sageCustIdFor(id, prefix);
        expect(custId).toBe(sageCustIdFor(id, prefix));
        expect(custId.length).toBeLessThanOrEqual(12);
        expect(custId.startsWith(prefix)).toBe(true);
        expect(custId).toMatch(/^[A-Z0-9]{1,12}$/);
      }
    }
  });

  it('different Stripe customers get different CustIDs', () => {
    const ids = Array.from({ length: 2_000 }, (_, n) => sageCustIdFor(`cus_Q${n.toString(36).padStart(13, '0')}`, 'S'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(sageCustIdFor('cus_a', 'S')).not.toBe(sageCustIdFor('cus_A', 'S'));
  });
});
