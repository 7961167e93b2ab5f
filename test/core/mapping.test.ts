import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART, DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { mappedAccounts, validateMapping, type MappingProblem } from '../../main/core/mapping/mapping.js';
import { mapping } from './fixtures/stripe.js';

function problems(input: unknown): MappingProblem[] {
  const check = validateMapping(input);
  if (check.ok) throw new Error('expected problems');
  return check.problems;
}

describe('validateMapping', () => {
  it('accepts the default mapping unchanged', () => {
    expect(validateMapping(DEFAULT_MAPPING)).toEqual({ ok: true, mapping: DEFAULT_MAPPING });
  });

  it('every account the default mapping uses is in the default chart', () => {
    const chart = new Set(DEFAULT_CHART.map((account) => account.acctNo));
    for (const acct of mappedAccounts(DEFAULT_MAPPING)) expect(chart.has(acct)).toBe(true);
  });

  it('reports every problem at once, each with its path', () => {
    const bad = mapping();
    bad.accounts.revenue = '   ';
    bad.accounts.fees = { stripe_fee: '6150-00' };
    bad.customers.idPrefix = 'stripe';
    bad.salesOrders.warehouseId = 'WAREHOUSE-1';
    bad.journalId = 'GENERAL';
    bad.homeCurrency = 'USD';
    const found = problems(bad);
    expect(found.map((problem) => problem.path).sort()).toEqual(
      ['accounts.fees', 'accounts.revenue', 'customers.idPrefix', 'homeCurrency', 'journalId', 'salesOrders.warehouseId'].sort(),
    );
    expect(found).toContainEqual({ path: 'accounts.revenue', message: 'enter a GL account number' });
    expect(found).toContainEqual({ path: 'accounts.fees', message: 'fees needs a "default" account' });
    expect(found).toContainEqual({ path: 'customers.idPrefix', message: 'use 1 to 4 capital letters or digits' });
    expect(found).toContainEqual({ path: 'salesOrders.warehouseId', message: 'a warehouse ID has at most 6 characters in Sage' });
    expect(found).toContainEqual({ path: 'journalId', message: 'a journal ID has at most 3 characters in Sage' });
  });

  it('rejects clearing = bank in plain words', () => {
    const bad = mapping();
    bad.accounts.clearing = bad.accounts.bank;
    expect(problems(bad)).toEqual([
      { path: 'accounts.clearing', message: 'the Stripe clearing account must not be the bank account, or payouts would be counted twice' },
    ]);
  });

  it('rejects a payouts-in-transit account that is the clearing or the bank account', () => {
    const message = 'the payouts-in-transit account must be an account of its own (not the clearing or bank account), or a payout would cancel itself out when Stripe creates it';
    for (const account of ['clearing', 'bank'] as const) {
      const bad = mapping();
      bad.accounts.payoutsInTransit = bad.accounts[account];
      expect(problems(bad)).toEqual([{ path: 'accounts.payoutsInTransit', message }]);
    }
  });

  it('gives a mapping saved before the payouts-in-transit account existed the default chart one', () => {
    const { payoutsInTransit: _saved, ...accounts } = DEFAULT_MAPPING.accounts;
    const check = validateMapping({ ...DEFAULT_MAPPING, accounts });
    expect(check.ok && check.mapping.accounts.payoutsInTransit).toBe('1020-00');
  });

  it('rejects clearing = revenue', () => {
    const bad = mapping();
    bad.accounts.clearing = bad.accounts.revenue;
    expect(problems(bad)).toEqual([{ path: 'accounts.clearing', message: 'the clearing account must not be the revenue account' }]);
  });

  it('rejects a time zone the computer does not know', () => {
    expect(problems(mapping({ timeZone: 'Central Standard Time' }))).toEqual([
      { path: 'timeZone', message: 'is not a time zone this computer knows (e.g. America/Chicago)' },
    ]);
    expect(validateMapping(mapping({ timeZone: 'Pacific/Auckland' })).ok).toBe(true);
  });

  it('reports a missing section and a wrong type', () => {
    const { accounts: _accounts, ...rest } = mapping();
    expect(problems({ ...rest, granularity: 'weekly' }).map((problem) => problem.path).sort()).toEqual(['accounts', 'granularity']);
    expect(problems(null)).toEqual([{ path: '(mapping)', message: expect.any(String) as unknown as string }]);
  });

  it('trims account numbers and lists mapped accounts once, sorted, including product revenue', () => {
    const m = mapping({ productRevenue: { prod_Pro: '4010-00' } });
    m.accounts.bank = ' 1010-00 ';
    const check = validateMapping(m);
    expect(check.ok && check.mapping.accounts.bank).toBe('1010-00');
    expect(mappedAccounts(m)).toContain('4010-00');
    const listed = mappedAccounts(DEFAULT_MAPPING);
    expect(listed).toEqual([...new Set(listed)].sort());
  });
});
