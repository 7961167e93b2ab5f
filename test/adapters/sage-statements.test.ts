import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { ALL_TABLES } from '../../main/simulators/sage-sandbox/ddl.js';
import { parseColumn } from '../../main/simulators/sage-sandbox/table-spec.js';
import { requiredColumns } from '../../main/adapters/sage/required-schema.js';
import { requiredPermissions } from '../../main/adapters/sage/writer-contract.js';
import * as captureStatements from '../../main/adapters/sage/capture-statements.js';
import * as checkStatements from '../../main/adapters/sage/check-statements.js';
import * as statements from '../../main/adapters/sage/statements.js';

const sqlStatements = Object.entries(statements).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
const parser = new Parser();

describe('every statement the writer and preflight send', () => {
  it('is enumerable from statements.ts', () => {
    expect(sqlStatements.length).toBeGreaterThan(30);
  });

  const captureReads: [string, string][] = [...Object.entries(captureStatements), ...Object.entries(checkStatements)];
  it.each(captureReads)('capture/check read %s parses as T-SQL and only reads', (_name, sql) => {
    expect(() => parser.astify(sql, { database: 'TransactSQL' })).not.toThrow();
    expect(sql).toMatch(/^SELECT /);
  });

  it.each(sqlStatements)('%s parses as T-SQL', (_name, sql) => {
    expect(() => parser.astify(sql, { database: 'TransactSQL' })).not.toThrow();
  });

  it('never updates or deletes Sage business rows, posts, or numbers with MAX()+1', () => {
    const updates = sqlStatements.filter(([, sql]) => /^\s*UPDATE/i.test(sql)).map(([, sql]) => /^\s*UPDATE\s+(\w+)/i.exec(sql)?.[1]);
    // Counters Sage itself bumps, our own new batch's comment, and our own migration session.
    expect([...new Set(updates)].sort()).toEqual(['tciBatchLog', 'tciTranTypeCompany', 'tsmMigrateSession']);
    for (const [name, sql] of sqlStatements) {
      expect(sql, name).not.toMatch(/\bDELETE\b|\bMAX\s*\(|tglPosting|tglAcctHist|spglGeneralJrnlPostAll|spciPost|\bStatus\s*=\s*@/i);
      // Posted GL is read, never written: one SELECT reads it, and it needs SELECT alone.
      if (/tglTransaction/i.test(sql)) expect(name).toBe('SELECT_POSTED_JOURNAL_LINES');
    }
    expect([...(requiredPermissions().get('tglTransaction') ?? [])]).toEqual(['SELECT']);
    const setClause = /SET (.*) WHERE/.exec(statements.UPDATE_BATCH_LOG_COMMENT)?.[1] ?? '';
    expect(setClause).toBe('BatchCmnt = @batchCmnt, PostDate = @postDate');
  });

  it('only names tables and columns the sandbox has, as the required-schema list says', () => {
    const sandbox = new Map(ALL_TABLES.map((table) => [table.name, new Set(table.columns.map((text) => parseColumn(text).name))]));
    for (const [table, columns] of requiredColumns()) {
      const known = sandbox.get(table);
      expect(known, table).toBeDefined();
      for (const column of columns) expect(known?.has(column), `${table}.${column}`).toBe(true);
    }
  });

  it('inserts into a table only the columns required-schema knows the writer fills', () => {
    const required = requiredColumns();
    for (const [name, sql] of sqlStatements.filter(([, text]) => /^\s*INSERT/i.test(text))) {
      const ast = parser.astify(sql, { database: 'TransactSQL' });
      const insert = Array.isArray(ast) ? ast[0] : ast;
      expect(insert?.type, name).toBe('insert');
      const table = /^\s*INSERT INTO (\w+)/i.exec(sql)?.[1] ?? '';
      const columns = (insert as { columns: string[] | null }).columns ?? [];
      for (const column of columns) expect(required.get(table)?.has(column), `${table}.${column}`).toBe(true);
    }
  });
});
