import { Parser } from 'node-sql-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sageAccountProblems } from '../../main/app/mapping-account-check.js';
import { SELECT_CHART_OF_ACCOUNTS } from '../../main/adapters/sage/chart-of-accounts.js';
import { accountsFor, listSageAccounts, readChartOfAccounts } from '../../main/app/sage-accounts.js';
import { accountTypeProblem } from '../../main/core/mapping/account-categories.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import { ALL_TABLES } from '../../main/simulators/sage-sandbox/ddl.js';
import { parseColumn } from '../../main/simulators/sage-sandbox/table-spec.js';
import { TODAY, openFixture, type SandboxFixture } from '../adapters/sage-fixtures.js';

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

describe('the chart of accounts with Sage account types', () => {
  it('reads each account with its category through tglNaturalAcct, tglAcctType and tglAcctCategory', async () => {
    const chart = await readChartOfAccounts(fx.port, 'SOA');
    const byNo = new Map(chart.map((account) => [account.acctNo, account]));
    // The seed's chart: 1050-00 Stripe clearing (asset), 2200-00 sales tax (liability), 4000-00 sales (revenue), 6150-00 fees (expense).
    expect(byNo.get('1050-00')).toEqual({ acctNo: '1050-00', description: 'Stripe clearing', active: true, type: { categoryId: 1, typeId: 100, name: 'Asset' }, unsuitable: null });
    expect(byNo.get('2200-00')?.type?.name).toBe('Liability');
    expect(byNo.get('4000-00')?.type?.name).toBe('Revenue');
    expect(byNo.get('6150-00')?.type?.name).toBe('Expense');
  });

  it('follows the chain: moving an account to another natural account changes its type', async () => {
    // Re-point 6150-00 at the natural account of 4000-00 (a revenue type) as a site could.
    fx.raw.prepare("UPDATE tglAccount SET NaturalAcctKey = (SELECT NaturalAcctKey FROM tglAccount WHERE GLAcctNo = '400000') WHERE GLAcctNo = '615000'").run();
    const fees = (await readChartOfAccounts(fx.port, 'SOA')).find((account) => account.acctNo === '6150-00');
    expect(fees?.type?.name).toBe('Revenue');
  });

  it('lists an account whose type chain is broken, without a type', async () => {
    fx.raw.pragma('foreign_keys = OFF');
    fx.raw.prepare("UPDATE tglAccount SET NaturalAcctKey = 9999 WHERE GLAcctNo = '615000'").run();
    const fees = (await readChartOfAccounts(fx.port, 'SOA')).find((account) => account.acctNo === '6150-00');
    expect(fees).toMatchObject({ description: 'Stripe processing fees', type: null });
  });

  it('finds accounts by type name as well as number and name', async () => {
    const expenses = await listSageAccounts(fx.port, 'SOA', 'expense');
    expect(expenses.length).toBeGreaterThan(3);
    expect(expenses.every((account) => account.type?.name === 'Expense' || /expense/i.test(account.description))).toBe(true);
  });

  it('marks, for one setting, the accounts whose type does not fit it (the finder refuses them)', async () => {
    const forFees = accountsFor('accounts.fees.stripe_fee', await listSageAccounts(fx.port, 'SOA', ''));
    const unsuitable = forFees.filter((account) => account.unsuitable !== null).map((account) => account.acctNo);
    const oracle = forFees.filter((account) => !['Expense', 'Cost of sales', 'Other expense'].includes(account.type?.name ?? '')).map((account) => account.acctNo);
    expect(unsuitable).toEqual(oracle);
    expect(unsuitable).toContain('4000-00');
    expect(unsuitable).not.toContain('6150-00');
  });

  it('is T-SQL that names only tables and columns the sandbox declares', () => {
    expect(() => new Parser().astify(SELECT_CHART_OF_ACCOUNTS, { database: 'TransactSQL' })).not.toThrow();
    const sandbox = new Map(ALL_TABLES.map((table) => [table.name, new Set(table.columns.map((text) => parseColumn(text).name))]));
    const uses: [string, string][] = [
      ['tglAccount', 'NaturalAcctKey'], ['tglNaturalAcct', 'AcctTypeKey'], ['tglAcctType', 'AcctTypeID'],
      ['tglAcctType', 'AcctCategoryKey'], ['tglAcctCategory', 'AcctCatID'],
    ];
    for (const [table, column] of uses) {
      expect(SELECT_CHART_OF_ACCOUNTS).toContain(table);
      expect(sandbox.get(table)?.has(column), `${table}.${column}`).toBe(true);
    }
  });
});

describe('the mapping check refuses an account of the wrong type', () => {
  it('refuses Stripe fees on a revenue account and sales tax on an asset, saying why', async () => {
    const mapping = {
      ...DEFAULT_MAPPING,
      accounts: { ...DEFAULT_MAPPING.accounts, fees: { ...DEFAULT_MAPPING.accounts.fees, stripe_fee: '4000-00' }, salesTax: '1050-00' },
      productRevenue: { prod_books: '6150-00' },
    };
    const problems = await sageAccountProblems(fx.port, 'SOA', mapping, TODAY);
    expect(problems).toEqual([
      { path: 'accounts.salesTax', message: expect.stringMatching(/^1050-00 Stripe clearing is an Asset account, and sales tax collected is owed to the tax authority: choose a Liability account$/) },
      { path: 'accounts.fees.stripe_fee', message: expect.stringMatching(/^4000-00 Sales is a Revenue account, and Stripe fees are a cost of selling: choose an account of type Cost of sales, Expense or Other expense$/) },
      { path: 'productRevenue.prod_books', message: expect.stringMatching(/^6150-00 Stripe processing fees is an Expense account, and sales are income/) },
    ]);
  });

  it('accepts the default mapping on the default chart', async () => {
    expect(await sageAccountProblems(fx.port, 'SOA', DEFAULT_MAPPING, TODAY)).toEqual([]);
  });

  it('says an account whose chain is missing cannot be judged, rather than guessing', () => {
    expect(accountTypeProblem('accounts.fees.default', '4000-00', { description: 'Sales', categoryId: null })).toBeNull();
  });

  it('refuses a non-financial account (category 9) for any setting, and an unnamed category by its number', () => {
    expect(accountTypeProblem('accounts.adjustments', '9000-00', { description: 'Headcount', categoryId: 9 })).toMatch(/is a Non-financial account/);
    expect(accountTypeProblem('accounts.bank', '1010-00', { description: 'Bank', categoryId: 12 })).toMatch(/is a category 12 account/);
  });
});
