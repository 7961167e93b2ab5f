import { describe, expect, it } from 'vitest';
import { customerDocument } from '../../main/core/customers/customer-plan.js';
import { NO_UNICODE_FIELDS, transliterate } from '../../main/core/customers/code-page-text.js';
import { planningError } from './fixtures/planning-error.js';
import { customer, mapping } from './fixtures/stripe.js';

const M = mapping();

describe('customer text in Sage\'s varchar code page (1252)', () => {
  it('keeps what code page 1252 holds and transliterates the rest, never to "?"', () => {
    expect(transliterate('Müller & Söhne, Ørsted, Œuvre')).toBe('Müller & Söhne, Ørsted, Œuvre');
    expect(transliterate('Łódź')).toBe('Lódz');
    expect(transliterate('Gęślą Jaźń')).toBe('Gesla Jazn');
    expect(transliterate('Nguyễn Đức')).toBe('Nguyen Duc');
    expect(transliterate('東京')).toBeNull();
  });

  it('plans the transliterated text with a note on the record for each changed field', () => {
    const document = customerDocument(
      customer({ id: 'cus_Pl1', name: 'Zażółć Gęślą', address: { line1: 'ul. Świętokrzyska 1', line2: null, city: 'Łódź', state: null, postal_code: '90-001', country: 'PL' } }),
      'S000100',
      M,
      NO_UNICODE_FIELDS,
    );
    expect(document).toMatchObject({ custName: 'Zazólc Gesla', addrLines: ['ul. Swietokrzyska 1'], city: 'Lódz' });
    expect(document.notes).toEqual([
      'AddrLine1 "ul. Świętokrzyska 1" written as "ul. Swietokrzyska 1" (Sage\'s varchar text is code page 1252)',
      'CustName "Zażółć Gęślą" written as "Zazólc Gesla" (Sage\'s varchar text is code page 1252)',
      'City "Łódź" written as "Lódz" (Sage\'s varchar text is code page 1252)',
      'Name "Zażółć Gęślą" written as "Zazólc Gesla" (Sage\'s varchar text is code page 1252)',
    ]);
  });

  it('reports text with nothing to transliterate to instead of writing "?"', () => {
    const error = planningError(() => customerDocument(customer({ id: 'cus_Jp1', name: '山田太郎' }), 'S000101', M, NO_UNICODE_FIELDS));
    expect(error.errorClass).toBe('data');
    expect(error.message).toContain('CustName "山田太郎"');
  });

  it('keeps the text of a field the site declares nvarchar as is, without a note, and still transliterates the others', () => {
    const document = customerDocument(
      customer({ id: 'cus_Pl2', name: '山田 Łódź', address: { line1: 'ul. Świętokrzyska 1', line2: null, city: 'Łódź', state: null, postal_code: '90-001', country: 'PL' } }),
      'S000102',
      M,
      new Set(['CustName', 'Name']),
    );
    expect(document).toMatchObject({ custName: '山田 Łódź', contactName: '山田 Łódź', addrLines: ['ul. Swietokrzyska 1'], city: 'Lódz' });
    expect(document.notes).toEqual([
      'AddrLine1 "ul. Świętokrzyska 1" written as "ul. Swietokrzyska 1" (Sage\'s varchar text is code page 1252)',
      'City "Łódź" written as "Lódz" (Sage\'s varchar text is code page 1252)',
    ]);
  });
});
