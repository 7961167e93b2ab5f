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
import { TODAY } from './sage-fixtures.js';

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
