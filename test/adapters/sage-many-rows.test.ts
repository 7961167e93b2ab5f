import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { multiRowInserts, selectByKeys } from '../../main/adapters/sage/many-rows.js';
import { renderRequests } from '../../main/adapters/sage/mssql-batch.js';
import { int, money, varchar } from '../../main/adapters/sage/sql-params.js';
import { MAX_PARAMETERS_PER_REQUEST, type BatchStep, type SqlParams } from '../../main/adapters/sage/sql-port.js';
import { INSERT_JOURNAL_DETL, SELECT_XREF_BY_DOC_KEY } from '../../main/adapters/sage/statements.js';

/** Many rows per statement and many statements per request, within SQL Server's limits, as valid T-SQL. */
const parser = new Parser();
const parses = (sql: string): void => {
  parser.astify(sql, { database: 'TransactSQL' });
};

function line(index: number): SqlParams {
  return {
    jrnlHdrKey: int(1_000 + Math.floor(index / 3)),
    entryNo: int((index % 3) + 1),
    seqNo: int(16_384 * ((index % 3) + 1)),
    glAcctKey: int(7),
    postAmt: money(`${index}.000`),
    postCmnt: varchar(50, `line ${index}`),
    companyId: varchar(3, 'SOA'),
    tranDate: { type: 'datetime', value: '2026-11-26' },
  };
}

describe('multi-row statements and T-SQL batches', () => {
  it('turns rows into one INSERT with a tuple per row, equal values sharing one parameter', () => {
    const [step, ...rest] = multiRowInserts(INSERT_JOURNAL_DETL, [line(0), line(1), line(2), line(3)]);
    expect(rest).toEqual([]);
    if (step?.kind !== 'execute') throw new Error('not an execute');
    expect(step.sql.match(/\), \(/g)).toHaveLength(3);
    expect(() => parses(step.sql)).not.toThrow();
    // 8 per row without sharing; the company, date, account and the repeated entry numbers share.
    expect(Object.keys(step.params ?? {}).length).toBeLessThan(4 * 8);
    expect(step.sql).toContain("VALUES (@r0_jrnlHdrKey, @r0_entryNo, @r0_seqNo, @r0_glAcctKey, @r0_postAmt, @r0_postAmt, 0, @r0_postCmnt, @r0_companyId, @r0_tranDate, '')");
    expect(step.sql).toContain("(@r3_jrnlHdrKey, @r0_entryNo, @r0_seqNo, @r0_glAcctKey, @r3_postAmt, @r3_postAmt, 0, @r3_postCmnt, @r0_companyId, @r0_tranDate, '')");
  });

  it('splits rows into statements that stay within 2,100 parameters and 1,000 rows', () => {
    const steps = multiRowInserts(INSERT_JOURNAL_DETL, Array.from({ length: 3_000 }, (_, index) => line(index)));
    expect(steps.length).toBeGreaterThan(1);
    let rows = 0;
    for (const step of steps) {
      if (step.kind !== 'execute') throw new Error('not an execute');
      expect(Object.keys(step.params ?? {}).length).toBeLessThanOrEqual(MAX_PARAMETERS_PER_REQUEST);
      const tuples = (step.sql.match(/\), \(/g) ?? []).length + 1;
      expect(tuples).toBeLessThanOrEqual(1_000);
      // Every parameter the text names is declared.
      for (const match of step.sql.matchAll(/@(\w+)/g)) expect(step.params).toHaveProperty(match[1]!);
      rows += tuples;
    }
    expect(rows).toBe(3_000);
  });

  it('packs steps into requests of at most 2,100 parameters, each parameter renamed to its step', () => {
    const key: BatchStep = { kind: 'procedure', name: 'spGetNextSurrogateKey', binding: 'name', args: [{ name: 'iTableName', param: varchar(30, 'tglJournalHdr') }, { name: 'oNewKey', param: int(null), output: true }] };
    const requests = renderRequests(Array.from({ length: 1_500 }, () => key), 'SET XACT_ABORT OFF; ');
    expect(requests).toHaveLength(2);
    expect(requests.map((request) => request.inputs.size + request.outputs.size)).toEqual([2_100, 900]);
    expect(requests[0]!.text.startsWith('SET XACT_ABORT OFF; EXEC spGetNextSurrogateKey @iTableName = @s0_p1, @oNewKey = @s0_p2 OUTPUT;\nEXEC spGetNextSurrogateKey @iTableName = @s1_p1')).toBe(true);
    expect(requests[1]!.steps[0]).toEqual({ index: 1_050, outputs: [{ arg: 'oNewKey', parameter: 's1050_p2' }] });
    const insert = multiRowInserts(INSERT_JOURNAL_DETL, [line(0), line(1)]);
    const [rendered] = renderRequests(insert);
    expect(rendered!.text).not.toMatch(/@r0_/);
    expect(rendered!.text).toContain('@s0_r0_jrnlHdrKey');
    expect([...rendered!.inputs.keys()].every((name) => name.startsWith('s0_'))).toBe(true);
  });

  it('looks up many keys with one IN list', () => {
    const { sql, params } = selectByKeys(SELECT_XREF_BY_DOC_KEY, 'DocKey', 'docKey', [varchar(100, 'a'), varchar(100, 'b')]);
    expect(sql).toBe('SELECT DocKey, SageTable, SageKey, SageNumber, BatchKey FROM tciStripeXref_STRIPE WHERE CompanyID = @companyId AND DocKey IN (@docKey0, @docKey1)');
    expect(Object.keys(params)).toEqual(['docKey0', 'docKey1']);
    expect(() => parses(sql)).not.toThrow();
  });
});
