import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import type { ParameterBinding, ProcedureArg, SagePort, SqlParam, SqlParams, SqlSession } from '../../main/adapters/sage/sql-port.js';
import { requiredPermissions, WRITER_PARAM_TYPES, WRITER_PROCEDURE_CALLS, type SentType } from '../../main/adapters/sage/writer-contract.js';
import { customer, journal, openFixture, salesOrder, type SandboxFixture } from './sage-fixtures.js';

/**
 * The oracle for writer-contract.ts: the real writer runs on the sandbox through a port that
 * records every INSERT parameter and procedure call, and what it recorded must be exactly what
 * the contract declares (which `s5sync check` holds against a site's schema).
 */

interface Recording {
  inserts: Map<string, Map<string, SqlParam>>;
  calls: Map<string, { args: readonly ProcedureArg[]; binding: ParameterBinding }>;
}

function recordingSession(inner: SqlSession, recording: Recording): SqlSession {
  return {
    query: (sql, params) => inner.query(sql, params),
    execute: (sql: string, params?: SqlParams) => {
      // A multi-row insert (many-rows.ts): its first row's tuple names each column's parameter.
      const match = /^INSERT INTO (\w+) \((.*?)\) VALUES \((.*?)\)(?:, \(.*\))?$/s.exec(sql);
      if (match) {
        const columns = match[2]!.split(',').map((column) => column.trim());
        const values = match[3]!.split(',').map((value) => value.trim());
        const table = recording.inserts.get(match[1]!) ?? new Map<string, SqlParam>();
        columns.forEach((column, index) => {
          const value = values[index]!;
          if (value.startsWith("@")) table.set(column, params![value.slice(1)]!);
        });
        recording.inserts.set(match[1]!, table);
      }
      return inner.execute(sql, params);
    },
    procedure: (name, args, binding) => {
      recording.calls.set(name, { args, binding: binding ?? 'position' });
      return inner.procedure(name, args, binding);
    },
  };
}

function recordingPort(port: SagePort, recording: Recording): SagePort {
  const session = recordingSession(port, recording);
  return {
    dialect: port.dialect,
    ...session,
    transaction: (work) => port.transaction((tx) => work(recordingSession(tx, recording))),
    acquireAppLock: (resource) => port.acquireAppLock(resource),
    close: () => port.close(),
  };
}

/** The declared type as the executor receives it: a code value is a number, so a smallint, with the public defaults. */
function asParamType(sent: SentType): Record<string, unknown> {
  switch (sent.kind) {
    case 'varchar':
      return { type: 'varchar', length: sent.length };
    case 'decimal':
      return { type: 'decimal', precision: sent.precision, scale: sent.scale };
    case 'code':
      return { type: 'smallint' };
    default:
      return { type: sent.kind };
  }
}

function typeOf(param: SqlParam): Record<string, unknown> {
  const { value: _value, ...type } = param;
  return type;
}

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

describe('writer-contract.ts against the real writer', () => {
  it('declares every INSERT parameter type and every procedure call the writer makes', async () => {
    const recording: Recording = { inserts: new Map(), calls: new Map() };
    const writer = new SageWriter(recordingPort(fx.port, recording), { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
    await writer.write(journal('je:contract'), { runId: 1 });
    await writer.write(customer('ADA'), { runId: 1 });
    await writer.write(salesOrder('so:contract', 'ADA'), { runId: 1 });

    const recordedTables = [...recording.inserts.keys()].filter((table) => table !== 'tciStripeXref_STRIPE').sort();
    expect(recordedTables).toEqual(Object.keys(WRITER_PARAM_TYPES).filter((table) => recording.inserts.has(table)).sort());
    for (const [table, columns] of recording.inserts) {
      if (table === 'tciStripeXref_STRIPE') continue;
      const declared = Object.fromEntries(Object.entries(WRITER_PARAM_TYPES[table] ?? {}).filter(([column]) => columns.has(column)).map(([column, sent]) => [column, asParamType(sent)]));
      expect(Object.fromEntries([...columns].map(([column, param]) => [column, typeOf(param)])), table).toEqual(declared);
    }
    expect([...recording.calls.keys()].sort()).toEqual(Object.keys(WRITER_PROCEDURE_CALLS).sort());
    for (const [name, { args, binding }] of recording.calls) {
      const declared = WRITER_PROCEDURE_CALLS[name]!;
      expect(binding, name).toBe(declared.byName ? 'name' : 'position');
      expect(args.map((arg) => ({ name: arg.name, output: arg.output ?? false, ...typeOf(arg.param) })), name).toEqual(
        declared.args.map((arg) => ({ name: arg.name, output: arg.output, ...asParamType(arg.type) })),
      );
    }
  });

  it('derives the permissions from the statement text', () => {
    const needed = requiredPermissions();
    // SELECT: a payout journal Sage already holds is read back before it is adopted (journals-in-sage.ts).
    expect([...(needed.get('tglJournalDetl') ?? [])].sort()).toEqual(['INSERT', 'SELECT']);
    expect([...(needed.get('tarCustomer') ?? [])]).toEqual(['SELECT']);
    expect([...(needed.get('spGetNextBatch') ?? [])]).toEqual(['EXECUTE']);
    expect(needed.has('INFORMATION_SCHEMA')).toBe(false);
    // Journal numbers come from Sage's procedure, never from an UPDATE of tglJournal.
    expect([...(needed.get('tglJournal') ?? [])].sort()).toEqual(['SELECT']);
    expect([...(needed.get('spglGiveNextJrnlNo') ?? [])]).toEqual(['EXECUTE']);
  });
});
