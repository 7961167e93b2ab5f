import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalCodesFor } from '../../main/adapters/sage/journal-codes.js';
import { runPreflight, type PreflightItem } from '../../main/adapters/sage/preflight.js';
import type { SiteCheckOptions } from '../../main/adapters/sage/site-schema-checks.js';
import type { SiteTemplate } from '../../main/adapters/sage/site-template.js';
import { DEFAULT_CHART } from '../../main/core/mapping/default-mapping.js';
import { TODAY, openFixture, type SandboxFixture } from './sage-fixtures.js';
import { redeclareColumn } from './sage-altered-site.js';

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

const site = (overrides: Partial<SiteCheckOptions> = {}): SiteCheckOptions => ({
  companyId: 'SOA',
  journalId: 'GJ',
  journalCodes: journalCodesFor(null),
  customers: { enabled: true, custClassId: 'RETAIL' },
  salesOrders: { enabled: true, itemIds: ['STRIPE-SALE'], warehouseId: 'MAIN' },
  ...overrides,
});

async function check(options: SiteCheckOptions = site()): Promise<PreflightItem[]> {
  return runPreflight(fx.port, { companyId: 'SOA', userId: 'stripe', accounts: DEFAULT_CHART.map((account) => account.acctNo), today: TODAY, site: options });
}

const failedIds = (items: readonly PreflightItem[]): string[] => items.filter((item) => !item.passed).map((item) => item.id);
const byId = (items: readonly PreflightItem[], id: string): PreflightItem | undefined => items.find((item) => item.id === id);

describe('s5sync check: site checks on the sandbox', () => {
  it('passes on a fresh sandbox and warns that the GL code values are unverified for this site', async () => {
    const items = await check();
    expect(failedIds(items)).toEqual([]);
    expect(byId(items, 'column-types')?.detail).toMatch(/^All \d+ columns the sync fills take what it sends$/);
    expect(byId(items, 'procedure:spGetNextBatch')?.detail).toBe("11 parameters; the sync's 11 arguments match by name");
    expect(byId(items, 'procedure:spARapiCustomerIns')?.detail).toBe("11 parameters; the sync's 11 arguments match by position");
    expect(byId(items, 'site-template')).toMatchObject({ passed: true, warning: true });
    expect(byId(items, 'site-template')?.detail).toContain('Unverified for this site');
  });

  it('fails a PostCmnt shortened to 30 characters, naming the column and the fix', async () => {
    redeclareColumn(fx.raw, 'tglJournalDetl', 'PostCmnt', 'PostCmnt varchar(30)');
    const item = byId(await check(), 'column:tglJournalDetl.PostCmnt');
    expect(item).toMatchObject({ passed: false, detail: 'tglJournalDetl.PostCmnt is varchar(30) on this database; the sync sends text of up to 50 characters' });
    expect(item?.fix).toContain('do not go live until the column holds 50 characters');
  });

  it('fails a SourceModule stored as text until a captured batch gives the site value', async () => {
    redeclareColumn(fx.raw, 'tglJournalHdr', 'SourceModule', 'SourceModule varchar(2) NN');
    const before = byId(await check(), 'column:tglJournalHdr.SourceModule');
    expect(before).toMatchObject({ passed: false, detail: 'tglJournalHdr.SourceModule is varchar(2) on this database; the sync sends the number 3 (smallint)' });
    expect(before?.fix).toContain('s5sync capture batch');
    const template: SiteTemplate = {
      version: 1,
      companyId: 'SOA',
      captures: {
        'gl-batch': {
          source: 'GL batch 7 (BatchKey 9)',
          capturedAt: '2026-11-26T10:00:00.000Z',
          tables: { tglBatch: [{ GeneralJrnlType: 1 }], tglJournalHdr: [{ Status: 1, OffsetPost: 0, SourceModule: 'GL', CreateType: 1 }] },
        },
      },
    };
    const after = await check(site({ journalCodes: journalCodesFor(template) }));
    expect(failedIds(after)).toEqual([]);
    expect(byId(after, 'site-template')).toMatchObject({ passed: true, detail: "From this site's hand-keyed batch: site template, GL batch 7 (BatchKey 9)" });
    expect(byId(after, 'site-template')?.warning).toBeUndefined();
  });

  it('fails a key column narrowed to smallint and a money column that lost its scale', async () => {
    redeclareColumn(fx.raw, 'tglJournalDetl', 'PostAmt', 'PostAmt decimal(15,2) NN');
    redeclareColumn(fx.raw, 'tsmMigrateSession', 'MigrateSessionKey', 'MigrateSessionKey smallint NN');
    const failed = failedIds(await check());
    expect(failed).toEqual(['column:tglJournalDetl.PostAmt', 'column:tsmMigrateSession.MigrateSessionKey']);
  });

  it('fails a missing grant with the GRANT statement to run (HAS_PERMS_BY_NAME)', async () => {
    fx.raw.prepare("INSERT INTO sandbox_permission_denied (ObjectName, Permission) VALUES ('tglJournalDetl', 'INSERT'), ('spGetNextBatch', 'EXECUTE')").run();
    const item = byId(await check(), 'permissions');
    expect(item).toMatchObject({ passed: false, detail: 'Missing: INSERT on tglJournalDetl, EXECUTE on spGetNextBatch' });
    expect(item?.fix).toContain('GRANT INSERT ON tglJournalDetl TO <sync login>; GRANT EXECUTE ON spGetNextBatch TO <sync login>;');
  });

  it("fails a procedure whose parameters differ from the writer's call (sys.parameters)", async () => {
    fx.raw.prepare("UPDATE sandbox_procedure_parameter SET IsOutput = 0 WHERE ProcedureName = 'spGetNextBatch' AND ParamName = '@_oBatchKey'").run();
    fx.raw.prepare("DELETE FROM sandbox_procedure_parameter WHERE ProcedureName = 'spSOapiSalesOrdIns' AND Position = 11").run();
    fx.raw.prepare("UPDATE sandbox_procedure_parameter SET TypeName = 'varchar', MaxLength = 10 WHERE ProcedureName = 'spGetNextSurrogateKey' AND Position = 1").run();
    fx.raw.prepare("UPDATE sandbox_procedure_parameter SET ParamName = '@_iPostingDate' WHERE ProcedureName = 'spGetNextBatch' AND ParamName = '@_iPostDate'").run();
    const items = await check();
    expect(byId(items, 'procedure:spGetNextBatch')?.detail).toBe('it has no parameter @_iPostDate, which the sync binds by name; parameter 7 (@_oBatchKey) is not OUTPUT here; the sync reads it back');
    expect(byId(items, 'procedure:spSOapiSalesOrdIns')?.detail).toBe('it declares 10 parameters, the sync passes 11');
    expect(byId(items, 'procedure:spGetNextSurrogateKey')?.detail).toBe('parameter 1 (@iTableName) is varchar(10); the sync passes text of up to 30 characters');
    expect(failedIds(items)).toEqual(['procedure:spGetNextSurrogateKey', 'procedure:spGetNextBatch', 'procedure:spSOapiSalesOrdIns']);
  });

  it('fails missing reference rows: batch type 301, the journal, class, item and warehouse', async () => {
    fx.raw.prepare('DELETE FROM tciBatchTypCompany WHERE BatchType = 301').run();
    const items = await check(site({ journalId: 'XJ', customers: { enabled: true, custClassId: 'WHOLESALE' }, salesOrders: { enabled: true, itemIds: ['STRIPE-SALE', 'NOPE'], warehouseId: 'EAST' } }));
    expect(failedIds(items)).toEqual(['reference:batch-type', 'reference:journal', 'reference:customer-class', 'reference:item:NOPE', 'reference:warehouse']);
    for (const item of items.filter((candidate) => !candidate.passed)) expect(item.fix).toMatch(/\w/);
  });

  it('fails a database without country codes when customers are created', async () => {
    expect(byId(await check(), 'reference:countries')).toMatchObject({ passed: true });
    fx.raw.prepare('DELETE FROM tsmStateProvince').run();
    fx.raw.prepare('DELETE FROM tsmCountry').run();
    const item = byId(await check(), 'reference:countries');
    expect(item).toMatchObject({ passed: false, detail: 'tsmCountry has no rows, so every customer address with a country would be rejected (tciAddress.CountryID)' });
    expect(byId(await check(site({ customers: { enabled: false, custClassId: 'RETAIL' } })), 'reference:countries')).toBeUndefined();
  });

  it('fails a database without the Open sales-order step parameter, only when the order flow is on', async () => {
    fx.raw.prepare('DELETE FROM tsmMigrateStepParam WHERE SetupStepKey = 2100600 AND ParamType = 2').run();
    const item = byId(await check(), 'reference:so-step-parameter');
    expect(item).toMatchObject({ passed: false, detail: 'tsmMigrateStepParam has no ParamType 2 row for SetupStepKey 2100600; spSOapiSalesOrdIns would create the orders Closed (S2)' });
    expect(failedIds(await check(site({ salesOrders: { enabled: false, itemIds: [], warehouseId: 'MAIN' } })))).toEqual([]);
  });

  it('needs the Sales Order module, item and warehouse only when the order flow is on', async () => {
    fx.raw.prepare('UPDATE tsmCompanyModule SET Active = 0 WHERE ModuleNo = 8').run();
    const off = site({ salesOrders: { enabled: false, itemIds: ['NOPE'], warehouseId: 'EAST' } });
    expect(failedIds(await check(off))).toEqual([]);
    expect(failedIds(await check())).toEqual(['modules']);
  });

  it('lists triggers on the tables the sync writes as a warning', async () => {
    fx.raw.exec("CREATE TRIGGER tI_tglJournalHdr AFTER INSERT ON tglJournalHdr BEGIN SELECT 1; END");
    fx.raw.exec("CREATE TRIGGER tI_tsmUser AFTER INSERT ON tsmUser BEGIN SELECT 1; END");
    const item = byId(await check(), 'triggers');
    expect(item).toMatchObject({ passed: true, warning: true, detail: 'They run on every row the sync writes: tI_tglJournalHdr on tglJournalHdr' });
  });
});
