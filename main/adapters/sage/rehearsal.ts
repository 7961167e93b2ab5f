import { formatSageAmount, parseSageAmount } from '../../core/money/sage-amount.js';
import type { CustomerDocument, JournalDocument, SageDocument, SageRef, SalesOrderDocument } from '../../core/sage/documents.js';
import { readCustomer, readGlBatch, readSalesOrder, type DocumentRows } from './golden-capture.js';
import { SageWriter, type SageWriterOptions } from './sage-writer.js';
import { numberColumn, textColumn } from './sql-params.js';
import type { SagePort, SqlSession } from './sql-port.js';
import { findXref } from './xref-store.js';

/**
 * `s5sync check --rehearse` and `s5sync capture diff`: one sample of each enabled document
 * type goes through the real writer inside ONE transaction on the site's database, is read
 * back column for column, and the transaction is then always rolled back. Each step reports
 * PASS/FAIL with Sage's own message. Keys and numbers Sage handed out inside the transaction
 * are rolled back too (at worst a gap, which Sage tolerates, sources S6, S12, docs/sage-sources.md).
 */

export type RehearsedKind = 'gl-batch' | 'customer' | 'sales-order' | 'cash-receipt' | 'ar-invoice';

export interface RehearsalSamples {
  journal: JournalDocument;
  /** Null when the site creates no customers. */
  customer: CustomerDocument | null;
  /** Null when the order flow is off; its customer is the sample customer or an existing one. */
  salesOrder: SalesOrderDocument | null;
}

export interface RehearsalStep {
  kind: RehearsedKind | 'rollback';
  label: string;
  passed: boolean;
  detail: string;
  /** The rows the writer produced, read back inside the transaction. */
  rows: DocumentRows | null;
}

export class RolledBack extends Error {
  constructor() {
    super('rehearsal rolled back');
    this.name = 'RolledBack';
  }
}

/**
 * The port the writer sees during a rehearsal: everything runs on the one open transaction;
 * the writer's own transactions become part of it (SQL Server nests BEGIN TRAN the same way).
 */
export function insideTransaction(port: SagePort, tx: SqlSession): SagePort {
  return {
    dialect: port.dialect,
    query: (sql, params) => tx.query(sql, params),
    execute: (sql, params) => tx.execute(sql, params),
    procedure: (name, args, binding) => tx.procedure(name, args, binding),
    transaction: (work) => work(tx),
    acquireAppLock: () => Promise.reject(new Error('a rehearsal takes no writer lock; it writes nothing that stays')),
    close: () => Promise.resolve(),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The journal as written must be the journal as planned: one header, its lines in order with their amounts, summing to zero. */
function journalProblem(doc: JournalDocument, ref: SageRef, rows: DocumentRows): string | null {
  const header = (rows['tglJournalHdr'] ?? []).find((row) => numberColumn(row, 'JrnlHdrKey') === ref.sageKey);
  if (!header) return `no tglJournalHdr row ${ref.sageKey} in batch ${String(ref.batchKey)}`;
  if ((rows['tciBatchLog'] ?? []).length !== 1 || (rows['tglBatch'] ?? []).length !== 1) return `batch ${String(ref.batchKey)} has no tciBatchLog or tglBatch row`;
  const lines = (rows['tglJournalDetl'] ?? []).filter((row) => numberColumn(row, 'JrnlHdrKey') === ref.sageKey);
  const written = lines.map((row) => formatSageAmount(parseSageAmount(textColumn(row, 'PostAmt') ?? '')));
  const planned = doc.lines.map((line) => formatSageAmount(parseSageAmount(line.amount)));
  if (written.join(' ') !== planned.join(' ')) return `tglJournalDetl.PostAmt reads back as [${written.join(', ')}], planned [${planned.join(', ')}]`;
  return null;
}

function customerProblem(doc: CustomerDocument, rows: DocumentRows): string | null {
  const customer = rows['tarCustomer']?.[0];
  if (!customer || textColumn(customer, 'CustID') !== doc.custId) return `tarCustomer has no row for ${doc.custId}`;
  if ((rows['tarCustStatus'] ?? []).length !== 1) return `Sage created no tarCustStatus row for ${doc.custId}`;
  if ((rows['tciAddress'] ?? []).length === 0) return `Sage created no address (tciAddress) for ${doc.custId}`;
  return null;
}

/** S2: SO status 1 = Open; an order the API files Closed would never be shipped or invoiced. */
const SO_STATUS_OPEN = 1;

function salesOrderProblem(doc: SalesOrderDocument, rows: DocumentRows): string | null {
  const order = rows['tsoSalesOrder']?.[0];
  if (!order) return 'tsoSalesOrder has no row for the order';
  if (numberColumn(order, 'Status') !== SO_STATUS_OPEN) return `the order was created with tsoSalesOrder.Status ${numberColumn(order, 'Status')}, not Open (1)`;
  const lines = rows['tsoSOLine'] ?? [];
  if (lines.length !== doc.lines.length) return `tsoSOLine has ${lines.length} lines, planned ${doc.lines.length}`;
  return null;
}

const LABELS: Record<Exclude<RehearsedKind, 'cash-receipt' | 'ar-invoice'>, string> = { 'gl-batch': 'GL journal in a pending batch', customer: 'Customer through spARapiCustomerIns', 'sales-order': 'Sales order through spSOapiSalesOrdIns' };

async function readBack(tx: SqlSession, doc: SageDocument, ref: SageRef): Promise<{ rows: DocumentRows; problem: string | null }> {
  switch (doc.type) {
    case 'journal': {
      const rows = await readGlBatch(tx, ref.batchKey ?? -1);
      return { rows, problem: journalProblem(doc, ref, rows) };
    }
    case 'customer': {
      const rows = await readCustomer(tx, ref.sageKey);
      return { rows, problem: customerProblem(doc, rows) };
    }
    case 'sales_order': {
      const rows = await readSalesOrder(tx, ref.sageKey);
      return { rows, problem: salesOrderProblem(doc, rows) };
    }
  }
}

function kindOf(doc: SageDocument): Exclude<RehearsedKind, 'cash-receipt' | 'ar-invoice'> {
  return doc.type === 'journal' ? 'gl-batch' : doc.type === 'customer' ? 'customer' : 'sales-order';
}

export async function rehearse(port: SagePort, options: SageWriterOptions, samples: RehearsalSamples): Promise<RehearsalStep[]> {
  const docs: SageDocument[] = [samples.journal, ...(samples.customer ? [samples.customer] : []), ...(samples.salesOrder ? [samples.salesOrder] : [])];
  const steps: RehearsalStep[] = [];
  try {
    await port.transaction(async (tx) => {
      const writer = new SageWriter(insideTransaction(port, tx), options);
      for (const doc of docs) {
        const kind = kindOf(doc);
        try {
          const ref = await writer.write(doc, { runId: 0 });
          const { rows, problem } = await readBack(tx, doc, ref);
          steps.push({ kind, label: LABELS[kind], passed: problem === null, detail: problem ?? `written and read back (${ref.sageTable} ${ref.sageNumber})`, rows });
        } catch (error) {
          // SQL Server dooms the whole transaction after an error (XACT_ABORT): later steps cannot run.
          steps.push({ kind, label: LABELS[kind], passed: false, detail: message(error), rows: null });
          break;
        }
      }
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) {
      steps.push({ kind: 'rollback', label: 'Rehearsal transaction', passed: false, detail: `the rehearsal could not run: ${message(error)}`, rows: null });
      return steps;
    }
  }
  for (const doc of docs.slice(steps.length)) steps.push({ kind: kindOf(doc), label: LABELS[kindOf(doc)], passed: false, detail: 'not run: an earlier step failed', rows: null });
  const left = [];
  for (const doc of docs) if (await findXref(port, options.companyId, doc.key)) left.push(doc.key);
  steps.push(
    left.length === 0
      ? { kind: 'rollback', label: 'Rolled back', passed: true, detail: 'nothing the rehearsal wrote is left in Sage', rows: null }
      : { kind: 'rollback', label: 'Rolled back', passed: false, detail: `cross-reference rows remain for ${left.join(', ')}`, rows: null },
  );
  return steps;
}
