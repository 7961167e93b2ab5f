import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { customerDocument } from '../../main/core/customers/customer-plan.js';
import { ALL_TABLES } from '../../main/simulators/sage-sandbox/ddl.js';
import { createSandbox, openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { customer, mapping } from '../core/fixtures/stripe.js';
import { journalCodesFor } from '../../main/adapters/sage/journal-codes.js';
import { runPreflight } from '../../main/adapters/sage/preflight.js';
import { DEFAULT_CHART } from '../../main/core/mapping/default-mapping.js';
import { redeclareColumn } from './sage-altered-site.js';
import { customer as customerDoc, journal, openFixture, rowCount, sageWriteRejection, salesOrder, TODAY, type SandboxFixture } from './sage-fixtures.js';

/**
 * A site that altered CustName to nvarchar (StgCustomer and tarCustomer): the writer reads the
 * column types from INFORMATION_SCHEMA.COLUMNS, planning keeps that field's text as is, and the
 * other (varchar) fields are still transliterated to code page 1252.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sandbox(nvarcharCustName: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'sage-nvarchar-'));
  dirs.push(dir);
  const path = join(dir, 'sandbox.db');
  // The site's ALTER COLUMN, replayed: CustName declared nvarchar(40) where the writer stages it and where the API writes it.
  const tables = ALL_TABLES.map((table) =>
    nvarcharCustName && ['StgCustomer', 'tarCustomer'].includes(table.name)
      ? { ...table, columns: table.columns.map((column) => column.replace(/^CustName varchar\(40\)/, 'CustName nvarchar(40)')) }
      : table,
  );
  createSandbox(path, { today: TODAY, tables });
  return path;
}

const polish = customer({ id: 'cus_Pl9', name: 'Zażółć Gęślą', address: { line1: 'ul. Świętokrzyska 1', line2: null, city: 'Łódź', state: null, postal_code: '90-001', country: 'PL' } });

async function writeAndRead(path: string): Promise<{ fields: string[]; notes: string[]; row: unknown }> {
  const port = openSandbox(path);
  const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
  try {
    const fields = await writer.unicodeCustomerFields();
    const document = customerDocument(polish, 'S000900', mapping(), fields);
    await writer.write(document, { runId: 1 });
    const raw = new Database(path, { readonly: true });
    const row = raw
      .prepare(
        `SELECT c.CustName, a.City, t.Name FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey JOIN tciContact t ON t.CntctKey = c.PrimaryCntctKey
         WHERE c.CustID = 'S000900'`,
      )
      .get();
    raw.close();
    return { fields: [...fields], notes: document.notes ?? [], row };
  } finally {
    await port.close();
  }
}

describe('customer text columns a site declares nvarchar', () => {
  it('writes the original text to an nvarchar CustName and transliterates the varchar fields', async () => {
    const { fields, notes, row } = await writeAndRead(sandbox(true));
    expect(fields).toEqual(['CustName']);
    expect(row).toEqual({ CustName: 'Zażółć Gęślą', City: 'Lódz', Name: 'Zazólc Gesla' });
    expect(notes.filter((note) => note.startsWith('CustName'))).toEqual([]);
    expect(notes).toContain('Name "Zażółć Gęślą" written as "Zazólc Gesla" (Sage\'s varchar text is code page 1252)');
  });

  it('keeps transliterating CustName where Sage declares it varchar (the default)', async () => {
    const { fields, notes, row } = await writeAndRead(sandbox(false));
    expect(fields).toEqual([]);
    expect(row).toEqual({ CustName: 'Zazólc Gesla', City: 'Lódz', Name: 'Zazólc Gesla' });
    expect(notes).toContain('CustName "Zażółć Gęślą" written as "Zazólc Gesla" (Sage\'s varchar text is code page 1252)');
  });
});

/** Journal comments and sales-order text: the same rule for every text column the writer fills. */
describe('journal and sales-order text columns', () => {
  let fx: SandboxFixture;
  afterEach(async () => {
    await fx.close();
  });

  const polishJournal = journal('je:pl', { lines: journal('je:pl').lines.map((line, index) => (index === 0 ? { ...line, comment: 'Wypłata Łódź po_1Abc' } : line)) });

  it('transliterates a journal comment for a varchar PostCmnt, noting it, and refuses text with no transliteration naming the column', async () => {
    fx = openFixture();
    const notes: string[] = [];
    const [outcome] = await fx.writer.writeMany([polishJournal], { runId: 1, warn: (message) => notes.push(message) });
    expect(outcome).toHaveProperty('ref');
    expect(fx.raw.prepare('SELECT PostCmnt FROM tglJournalDetl WHERE EntryNo = 1').get()).toEqual({ PostCmnt: 'Wyplata Lódz po_1Abc' });
    expect(notes).toEqual(['Journal je:pl: tglJournalDetl.PostCmnt "Wypłata Łódź po_1Abc" written as "Wyplata Lódz po_1Abc" (Sage\'s varchar text is code page 1252)']);

    const japanese = journal('je:jp', { lines: journal('je:jp').lines.map((line, index) => (index === 1 ? { ...line, comment: '手数料 po_1Abc' } : line)) });
    const error = await sageWriteRejection(fx.writer.write(japanese, { runId: 1 }));
    expect(error).toMatchObject({ errorClass: 'data', sageField: 'tglJournalDetl.PostCmnt' });
    expect(error.message).toBe('Journal je:jp: tglJournalDetl.PostCmnt is varchar (code page 1252) on this Sage database and cannot hold "手数料 po_1Abc"; change the text in Stripe, or have your Sage partner declare tglJournalDetl.PostCmnt nvarchar');
    expect(rowCount(fx.raw, 'tglJournalHdr')).toBe(1);
  });

  it('keeps the text of a PostCmnt the site declares nvarchar', async () => {
    fx = openFixture();
    redeclareColumn(fx.raw, 'tglJournalDetl', 'PostCmnt', 'PostCmnt nvarchar(50)');
    await fx.writer.write(polishJournal, { runId: 1 });
    expect(fx.raw.prepare('SELECT PostCmnt FROM tglJournalDetl WHERE EntryNo = 1').get()).toEqual({ PostCmnt: 'Wypłata Łódź po_1Abc' });
  });

  it("transliterates a sales order's comment and line descriptions, and finds the order again by the text it wrote", async () => {
    fx = openFixture();
    await fx.writer.write(customerDoc('C000001'), { runId: 1 });
    const order = salesOrder('so:pl', 'C000001', { comment: 'Zamówienie Łódź in_1', lines: [{ itemId: 'STRIPE-SALE', description: 'Usługa ŁÓDŹ', quantity: '1.00000000', unitPrice: '5.00000', extAmount: '5.000' }] });
    const notes: string[] = [];
    const ref = await fx.writer.writeMany([order], { runId: 1, warn: (message) => notes.push(message) });
    expect(fx.raw.prepare('SELECT TranCmnt FROM tsoSalesOrder').all()).toEqual([{ TranCmnt: 'Zamówienie Lódz in_1' }]);
    expect(fx.raw.prepare('SELECT Description FROM tsoSOLine').all()).toEqual([{ Description: 'Usluga LÓDZ' }]);
    expect(notes).toEqual([
      'Sales order so:pl: tsoSalesOrder.TranCmnt "Zamówienie Łódź in_1" written as "Zamówienie Lódz in_1" (Sage\'s varchar text is code page 1252)',
      'Sales order so:pl: tsoSOLine.Description "Usługa ŁÓDŹ" written as "Usluga LÓDZ" (Sage\'s varchar text is code page 1252)',
    ]);
    // A crash before the xref row: the retry finds the order by its transliterated comment instead of writing it twice.
    fx.raw.prepare('DELETE FROM tciStripeXref_STRIPE WHERE DocKey = ?').run('so:pl');
    expect(await fx.writer.writeMany([order], { runId: 2 })).toEqual(ref);
    expect(rowCount(fx.raw, 'tsoSalesOrder')).toBe(1);
  });

  it('check says which free-text columns are nvarchar and which varchar', async () => {
    fx = openFixture();
    redeclareColumn(fx.raw, 'tglJournalDetl', 'PostCmnt', 'PostCmnt nvarchar(50)');
    const items = await runPreflight(fx.port, {
      companyId: 'SOA', userId: 'stripe', accounts: DEFAULT_CHART.map((account) => account.acctNo), today: TODAY,
      site: { companyId: 'SOA', journalId: 'GJ', journalCodes: journalCodesFor(null), customers: { enabled: true, custClassId: 'RETAIL' }, salesOrders: { enabled: true, itemIds: ['STRIPE-SALE'], warehouseId: 'MAIN' } },
    });
    const item = items.find((candidate) => candidate.id === 'text-columns');
    expect(item?.passed).toBe(true);
    expect(item?.detail).toMatch(/^nvarchar, text kept as is: tglJournalDetl\.PostCmnt; varchar \(code page 1252; .*\): StgCustomer\.CustName, .*tsoSOLine\.Description, tglBatch\.BatchCmnt, tciBatchLog\.BatchCmnt$/);
  });
});
