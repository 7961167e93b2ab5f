import { describe, expect, it } from 'vitest';
import { mappedAccounts, validateMapping } from '../../main/core/mapping/mapping.js';
import { mapping } from './fixtures/stripe.js';

function problems(rules: unknown): string[] {
  const check = validateMapping({ ...mapping(), rules });
  return check.ok ? [] : check.problems.map((problem) => `${problem.path}: ${problem.message}`);
}

const revenueTo = (account: string) => ({ action: 'account', role: 'revenue', account });
const eur = { field: 'presentmentCurrency', in: ['eur'] };

describe('rules validation, in plain words', () => {
  it('accepts a sound rule list', () => {
    expect(problems([{ name: 'EU', when: [eur], then: [revenueTo('4030-00')] }])).toEqual([]);
  });

  it('names an unknown key and the key meant, inside a rule', () => {
    expect(problems([{ name: 'EU', when: [eur], then: [{ action: 'account', role: 'revenue', acount: '4030-00' }] }])).toContain(
      'rules.0.then.0.acount: unknown key "acount"; did you mean "account"?',
    );
  });

  it('refuses a rule that can never match', () => {
    expect(problems([{ name: 'Brand of a customer', when: [{ field: 'objectKind', in: ['customer'] }, { field: 'cardBrand', in: ['visa'] }], then: [revenueTo('4030-00')] }]).join('\n')).toMatch(
      /rules\.0\.when: rule "Brand of a customer" can never match/,
    );
    expect(problems([{ name: 'Two values', when: [{ field: 'metadata', on: 'charge', key: 'd', op: 'equals', value: 'a' }, { field: 'metadata', on: 'charge', key: 'd', op: 'equals', value: 'b' }], then: [revenueTo('4030-00')] }]).join('\n')).toMatch(
      /equal both "a" and "b"/,
    );
    expect(problems([{ name: 'Empty range', when: [{ field: 'amount', atLeast: '100', below: '100' }], then: [revenueTo('4030-00')] }]).join('\n')).toMatch(/can never match/);
  });

  it('refuses an action that can never apply to what the rule matches', () => {
    expect(problems([{ name: 'Class for charges', when: [{ field: 'objectKind', in: ['charge'] }], then: [{ action: 'customer', custClassId: 'EU' }] }]).join('\n')).toMatch(
      /only applies to customers, and the rule matches only charges/,
    );
  });

  it('refuses a rule on the clearing or bank account', () => {
    expect(problems([{ name: 'Bad', when: [eur], then: [revenueTo('1050-00')] }]).join('\n')).toMatch(/1050-00 is the Stripe clearing account/);
    expect(problems([{ name: 'Bad skip', when: [eur], then: [{ action: 'skip', account: '1010-00' }] }]).join('\n')).toMatch(/1010-00 is the bank account/);
  });

  it('refuses a segment the accounts do not have or of the wrong length', () => {
    const segment = (segment: number, value: string) => ({ action: 'segment', roles: ['revenue'], segment, from: { on: 'charge', key: 'division' }, values: { west: value }, default: '00' });
    expect(problems([{ name: 'Third', when: [], then: [segment(3, '20')] }]).join('\n')).toMatch(/account 4000-00 \(revenue\) has no segment 3/);
    expect(problems([{ name: 'Long', when: [], then: [segment(2, '200')] }]).join('\n')).toMatch(/"200" is not as long as segment 2 of 4000-00/);
  });

  it('reports two rules that conflict and a rule below a skip', () => {
    expect(problems([{ name: 'A', when: [eur], then: [revenueTo('4030-00')] }, { name: 'B', when: [eur], then: [revenueTo('4040-00')] }]).join('\n')).toMatch(
      /rules "A" and "B" conflict: both match the same objects and set the revenue account \(to 4030-00 and 4040-00\)/,
    );
    expect(problems([{ name: 'Skip EUR', when: [eur], then: [{ action: 'skip' }] }, { name: 'Later', when: [eur], then: [revenueTo('4040-00')] }]).join('\n')).toMatch(/rule "Later" is never reached/);
    // Different conditions are the documented specific-then-general pattern, not a conflict.
    expect(problems([{ name: 'EUR', when: [eur], then: [revenueTo('4030-00')] }, { name: 'All', when: [], then: [revenueTo('4040-00')] }])).toEqual([]);
  });

  it('refuses two rules with one name, since explanations name rules', () => {
    expect(problems([{ name: 'A', when: [eur], then: [revenueTo('4030-00')] }, { name: 'A', when: [], then: [{ action: 'comment', text: 'x' }] }]).join('\n')).toMatch(/rule 1 is called "A" too/);
  });

  it('lists every account a rule can produce for the check against the Sage chart', () => {
    const check = validateMapping({
      ...mapping(),
      rules: [
        { name: 'EU', when: [eur], then: [revenueTo('4030-00')] },
        { name: 'Division', when: [], then: [{ action: 'segment', roles: ['refunds'], segment: 2, from: { on: 'charge', key: 'division' }, values: { west: '20' }, default: '00' }] },
      ],
    });
    expect(check.ok).toBe(true);
    if (check.ok) expect(mappedAccounts(check.mapping)).toEqual(expect.arrayContaining(['4030-00', '4900-20', '4900-00']));
  });
});
