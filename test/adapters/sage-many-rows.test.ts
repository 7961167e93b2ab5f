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
 * The statements multiRowInserts must give, written the plain way as an independent oracle:
 * row by row, a parameter shares the name of an equal one (type, size and value) already in the
 * statement or earlier in its row, else it is renamed r<row>_<name>; a row that would pass
 * 1,000 rows or the parameter budget starts a new statement, renamed afresh.
 */
function expectedInserts(single: string, rows: readonly SqlParams[], budget: number): BatchStep[] {
  if (rows.length === 1) return [{ kind: 'execute', sql: single, params: rows[0]! }];
  const [, head, tuple] = /^(INSERT INTO \w+ \(.*\) VALUES )\((.*)\)$/s.exec(single) as unknown as [string, string, string];
  const equality = (param: SqlParam): string => JSON.stringify([param.type, 'length' in param ? param.length : null, 'scale' in param ? [param.precision, param.scale] : null, typeof param.value, param.value]);
  const statements: { tuples: string[]; params: SqlParams; byEquality: Map<string, string> }[] = [];
  const nameRow = (statement: { byEquality: Map<string, string> }, row: SqlParams, index: number) => {
    const names = new Map<string, string>();
    const fresh = new Map<string, [string, SqlParam]>();
    for (const [name, param] of Object.entries(row)) {
      const same = statement.byEquality.get(equality(param)) ?? fresh.get(equality(param))?.[0];
      names.set(name, same ?? `r${index}_${name}`);
      if (!same) fresh.set(equality(param), [`r${index}_${name}`, param]);
    }
    return { names, fresh };
  };
  rows.forEach((row, index) => {
    let statement = statements.at(-1);
    let named = statement ? nameRow(statement, row, index) : undefined;
    if (!statement || !named || statement.tuples.length >= 1_000 || Object.keys(statement.params).length + named.fresh.size > budget) {
      statement = { tuples: [], params: {}, byEquality: new Map() };
      statements.push(statement);
      named = nameRow(statement, row, index);
    }
    for (const [key, [name, param]] of named.fresh) {
      statement.params[name] = param;
      statement.byEquality.set(key, name);
    }
    const names = named.names;
    statement.tuples.push(`(${tuple.replace(/@(\w+)/g, (text, name: string) => (names.has(name) ? `@${names.get(name)!}` : text))})`);
  });
  return statements.map(({ tuples, params }) => ({ kind: 'execute', sql: `${head}${tuples.join(', ')}`, params }));
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
  it('gives the statements and parameters of the plain rule, on random rows of real and made-up statements', () => {
    const random = new SeededRandom(19);
    const statements = [
      { single: INSERT_JOURNAL_DETL, names: ['jrnlHdrKey', 'entryNo', 'seqNo', 'glAcctKey', 'postAmt', 'postCmnt', 'companyId', 'tranDate'] },
      { single: INSERT_XREF, names: ['docKey', 'stripeObjectId', 'stripeObjectType', 'companyId', 'sageTable', 'sageKey', 'sageNumber', 'batchKey', 'syncState'] },
      // A parameter the row has and the text does not name is still sent; one the row lacks keeps its name.
      { single: 'INSERT INTO tThing (A, B, C) VALUES (@a, 0, @b, @a, @c)', names: ['a', 'b', 'unused'] },
      { single: INSERT_STG_CUSTOMER, names: ['sessionKey', 'custId', 'custName', 'custClassId', 'addrLine1', 'addrLine2', 'city', 'email', 'contactName'] },
    ];
    // The parameters' order too: it is the order they are declared in on SQL Server.
    const parameterNames = (steps: readonly BatchStep[]) => steps.map((step) => (step.kind === 'execute' ? Object.keys(step.params ?? {}) : []));
    const compare = (single: string, rows: readonly SqlParams[], budget: number): BatchStep[] => {
      const steps = multiRowInserts(single, rows, budget);
      const expected = expectedInserts(single, rows, budget);
      expect(steps).toEqual(expected);
      expect(parameterNames(steps)).toEqual(parameterNames(expected));
      return steps;
    };
    for (let set = 0; set < 200; set += 1) {
      const { single, names } = random.pick(statements);
      compare(single, randomRows(random, random.pick([2, 3, 10, 40, 300]), names), random.pick([MAX_PARAMETERS_PER_REQUEST, 40, 9]));
    }
    // Past 1,000 rows and 2,100 parameters.
    expect(compare(INSERT_JOURNAL_DETL, randomRows(random, 2_500, statements[0]!.names), MAX_PARAMETERS_PER_REQUEST).length).toBeGreaterThan(2);
  });

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
