import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { journalCodesFor, PUBLIC_JOURNAL_CODES } from '../../main/adapters/sage/journal-codes.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { loadSiteTemplate, parseSiteTemplate, SiteTemplateError } from '../../main/adapters/sage/site-template.js';
import { openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { customer, journal, salesOrder, TODAY } from '../adapters/sage-fixtures.js';
import { HAND_KEYED_CODES, keyGlBatchByHand } from '../adapters/sage-hand-keyed.js';

/** `s5sync capture`: golden rows a Sage user keyed by hand become the site template the writer copies. */
describe('s5sync capture', () => {
  function site(): { dir: string; configPath: string; sandboxPath: string } {
    const dir = mkdtempSync(join(tmpdir(), 's5sync-capture-'));
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ dataDir: '.', sage: { kind: 'sandbox', path: './sage.sqlite' } }));
    return { dir, configPath, sandboxPath: join(dir, 'sage.sqlite') };
  }

  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await main(args, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }

  it('stores every column of a hand-keyed GL batch, and the writer then copies its code values', async () => {
    const { dir, configPath, sandboxPath } = site();
    await cli(['sandbox', 'init', '--path', sandboxPath, '--today', TODAY]);
    const raw = new Database(sandboxPath);
    const { batchNo } = keyGlBatchByHand(raw);
    raw.close();

    const result = await cli(['capture', 'batch', String(batchNo), '--config', configPath]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(`captured GL batch ${batchNo}`);
    expect(result.out).toMatch(/tglJournalDetl: 2 rows/);
    const file = JSON.parse(readFileSync(join(dir, 'sage-site-template.json'), 'utf8')) as { captures: { 'gl-batch': { tables: Record<string, Record<string, unknown>[]> } } };
    const tables = file.captures['gl-batch'].tables;
    expect(tables['tglBatch']?.[0]).toMatchObject({ GeneralJrnlType: 2, BatchCmnt: 'Keyed by Mary', UpdateCounter: 1 });
    expect(tables['tglJournalHdr']?.[0]).toMatchObject({ Status: 2, OffsetPost: 1, SourceModule: 3, CreateType: 1, CreateUserID: 'mary' });
    // Every column, not a chosen few: the header row has all of tglJournalHdr's columns.
    expect(Object.keys(tables['tglJournalHdr']?.[0] ?? {})).toHaveLength(22);
    expect(tables['tglJournalDetl']?.map((line) => line['PostAmt'])).toEqual(['12.500', '-12.500']);
    expect(tables['tciBatchLog']?.[0]).toMatchObject({ BatchNo: batchNo, BatchType: 301 });
    expect(tables['tglJournalLog']).toEqual([{ CompanyID: 'SOA', JrnlKey: 1, JrnlNo: 900, PostDate: '2026-11-20 00:00:00', TranStatus: 2 }]);

    const codes = journalCodesFor(loadSiteTemplate(dir, 'SOA'));
    expect(codes).toMatchObject({ verified: true, codes: HAND_KEYED_CODES });
    const port = openSandbox(sandboxPath);
    try {
      const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', journalCodes: codes.codes });
      const ref = await writer.write(journal('je:after-capture'), { runId: 1 });
      const check = new Database(sandboxPath, { readonly: true });
      expect(check.prepare('SELECT GeneralJrnlType FROM tglBatch WHERE BatchKey = ?').get(ref.batchKey)).toEqual({ GeneralJrnlType: 2 });
      expect(check.prepare('SELECT Status, OffsetPost, SourceModule, CreateType FROM tglJournalHdr WHERE JrnlHdrKey = ?').get(ref.sageKey)).toEqual({
        Status: 2, OffsetPost: 1, SourceModule: 3, CreateType: 1,
      });
      check.close();
    } finally {
      await port.close();
    }
  });

  it('keeps the public defaults, marked unverified, when nothing was captured', () => {
    const { dir } = site();
    expect(loadSiteTemplate(dir, 'SOA')).toBeNull();
    expect(journalCodesFor(null)).toMatchObject({ verified: false, codes: PUBLIC_JOURNAL_CODES });
  });

  it('captures a customer and a sales order by the IDs Sage shows', async () => {
    const { dir, configPath, sandboxPath } = site();
    await cli(['sandbox', 'init', '--path', sandboxPath, '--today', TODAY]);
    const port = openSandbox(sandboxPath);
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
    await writer.write(customer('ADA'), { runId: 1 });
    const order = await writer.write(salesOrder('so:1', 'ADA'), { runId: 1 });
    await port.close();

    const byCustomer = await cli(['capture', 'customer', 'ADA', '--config', configPath]);
    expect(byCustomer.code).toBe(0);
    const byOrder = await cli(['capture', 'sales-order', String(Number(order.sageNumber)), '--config', configPath]);
    expect(byOrder.code).toBe(0);
    const template = loadSiteTemplate(dir, 'SOA');
    expect(template?.captures.customer?.tables['tarCustomer']?.[0]).toMatchObject({ CustID: 'ADA' });
    expect(template?.captures.customer?.tables['tarCustStatus']).toHaveLength(1);
    expect(template?.captures['sales-order']?.tables['tsoSOLine']).toHaveLength(2);
    expect(template?.captures['sales-order']?.tables['tsoSalesOrder']?.[0]).toMatchObject({ TranNo: order.sageNumber });
  });

  it('says what is missing when the batch does not exist, and keeps no template', async () => {
    const { dir, configPath, sandboxPath } = site();
    await cli(['sandbox', 'init', '--path', sandboxPath, '--today', TODAY]);
    const result = await cli(['capture', 'batch', '77', '--config', configPath]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('No GL journal batch number 77 in company SOA');
    expect(loadSiteTemplate(dir, 'SOA')).toBeNull();
  });

  it('refuses a template of another company or a malformed one', () => {
    const { dir } = site();
    writeFileSync(join(dir, 'sage-site-template.json'), JSON.stringify({ version: 1, companyId: 'XYZ', captures: {} }));
    expect(() => loadSiteTemplate(dir, 'SOA')).toThrow(/captured for Sage company XYZ, not SOA/);
    expect(() => parseSiteTemplate('{"version":1,"companyId":"SOA","captures":{"gl-batch":{"source":"x"}}}', 'f')).toThrow(SiteTemplateError);
  });
});
