import { describe, expect, it } from 'vitest';
import { sageCustIdFor } from '../../main/core/customers/customer-id.js';
import { planCustomer } from '../../main/core/customers/customer-plan.js';
import { shortenAtWordBoundary } from '../../main/core/customers/shorten-text.js';
import { customer, mapping } from './fixtures/stripe.js';

/**
 * Long customer text in fit mode (the default): the customer is written, every column holds
 * at most Sage's length (tciAddress/tarCustomer/tciContact: names and lines 40, City 20,
 * StateID 3, PostalCode 10, Phone 17), the full text survives on the address lines where a
 * line is free, and each change is a note on the document. Expected values are written out
 * by hand from the Sage column lengths, not computed with the code under test.
 */
const M = mapping();
const CUS = 'cus_LongText0001';
const create = { kind: 'create' as const, custId: sageCustIdFor(CUS, 'S') };

function plan(fields: Omit<Parameters<typeof customer>[0], 'id'>) {
  const [document] = planCustomer(customer({ ...fields, id: CUS }), create, M);
  if (!document) throw new Error('no customer document');
  return document;
}

describe('shortenAtWordBoundary', () => {
  it('cuts at the last whole word and drops a dangling connector', () => {
    expect(shortenAtWordBoundary('Great Lakes Paddle & Portage Wholesale Distribution Company', 40)).toEqual({
      kept: 'Great Lakes Paddle & Portage Wholesale',
      rest: 'Distribution Company',
    });
    expect(shortenAtWordBoundary('Alpha Beta & Gamma', 12)).toEqual({ kept: 'Alpha Beta', rest: '& Gamma' });
  });

  it('cuts a single word longer than the limit at the limit', () => {
    expect(shortenAtWordBoundary('Llanfairpwllgwyngyllgogerychwyrndrobwll', 20)).toEqual({
      kept: 'Llanfairpwllgwyngyll',
      rest: 'gogerychwyrndrobwll',
    });
  });

  it('leaves text that fits alone and counts characters, not UTF-16 units', () => {
    const forty = 'É'.repeat(39) + '🚀';
    expect(shortenAtWordBoundary(forty, 40)).toEqual({ kept: forty, rest: '' });
  });
});

describe('customers with long text are written, fitted, with a note', () => {
  it('a company name over 40 characters: shortened at a word, the rest on address line 1', () => {
    const document = plan({ name: 'Great Lakes Paddle & Portage Wholesale Distribution Company' });
    expect(document.custName).toBe('Great Lakes Paddle & Portage Wholesale');
    expect(document.contactName).toBe('Great Lakes Paddle & Portage Wholesale');
    expect(document.addrLines).toEqual(['Distribution Company', '233 S Wacker Dr', 'Suite 4400']);
    expect(document.notes).toEqual([
      'Sage customer name shortened to "Great Lakes Paddle & Portage Wholesale" (40 characters); the full name is "Great Lakes Paddle & Portage Wholesale Distribution Company"',
      'the rest of the name ("Distribution Company") is on address line 1',
      'contact name shortened to "Great Lakes Paddle & Portage Wholesale" (40 characters)',
    ]);
  });

  it('a city over 20 characters and a state name: City shortened, StateID empty, the whole locality on an address line', () => {
    const document = plan({
      address: { line1: '1 Main St', line2: null, city: 'Llanfairpwllgwyngyllgogerychwyrndrobwll', state: 'Gwynedd', postal_code: 'LL61 5UJ', country: 'GB' },
    });
    expect(document.city).toBe('Llanfairpwllgwyngyll');
    expect(document.stateId).toBeNull();
    expect(document.postalCode).toBe('LL61 5UJ');
    expect(document.countryId).toBe('GB');
    expect(document.addrLines).toEqual(['1 Main St', 'Llanfairpwllgwyngyllgogerychwyrndrobwll', 'Gwynedd LL61 5UJ']);
    expect(document.notes).toEqual([
      'City shortened to "Llanfairpwllgwyngyll" (20 characters)',
      '"Gwynedd" is too long for StateID (3 characters); StateID left empty',
      'the full "Llanfairpwllgwyngyllgogerychwyrndrobwll Gwynedd LL61 5UJ" is on address line 2',
    ]);
  });

  it('a city of two words is shortened at the word', () => {
    const document = plan({ address: { line1: '22 Avenida Vista', line2: null, city: 'Rancho Santa Margarita', state: 'CA', postal_code: '92688', country: 'US' } });
    expect(document.city).toBe('Rancho Santa');
    expect(document.stateId).toBe('CA');
    expect(document.addrLines).toEqual(['22 Avenida Vista', 'Rancho Santa Margarita CA 92688']);
  });

  it('a long phone number is written without punctuation', () => {
    const document = plan({ phone: '+1 (312) 555-0100 ext. 4400' });
    expect(document.phone).toBe('+131255501004400');
    expect(document.notes).toEqual(['phone "+1 (312) 555-0100 ext. 4400" written as "+131255501004400" (Sage has 17 characters)']);
  });

  it('street text beyond five lines is shortened on the fifth line, with the text left out in the note', () => {
    const word = 'Lorem ipsum dolor sit amet consectetur adipiscing';
    const line1 = Array.from({ length: 6 }, () => word).join(' ');
    const document = plan({ address: { line1, line2: null, city: 'Chicago', state: 'IL', postal_code: '60606', country: 'US' } });
    expect(document.addrLines).toHaveLength(5);
    for (const line of document.addrLines) expect([...line].length).toBeLessThanOrEqual(40);
    // Nothing is lost between Sage and the note: the five lines, then the text the note quotes, are the street.
    const note = document.notes?.[0] ?? '';
    const leftOut = /the end was left out: "(.*)"$/.exec(note)?.[1] ?? '';
    expect(note.startsWith('the street address needs more than 5 lines of 40 characters')).toBe(true);
    expect(leftOut.length).toBeGreaterThan(0);
    expect(`${document.addrLines.join(' ')} ${leftOut}`).toBe(line1);
  });

  it('the name continuation gives way when the street needs every line', () => {
    const document = plan({
      name: 'Great Lakes Paddle & Portage Wholesale Distribution Company',
      address: { line1: 'a'.repeat(40) + ' ' + 'b'.repeat(40) + ' ' + 'c'.repeat(40) + ' ' + 'd'.repeat(40), line2: 'Suite 1', city: 'Chicago', state: 'IL', postal_code: '60606', country: 'US' },
    });
    expect(document.addrLines).toEqual(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(40), 'Suite 1']);
    expect(document.notes?.[0]).toContain('the full name is "Great Lakes Paddle & Portage Wholesale Distribution Company"');
  });

  it('text that fits gets no notes and is unchanged', () => {
    expect(plan({}).notes).toBeUndefined();
  });

  it('an e-mail address over 256 characters still parks the customer: it is how customers are matched', () => {
    expect(() => plan({ email: `${'x'.repeat(250)}@example.com` })).toThrow(/EMailAddr/);
  });
});
