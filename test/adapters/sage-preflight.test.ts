import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installXref } from '../../main/adapters/sage/install-xref.js';
import { runPreflight, type PreflightItem } from '../../main/adapters/sage/preflight.js';
import { DEFAULT_CHART } from '../../main/core/mapping/default-mapping.js';
import { TODAY, journal, openFixture, type SandboxFixture } from './sage-fixtures.js';

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

const options = { companyId: 'SOA', userId: 'stripe', accounts: DEFAULT_CHART.map((account) => account.acctNo), today: TODAY };

function failed(items: readonly PreflightItem[]): PreflightItem[] {
  return items.filter((item) => !item.passed);
}

describe('runPreflight', () => {
  it('passes every check on a fresh sandbox', async () => {
    const items = await runPreflight(fx.port, options);
    expect(failed(items)).toEqual([]);
    expect(items.map((item) => item.id)).toEqual(expect.arrayContaining(['connect', 'company', 'schema', 'not-null', 'xref', 'procedures', 'modules', 'user', 'account:4000-00', 'period']));
    expect(items.find((item) => item.id === 'company')?.detail).toBe('Stripe Sync Sandbox Company, home currency USD');
  });

  it('reports a dropped column, an inactive account, a closed period and a missing user, each with a fix', async () => {
    fx.raw.exec('ALTER TABLE tglJournalDetl DROP COLUMN PostCmnt');
    fx.raw.prepare("UPDATE tglAccount SET Status = 2 WHERE GLAcctNo = '400000'").run();
    fx.raw.prepare("UPDATE tglFiscalPeriod SET Status = 2 WHERE FiscYear = '2026' AND FiscPer = 11").run();
    fx.raw.prepare('UPDATE tsmCompanyModule SET Active = 0 WHERE ModuleNo = 8').run();
    const items = await runPreflight(fx.port, { ...options, userId: 'nobody' });
    const byId = new Map(failed(items).map((item) => [item.id, item]));
    expect([...byId.keys()].sort()).toEqual(['account:4000-00', 'modules', 'period', 'schema', 'user']);
    expect(byId.get('schema')?.detail).toBe('Missing: tglJournalDetl.PostCmnt');
    expect(byId.get('account:4000-00')?.detail).toBe('GL account 4000-00 in company SOA is inactive (tglAccount.Status = 2)');
    expect(byId.get('period')?.detail).toBe('Fiscal period 2026-11 containing 2026-11-26 is closed in company SOA (tglFiscalPeriod.Status)');
    expect(byId.get('modules')?.detail).toBe('Not active in company SOA: Sales Order (8) (tsmCompanyModule)');
    expect(byId.get('user')?.detail).toBe('Sage user nobody does not exist (tsmUser)');
    for (const item of byId.values()) expect(item.fix).toMatch(/\w/);
  });

  it('flags a NOT NULL column without a default that the writer does not fill', async () => {
    // A required column with a default is fine: SQL Server fills it.
    fx.raw.exec("ALTER TABLE tglJournalHdr ADD COLUMN SiteRequired TEXT NOT NULL DEFAULT 'x'");
    expect(failed(await runPreflight(fx.port, options))).toEqual([]);
    // SQLite cannot add NOT NULL without a default, so rebuild StgSOLine with an extra required column.
    fx.raw.exec('DROP TABLE StgSOLine');
    fx.raw.exec('CREATE TABLE StgSOLine (RowKey INTEGER PRIMARY KEY, SessionKey INTEGER NOT NULL, ProcessStatus INTEGER NOT NULL, Action INTEGER NOT NULL, TranNo TEXT, SOLineNo INTEGER, ItemID TEXT, Description TEXT, QtyOrd TEXT, UnitPrice TEXT, ExtAmt INTEGER, WarehouseID TEXT, SiteCode TEXT NOT NULL)');
    const notNull = failed(await runPreflight(fx.port, options));
    expect(notNull.map((item) => [item.id, item.detail])).toEqual([['not-null', 'NOT NULL without a default and not filled by the sync: StgSOLine.SiteCode']]);
  });

  it('finds a missing xref table, which installXref creates and the writer then uses', async () => {
    fx.raw.exec('DROP TABLE tciStripeXref_STRIPE');
    const before = failed(await runPreflight(fx.port, options));
    expect(before.map((item) => item.id)).toEqual(['xref']);
    expect(before[0]?.fix).toContain('installXref');
    expect(await installXref(fx.port)).toEqual({ created: true, granted: false });
    expect(await installXref(fx.port)).toEqual({ created: false, granted: false });
    expect(failed(await runPreflight(fx.port, options))).toEqual([]);
    const ref = await fx.writer.write(journal('je:after-install'), { runId: 1 });
    expect((await fx.writer.findWritten(['je:after-install'])).get('je:after-install')).toEqual(ref);
  });

  it('stops after a failed connection', async () => {
    await fx.port.close();
    const items = await runPreflight(fx.port, options);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: 'connect', passed: false });
  });
});
