import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Parser } from 'node-sql-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { PROCEDURE_SIGNATURES } from '../../main/simulators/sage-sandbox/procedures/signatures.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { procedureScripts } from './tsql-procedures.js';
import { tsqlSchema, tsqlSeed } from './tsql-schema.js';

/** Every T-SQL script of the real-SQL-Server harness parses (node-sql-parser, TransactSQL), so it stays valid without a server. */
const parser = new Parser();
const parses = (sql: string): void => {
  parser.astify(sql, { database: 'TransactSQL' });
};

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql');
const dir = mkdtempSync(join(tmpdir(), 'tsql-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('T-SQL scripts of the Sage-shaped schema and procedure emulations', () => {
  it.each(tsqlSchema().map((sql) => [/^CREATE TABLE (\w+)/.exec(sql)?.[1] ?? sql, sql]))('CREATE TABLE %s parses', (_name, sql) => {
    expect(() => parses(sql)).not.toThrow();
  });

  it('declares the staging RowKey as an IDENTITY, as Sage does', () => {
    expect(tsqlSchema().find((sql) => sql.startsWith('CREATE TABLE StgCustomer '))).toContain('RowKey int IDENTITY(1,1) NOT NULL');
  });

  it('the seed rows of a fresh sandbox parse as INSERTs with decimal money and ISO dates', () => {
    const path = join(dir, 'seed.sqlite');
    createSandbox(path, { today: '2026-11-26' });
    const db = new Database(path, { readonly: true });
    const inserts = tsqlSeed(db);
    db.close();
    expect(inserts.length).toBeGreaterThan(50);
    for (const sql of inserts) expect(() => parses(sql), sql).not.toThrow();
    expect(inserts.find((sql) => sql.startsWith('INSERT INTO tglFiscalPeriod'))).toContain("'2025-01-01T00:00:00'");
    expect(inserts.find((sql) => sql.startsWith('INSERT INTO tarCustClass'))).toMatch(/\b0\.000\b/);
  });

  it.each(procedureScripts().map((script) => [script.name, script]))('%s: every body statement parses', (_name, script) => {
    expect(script.statements.length).toBeGreaterThan(1);
    for (const statement of script.statements) expect(() => parses(statement), `${script.file}: ${statement}`).not.toThrow();
  });

  it.each(procedureScripts().map((script) => [script.name, script]))("%s declares the sandbox's signature", (name, script) => {
    const signature = PROCEDURE_SIGNATURES[name];
    expect(signature, name).toBeDefined();
    expect(script.parameters).toEqual(signature!.map((parameter) => ({
      name: parameter.name,
      type: parameter.length === null ? parameter.type : `${parameter.type}(${parameter.length})`,
      output: parameter.output,
    })));
  });

  it('emulates every procedure the writer calls: the GL journal path and the customer and sales-order staging APIs', () => {
    expect(procedureScripts().map((script) => script.name).sort()).toEqual(['spARapiCustomerIns', 'spGetNextBatch', 'spGetNextSurrogateKey', 'spSOapiSalesOrdIns', 'spglGiveNextJrnlNo']);
  });

  it('the staging API emulations cite the public procedure text they follow (S1, S2) and read the step key as S2 does', () => {
    const text = (name: string): string => readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8');
    expect(text('spARapiCustomerIns')).toContain('database/2019-01-04_01 spARCustomerImport_Tylie.sql');
    expect(text('spSOapiSalesOrdIns')).toContain('database/2019-01-04_02 spSOapiSalesOrdIns_Tylie.sql');
    expect(text('spSOapiSalesOrdIns')).toContain('SELECT @BlankInvalidReference = CONVERT(SMALLINT, pv.ParamValue), @SetupStepKey = sp.SetupStepKey FROM tsmMigrateStepParam sp INNER JOIN tsmMigrateStepParamValue pv ON pv.SetupStepKey = sp.SetupStepKey AND pv.ParamNo = sp.ParamNo WHERE pv.MigrateSessionKey = @iSessionKey AND sp.ParamType = 2');
  });
});
