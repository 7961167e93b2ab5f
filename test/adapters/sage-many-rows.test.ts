import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { multiRowInserts, selectByKeys } from '../../main/adapters/sage/many-rows.js';
import { renderRequests } from '../../main/adapters/sage/mssql-batch.js';
import { int, money, varchar } from '../../main/adapters/sage/sql-params.js';
import { MAX_PARAMETERS_PER_REQUEST, type BatchStep, type SqlParam, type SqlParams } from '../../main/adapters/sage/sql-port.js';
import { INSERT_JOURNAL_DETL, INSERT_STG_CUSTOMER, INSERT_XREF, SELECT_XREF_BY_DOC_KEY } from '../../main/adapters/sage/statements.js';
import { SeededRandom } from '../../main/simulators/stripe/seeded-random.js';

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

/**
 * What a statement inserts, independent of how its parameters are named: its text with every
 * parameter replaced by the value it carries (type, size and value), so statements built either
 * way compare equal when they insert the same rows. A name with no parameter stays as it is.
 */
function withValues(sql: string, params: SqlParams): string {
  return sql.replace(/@(\w+)/g, (text, name: string) => {
    const param = params[name];
    if (!param) return text;
    return `<${JSON.stringify([param.type, 'length' in param ? param.length : null, 'scale' in param ? [param.precision, param.scale] : null, typeof param.value, param.value])}>`;
  });
}

/** The rows' single-row tuples with their own values, in order: what the statements together must insert. */
function expectedTuples(single: string, rows: readonly SqlParams[]): string[] {
  const [, , tuple] = /^(INSERT INTO \w+ \(.*\) VALUES )\((.*)\)$/s.exec(single) as unknown as [string, string, string];
  return rows.map((row) => `(${withValues(tuple, row)})`);
}

/** The tuples the statements insert, in order, with their values (each statement's text split after its head). */
function insertedTuples(single: string, steps: readonly BatchStep[]): string[] {
  const [, head] = /^(INSERT INTO \w+ \(.*\) VALUES )/s.exec(single) as unknown as [string, string];
  return steps.flatMap((step) => {
    if (step.kind !== 'execute' || !step.sql.startsWith(head)) throw new Error(`not an insert of ${head}`);
    return withValues(step.sql.slice(head.length), step.params ?? {}).split(/(?<=\)), (?=\()/);
  });
}

/** The parameters a row has that the text does not name are still sent, each with its value: the values of such a parameter across the rows, in order, deduplicated the way constants are. */
function unnamedValues(steps: readonly BatchStep[], name: string): SqlParam[] {
  return steps.flatMap((step) => (step.kind === 'execute' ? Object.entries(step.params ?? {}).filter(([key]) => key === name || key.endsWith(`_${name}`)).map(([, param]) => param) : []));
}

/** Rows with many equal values across types and sizes (5 as int and smallint, "5" as varchar(3) and (12), nvarchar, decimals of three sizes, nulls). */
function randomRows(random: SeededRandom, count: number, names: readonly string[]): SqlParams[] {
  const value = (): SqlParam => {
    const small = random.int(0, 6);
    const text = random.chance(0.1) ? null : random.chance(0.5) ? String(small) : `${small}.000`;
    switch (random.int(0, 7)) {
      case 0:
        return int(random.chance(0.1) ? null : small);
      case 1:
        return { type: 'smallint', value: small };
      case 2:
        return varchar(random.pick([3, 12]), text);
      case 3:
        return { type: 'nvarchar', length: 12, value: text };
      case 4:
        return money(text);
      case 5:
        return random.chance(0.5) ? { type: 'decimal', precision: 16, scale: 8, value: text } : { type: 'decimal', precision: 15, scale: 5, value: text };
      case 6:
        return { type: 'datetime', value: random.pick(['2026-11-26', '2026-11-27', null]) };
      default:
        return varchar(100, `doc-${random.int(0, count)}`);
    }
  };
  return Array.from({ length: count }, () => Object.fromEntries(names.filter(() => random.chance(0.95)).map((name) => [name, value()])));
}

describe('multi-row statements and T-SQL batches', () => {
  it('inserts exactly the rows given, in order, within 100 rows and the parameter budget a statement, on random rows of real and made-up statements', () => {
    const random = new SeededRandom(19);
    const statements = [
      { single: INSERT_JOURNAL_DETL, names: ['jrnlHdrKey', 'entryNo', 'seqNo', 'glAcctKey', 'postAmt', 'postCmnt', 'companyId', 'tranDate'] },
      { single: INSERT_XREF, names: ['docKey', 'stripeObjectId', 'stripeObjectType', 'companyId', 'sageTable', 'sageKey', 'sageNumber', 'batchKey', 'syncState'] },
      // A parameter the row has and the text does not name is still sent; one the row lacks keeps its name.
      { single: 'INSERT INTO tThing (A, B, C) VALUES (@a, 0, @b, @a, @c)', names: ['a', 'b', 'unused'] },
      { single: INSERT_STG_CUSTOMER, names: ['sessionKey', 'custId', 'custName', 'custClassId', 'addrLine1', 'addrLine2', 'city', 'email', 'contactName'] },
    ];
    const check = (single: string, rows: readonly SqlParams[], budget: number): BatchStep[] => {
      const steps = multiRowInserts(single, rows, budget);
      expect(insertedTuples(single, steps)).toEqual(expectedTuples(single, rows));
      for (const step of steps) {
        if (step.kind !== 'execute') throw new Error('not an execute');
        const declared = Object.keys(step.params ?? {});
        if (rows.length > 1) expect((step.sql.match(/\), \(/g) ?? []).length + 1).toBeLessThanOrEqual(100);
        // Within the budget unless one row alone passes it (the tiny budgets below).
        if (rows.length > 1 && rows.every((row) => Object.keys(row).length <= budget)) expect(declared.length).toBeLessThanOrEqual(budget);
      }
      if (rows.length > 1 && single.includes('tThing')) {
        // The unnamed parameter travels with every row that has it (or once, when every row has the same).
        const sent = unnamedValues(steps, 'unused');
        const had = rows.filter((row) => row['unused'] !== undefined).length;
        expect(sent.length === had || sent.length === steps.length).toBe(true);
      }
      return steps;
    };
    for (let set = 0; set < 200; set += 1) {
      const { single, names } = random.pick(statements);
      check(single, randomRows(random, random.pick([2, 3, 10, 40, 300]), names), random.pick([MAX_PARAMETERS_PER_REQUEST, 40, 9]));
    }
    // Past 1,000 rows and 2,100 parameters.
    expect(check(INSERT_JOURNAL_DETL, randomRows(random, 2_500, statements[0]!.names), MAX_PARAMETERS_PER_REQUEST).length).toBeGreaterThan(2);
  });

  it('turns rows into one INSERT with a tuple per row, a value equal in every row sent once', () => {
    const [step, ...rest] = multiRowInserts(INSERT_JOURNAL_DETL, [line(0), line(1), line(2), line(3)]);
    expect(rest).toEqual([]);
    if (step?.kind !== 'execute') throw new Error('not an execute');
    expect(step.sql.match(/\), \(/g)).toHaveLength(3);
    expect(() => parses(step.sql)).not.toThrow();
    // 8 per row without sharing; the company, date and account, the same in every row, are sent once.
    expect(Object.keys(step.params ?? {})).toHaveLength(3 + 4 * 5);
    expect(step.sql).toContain("VALUES (@r0_jrnlHdrKey, @r0_entryNo, @r0_seqNo, @glAcctKey, @r0_postAmt, @r0_postAmt, 0, @r0_postCmnt, @companyId, @tranDate, '')");
    expect(step.sql).toContain("(@r3_jrnlHdrKey, @r3_entryNo, @r3_seqNo, @glAcctKey, @r3_postAmt, @r3_postAmt, 0, @r3_postCmnt, @companyId, @tranDate, '')");
  });

  it("gives the same statement texts for other rows of the same count and the same values in common, so they are compiled once", () => {
    // Two chunks' journal lines: other keys, amounts, comments and entry numbers, the same company, date and account in every row.
    const chunk = (offset: number, count: number): SqlParams[] =>
      Array.from({ length: count }, (_, index) => ({ ...line(index + offset), entryNo: int(((index * 7 + offset) % 5) + 1), seqNo: int(index + offset) }));
    const texts = (rows: SqlParams[]) => multiRowInserts(INSERT_JOURNAL_DETL, rows).map((step) => (step.kind === 'execute' ? step.sql : ''));
    const first = texts(chunk(0, 550));
    const second = texts(chunk(10_000, 530));
    expect(first).toHaveLength(6);
    expect(second).toHaveLength(6);
    // The five full statements are the same text; only the last, shorter one differs.
    expect(second.slice(0, 5)).toEqual(first.slice(0, 5));
    expect(second[5]).not.toEqual(first[5]);
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
    expect(rendered!.text).toContain('@s0_r0_postAmt');
    expect(rendered!.text).toContain('@s0_companyId');
    expect([...rendered!.inputs.keys()].every((name) => name.startsWith('s0_'))).toBe(true);
  });

  it('looks up many keys with one IN list', () => {
    const { sql, params } = selectByKeys(SELECT_XREF_BY_DOC_KEY, 'DocKey', 'docKey', [varchar(100, 'a'), varchar(100, 'b')]);
    expect(sql).toBe('SELECT DocKey, SageTable, SageKey, SageNumber, BatchKey FROM tciStripeXref_STRIPE WHERE CompanyID = @companyId AND DocKey IN (@docKey0, @docKey1)');
    expect(Object.keys(params)).toEqual(['docKey0', 'docKey1']);
    expect(() => parses(sql)).not.toThrow();
  });
});
