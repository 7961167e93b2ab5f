import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSandbox, openSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import type { SagePort } from '../../main/adapters/sage/sql-port.js';
import { int, smallint, varchar } from '../../main/adapters/sage/sql-params.js';
import { expect } from 'vitest';
import { SageWriteError } from '../../main/core/ports/sage-target.js';
import type { CustomerDocument, JournalDocument, SalesOrderDocument } from '../../main/core/sage/documents.js';

export const TODAY = '2026-11-26';

export interface SandboxFixture {
  path: string;
  port: SagePort;
  /** A plain SQLite connection for reading back by Sage names, as a tester would. */
  raw: Database.Database;
  writer: SageWriter;
  close(): Promise<void>;
}

export function openFixture(): SandboxFixture {
  const dir = mkdtempSync(join(tmpdir(), 'sage-sandbox-'));
  const path = join(dir, 'sandbox.db');
  createSandbox(path, { today: TODAY });
  const port = openSandbox(path);
  const raw = new Database(path);
  const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
  return {
    path,
    port,
    raw,
    writer,
    async close() {
      raw.close();
      await port.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function journal(key: string, overrides: Partial<JournalDocument> = {}): JournalDocument {
  return {
    type: 'journal',
    key,
    postDate: TODAY,
    stripeObjectId: 'po_1Abc',
    description: 'Stripe payout po_1Abc',
    lines: [
      { acctNo: '1010-00', amount: '96.800', comment: 'Payout po_1Abc', traceId: 'txn_1' },
      { acctNo: '6150-00', amount: '3.200', comment: 'Stripe fees po_1Abc', traceId: 'txn_1' },
      { acctNo: '1050-00', amount: '-100.000', comment: 'Clearing po_1Abc', traceId: 'txn_1' },
    ],
    ...overrides,
  };
}

export function customer(custId: string, overrides: Partial<CustomerDocument> = {}): CustomerDocument {
  return {
    type: 'customer',
    key: `customer:cus_${custId}`,
    stripeObjectId: `cus_${custId}`,
    custId,
    custName: 'Ada Lovelace Ltd',
    custClassId: 'RETAIL',
    addrLines: ['12 Analytical Way', 'Suite 3'],
    city: 'Springfield',
    stateId: 'IL',
    postalCode: '62701',
    countryId: 'USA',
    contactName: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: '217-555-0100',
    ...overrides,
  };
}

export function salesOrder(key: string, custId: string, overrides: Partial<SalesOrderDocument> = {}): SalesOrderDocument {
  return {
    type: 'sales_order',
    key,
    stripeObjectId: 'in_1Xyz',
    custId,
    tranDate: TODAY,
    comment: `Stripe ${key}`,
    lines: [
      { itemId: 'STRIPE-SALE', description: 'Pro plan', quantity: '2.00000000', unitPrice: '25.00000', extAmount: '50.000' },
      { itemId: 'STRIPE-SALE', description: 'Setup fee', quantity: '1.00000000', unitPrice: '10.00000', extAmount: '10.000' },
    ],
    ...overrides,
  };
}

/** Rows in a Sage table, read with plain SQL. */
export function rowCount(raw: Database.Database, table: string): number {
  return (raw.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** The SageWriteError a write rejected with (fails the test if it resolved or threw something else). */
export async function sageWriteRejection(promise: Promise<unknown>): Promise<SageWriteError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SageWriteError);
  return error as SageWriteError;
}

/**
 * The parameters of a Sage staging API call (spARapiCustomerIns, spSOapiSalesOrdIns: S3/S4) for
 * company SOA, with the running totals a later call of the same session passes in.
 */
export function stagingApiArgs(sessionKey: number, options: { rptOption?: number; processed?: number; failed?: number; total?: number } = {}) {
  return [
    { name: 'oContinue', param: smallint(0), output: true },
    { name: 'iCancel', param: smallint(0) },
    { name: 'iSessionKey', param: int(sessionKey) },
    { name: 'iCompanyID', param: varchar(3, 'SOA') },
    { name: 'iRptOption', param: int(options.rptOption ?? 0) },
    { name: 'iPrintWarnings', param: smallint(1) },
    { name: 'iUseStageTable', param: smallint(1) },
    { name: 'oRecsProcessed', param: int(options.processed ?? 0), output: true },
    { name: 'oFailedRecs', param: int(options.failed ?? 0), output: true },
    { name: 'oTotalRecs', param: int(options.total ?? 0), output: true },
    { name: '_oRetVal', param: int(null), output: true },
  ];
}

/** `port` whose first transaction fails as SQL Server fails a deadlock victim, and whose later ones run: a writer's shared transaction falls back to one document at a time. */
export function firstTransactionFails(port: SagePort): SagePort {
  let transactions = 0;
  return {
    ...port,
    dialect: port.dialect,
    query: (sql, params) => port.query(sql, params),
    execute: (sql, params) => port.execute(sql, params),
    procedure: (name, args, binding) => port.procedure(name, args, binding),
    transaction: (work) => (++transactions === 1 ? Promise.reject(new Error('deadlock victim')) : port.transaction(work)),
    acquireAppLock: (resource) => port.acquireAppLock(resource),
    close: () => port.close(),
  };
}
