import { formatSageAmount, parseSageAmount, type SageAmount } from '../../core/money/sage-amount.js';
import { SageWriteError } from '../../core/ports/sage-target.js';
import type { ArCashReceipt, JournalDocument, SageRef } from '../../core/sage/documents.js';
import {
  ADD_AR_BATCH_DEPOSIT,
  insertRow,
  NO_BATCH,
  SELECT_AR_CUSTOMER,
  SELECT_INVOICE_TO_APPLY,
  selectNextNumbers,
  selectPendingApplied,
  SET_AR_BATCH_CASH_ACCOUNT,
  TAKE_BATCH_SEQ_NOS,
} from './ar-statements.js';
import type { ReceiptTemplate } from './ar-receipt-template.js';
import { SELECT_COLUMN_TYPES } from './check-statements.js';
import { checkFiscalPeriod, readCompany, type CompanyFacts } from './gl-checks.js';
import { PassedAccountChecks } from './passed-account-checks.js';
import { isDocumentData } from './golden-diff.js';
import { multiRowInserts, selectByKeys } from './many-rows.js';
import { getNextBatch } from './next-batch.js';
import { PassedChecksCache } from './passed-checks-cache.js';
import { reserveSurrogateKeys } from './reserve-key.js';
import { MODULE_AR, TRAN_NO_LENGTH } from './sage-codes.js';
import { datetime, int, money, numberColumn, textColumn, varchar } from './sql-params.js';
import { runBatch, type BatchStep, type SagePort, type SqlParam, type SqlParams, type SqlRow, type SqlSession } from './sql-port.js';
import { INSERT_XREF, RESERVE_TRAN_NOS, SELECT_PENDING_BATCH, UPDATE_BATCH_LOG_COMMENT } from './statements.js';
import { findXrefs, xrefParams } from './xref-store.js';
import { ownInvoice } from './ar-own-invoice.js';
import { capturedParam, type ColumnValue, type SiteColumn } from './captured-row.js';

/**
 * Writes a Stripe payment as an AR cash receipt into a pending AR cash-receipt batch (never
 * posted: a Sage user reviews and posts it), applied to the matched invoice or left on
 * account, with the cross-reference row in the same transaction (issue #21).
 *
 * Only what the site proved is written: the tables and columns are those of the cash receipt a
 * Sage user keyed on this site (ar-receipt-template.ts). The writer fills the columns that are
 * the payment's own (keys, customer, amounts, dates, numbers, who created it); every other
 * column takes the captured row's value, which is how the site's codes (CreateType,
 * AppliedAtCreation, statuses…) reach the row. A column of the document's own data the writer
 * does not know (a check number, another key) is copied only when the capture left it empty or
 * zero; otherwise the receipt is refused with the column named, never filled with the golden
 * document's data.
 */

/** D, UNVERIFIED: pending and posted pairs share their key (tarPendInvoice/tarInvoice, S6), so a receipt takes its key from the posted payments' table (tarCustPmt, S8, S11). */
const RECEIPT_KEY_TABLE = 'tarCustPmt';

export interface ArReceiptWriterOptions {
  companyId: string;
  userId: string;
  template: ReceiptTemplate;
}

interface PreparedReceipt {
  doc: JournalDocument;
  receipt: ArCashReceipt;
  custKey: number;
  custClassKey: number;
  cashAcctKey: number;
  invoice: { invcKey: number; tranId: string; tranDate: string } | null;
  amount: SageAmount;
  applied: SageAmount;
}

type ReadyReceipt = PreparedReceipt & { custPmtKey: number };

export type ReceiptOutcome = { ref: SageRef } | { error: unknown };

/** What the chunk's receipts need from Sage before any of them is checked: read in one query per kind. */
interface ChunkFacts {
  company: CompanyFacts;
  customers: Map<string, SqlRow>;
  invoices: Map<number, SqlRow>;
  /** Per invoice: what applications in unposted batches take, then what earlier receipts of this chunk take. */
  taken: Map<number, SageAmount>;
}

/** Numbers and ids the document carries (a check number, a reference ID): its own data like keys and amounts, never a code to copy. */
const DOCUMENT_IDENTIFIER = /(ID|No)$/;

/** The most customers or invoices one lookup names (SQL Server's parameter limit is far above). */
const KEYS_PER_LOOKUP = 500;

function isZero(value: string | number): boolean {
  return /^-?0*(\.0*)?$/.test(String(value).trim());
}

export class ArReceiptWriter {
  /** Batches this writer created, by run and post date; filled only after a commit. */
  private readonly batches = new Map<string, number>();
  private readonly columns = new Map<string, Map<string, SiteColumn>>();
  private readonly passedChecks = new PassedChecksCache(60_000);
  private readonly passedAccounts = new PassedAccountChecks(60_000);
  private company: CompanyFacts | null = null;

  constructor(
    private readonly port: SagePort,
    private readonly options: ArReceiptWriterOptions,
  ) {}

  async write(doc: JournalDocument, runId: number): Promise<SageRef> {
    const [outcome] = await this.writeMany([doc], runId);
    if (!outcome || 'error' in outcome) throw outcome?.error ?? new Error(`cash receipt ${doc.key} was not written`);
    return outcome.ref;
  }

  /**
   * Writes receipts in ONE transaction and a handful of round trips, whatever their number, as
   * the GL journal writer does: the receipts Sage already holds found in one lookup (before
   * anything is checked: our own pending application already takes the invoice it paid), the
   * rest checked with one query per kind (customers, invoices, pending applications), their
   * keys reserved together before the transaction; inside it one xref lookup, the run's batch,
   * one block of receipt numbers and one of application SeqNos per batch, then the receipts,
   * applications, batch updates and xref rows as multi-row statements in one T-SQL batch. A
   * receipt that fails its checks is reported alone; if the shared transaction fails, nothing
   * of it stays and each receipt is written on its own, so one bad receipt never holds back the
   * others.
   */
  async writeMany(docs: readonly JournalDocument[], runId: number, warn?: (message: string) => void): Promise<ReceiptOutcome[]> {
    const outcomes = new Map<string, ReceiptOutcome>();
    const existing = await findXrefs(this.port, this.options.companyId, docs.map((doc) => doc.key));
    for (const [docKey, ref] of existing) outcomes.set(docKey, { ref });
    const prepared = await this.prepareAll(
      docs.filter((doc) => !existing.has(doc.key)),
      outcomes,
    );
    if (prepared.length === 0) return docs.map((doc) => outcomes.get(doc.key)!);
    try {
      const keys = await reserveSurrogateKeys(this.port, RECEIPT_KEY_TABLE, prepared.length);
      const refs = await this.writeGroup(
        prepared.map((receipt, index) => ({ ...receipt, custPmtKey: keys[index]! })),
        runId,
      );
      for (const ref of refs) outcomes.set(ref.docKey, { ref });
    } catch (error) {
      if (prepared.length === 1) {
        outcomes.set(prepared[0]!.doc.key, { error });
      } else {
        // The shared transaction rolled back as a whole; say why before each receipt is tried alone.
        warn?.(`writing ${prepared.length} AR cash receipt(s) in one Sage transaction failed (${error instanceof Error ? error.message : String(error)}); writing each on its own`);
        for (const { doc } of prepared) {
          try {
            outcomes.set(doc.key, { ref: await this.write(doc, runId) });
          } catch (single) {
            outcomes.set(doc.key, { error: single });
          }
        }
      }
    }
    return docs.map((doc) => outcomes.get(doc.key)!);
  }

  /** Everything that can be checked before the transaction, as Sage does (keys first, S1); a receipt that fails gets its error in `outcomes`. */
  private async prepareAll(docs: readonly JournalDocument[], outcomes: Map<string, ReceiptOutcome>): Promise<PreparedReceipt[]> {
    if (docs.length === 0) return [];
    const receipts = docs.map((doc) => doc.arReceipt);
    const facts: ChunkFacts = {
      company: await this.companyFacts(),
      customers: await this.customersOf(receipts.flatMap((receipt) => (receipt ? [receipt.custId] : []))),
      invoices: new Map(),
      taken: new Map(),
    };
    const invcKeys = [...new Set(receipts.flatMap((receipt) => (receipt?.applyTo ? [receipt.applyTo.invcKey] : [])))];
    if (invcKeys.length > 0) {
      facts.invoices = await this.invoicesOf(invcKeys);
      facts.taken = await this.pendingApplied(invcKeys);
    }
    await this.siteColumns(this.options.template.receipt.table);
    await this.siteColumns(this.options.template.application.table);
    const prepared: PreparedReceipt[] = [];
    for (const doc of docs) {
      try {
        prepared.push(await this.prepare(doc, facts));
      } catch (error) {
        outcomes.set(doc.key, { error });
      }
    }
    return prepared;
  }

  private async prepare(doc: JournalDocument, facts: ChunkFacts): Promise<PreparedReceipt> {
    const receipt = doc.arReceipt;
    if (!receipt) throw new Error(`${doc.key} is not an AR cash receipt`);
    const what = `Cash receipt ${doc.key}`;
    const { companyId, template } = this.options;
    const customer = facts.customers.get(receipt.custId);
    if (!customer) throw new SageWriteError(`${what}: Sage has no customer ${receipt.custId} in company ${companyId}`, 'data', 'tarCustomer.CustID');
    await this.passedChecks.get(`period|${doc.postDate}`, async () => {
      const period = await checkFiscalPeriod(this.port, companyId, doc.postDate);
      if (!period.ok) throw new SageWriteError(`${what}: ${period.problem}`, 'configuration', period.sageField);
      return 1;
    });
    const account = await this.passedAccounts.check(this.port, facts.company, receipt.cashAcctNo, doc.postDate);
    if (!account.ok) throw new SageWriteError(`${what}: ${account.problem}`, 'configuration', account.sageField);
    const cashAcctKey = account.value;
    const amount = parseSageAmount(receipt.amount);
    if (amount <= 0n) throw new SageWriteError(`${what}: a cash receipt needs a positive amount, got ${receipt.amount}`, 'data', `${template.receipt.table}.TranAmt`);
    const own = receipt.applyToOwnInvoice;
    const applied = receipt.applyTo ? parseSageAmount(receipt.applyTo.amount) : own ? parseSageAmount(own.amount) : 0n;
    if (applied > amount) throw new SageWriteError(`${what}: applies ${formatSageAmount(applied)}, more than the receipt's ${receipt.amount}`, 'data', `${template.application.table}.PmtAmt`);
    const invoice = receipt.applyTo ? this.checkInvoice(what, receipt, facts) : own ? await ownInvoice(this.port, companyId, what, own.docKey) : null;
    // Texts the writer owns must fit the site's columns; checked here so a long one fails alone.
    this.text(template.receipt.table, 'TranCmnt', receipt.comment, doc.key);
    if (invoice) this.text(template.application.table, 'ApplyToTranID', invoice.tranId, doc.key);
    if (invoice) facts.taken.set(invoice.invcKey, (facts.taken.get(invoice.invcKey) ?? 0n) + applied);
    return {
      doc,
      receipt,
      custKey: numberColumn(customer, 'CustKey'),
      custClassKey: numberColumn(customer, 'CustClassKey'),
      cashAcctKey,
      invoice,
      amount,
      applied,
    };
  }

  /** The invoice still exists, is the payer's, in the home currency, and has the amount open after pending applications and this chunk's earlier receipts. */
  private checkInvoice(what: string, receipt: ArCashReceipt, facts: ChunkFacts): PreparedReceipt['invoice'] {
    const applyTo = receipt.applyTo!;
    const row = facts.invoices.get(applyTo.invcKey);
    if (!row) throw new SageWriteError(`${what}: Sage invoice ${applyTo.tranId} (InvcKey ${applyTo.invcKey}) is no longer in tarInvoice`, 'data', 'tarInvoice.InvcKey');
    if (textColumn(row, 'CustID') !== receipt.custId) {
      throw new SageWriteError(`${what}: Sage invoice ${applyTo.tranId} belongs to customer ${textColumn(row, 'CustID') ?? '?'}, not ${receipt.custId}`, 'data', 'tarInvoice.CustKey');
    }
    if ((textColumn(row, 'CurrID') ?? '').toUpperCase() !== facts.company.homeCurrId.toUpperCase()) {
      throw new SageWriteError(`${what}: Sage invoice ${applyTo.tranId} is in ${textColumn(row, 'CurrID') ?? '?'}; the sync applies home-currency payments only`, 'data', 'tarInvoice.CurrID');
    }
    const open = parseSageAmount(textColumn(row, 'BalanceHC') ?? '0') - (facts.taken.get(applyTo.invcKey) ?? 0n);
    if (parseSageAmount(applyTo.amount) > open) {
      throw new SageWriteError(
        `${what}: Sage invoice ${applyTo.tranId} has ${formatSageAmount(open)} open after applications in unposted batches, less than the ${applyTo.amount} this payment applies; confirm the payment again in the window (AR payments)`,
        'data',
        'tarInvoice.Balance',
      );
    }
    return { invcKey: applyTo.invcKey, tranId: textColumn(row, 'TranID') ?? applyTo.tranId, tranDate: textColumn(row, 'TranDate') ?? '' };
  }

  private async customersOf(custIds: readonly string[]): Promise<Map<string, SqlRow>> {
    const found = new Map<string, SqlRow>();
    const unique = [...new Set(custIds)];
    for (let start = 0; start < unique.length; start += KEYS_PER_LOOKUP) {
      const { sql, params } = selectByKeys(SELECT_AR_CUSTOMER, 'CustID', 'custId', unique.slice(start, start + KEYS_PER_LOOKUP).map((custId) => varchar(12, custId)));
      for (const row of await this.port.query(sql, { ...params, companyId: varchar(3, this.options.companyId) })) found.set(textColumn(row, 'CustID') ?? '', row);
    }
    return found;
  }

  private async invoicesOf(invcKeys: readonly number[]): Promise<Map<number, SqlRow>> {
    const found = new Map<number, SqlRow>();
    for (let start = 0; start < invcKeys.length; start += KEYS_PER_LOOKUP) {
      const { sql, params } = selectByKeys(SELECT_INVOICE_TO_APPLY, 'i.InvcKey', 'invcKey', invcKeys.slice(start, start + KEYS_PER_LOOKUP).map((invcKey) => int(invcKey)));
      for (const row of await this.port.query(sql, { ...params, companyId: varchar(3, this.options.companyId) })) found.set(numberColumn(row, 'InvcKey'), row);
    }
    return found;
  }

  private async pendingApplied(invcKeys: readonly number[]): Promise<Map<number, SageAmount>> {
    const taken = new Map<number, SageAmount>();
    for (let start = 0; start < invcKeys.length; start += KEYS_PER_LOOKUP) {
      const keys = invcKeys.slice(start, start + KEYS_PER_LOOKUP);
      const params = Object.fromEntries(keys.map((invcKey, index) => [`invc${index}`, int(invcKey)]));
      for (const row of await this.port.query(selectPendingApplied(this.options.template.application.table, keys.length), params)) {
        taken.set(numberColumn(row, 'ApplyToInvcKey'), parseSageAmount(textColumn(row, 'PmtAmtIC') ?? '0'));
      }
    }
    return taken;
  }

  private async writeGroup(receipts: readonly ReadyReceipt[], runId: number): Promise<SageRef[]> {
    const { companyId, template } = this.options;
    const created = new Map<string, number>();
    const refs = await this.port.transaction(async (tx) => {
      // A receipt another writer (or a run before a crash) committed is returned, not written twice.
      const raced = await findXrefs(tx, companyId, receipts.map(({ doc }) => doc.key));
      const todo = receipts.filter(({ doc }) => !raced.has(doc.key));
      const setUp: BatchStep[] = [];
      const checked = new Map<string, number>();
      const batchKeys: number[] = [];
      for (const { doc, cashAcctKey } of todo) batchKeys.push(await this.batchFor(tx, `${runId}|${doc.postDate}`, doc.postDate, cashAcctKey, checked, created, setUp));
      const applying = new Map<number, number>();
      todo.forEach(({ invoice }, index) => {
        if (invoice) applying.set(batchKeys[index]!, (applying.get(batchKeys[index]!) ?? 0) + 1);
      });
      const numbers = await this.takeNumbers(tx, todo.length, applying);
      const receiptRows: SqlParams[] = [];
      const applicationRows: SqlParams[] = [];
      const deposits = new Map<number, SageAmount>();
      const xrefRows: SqlParams[] = [];
      const written: SageRef[] = [];
      let receiptSql = '';
      let applicationSql = '';
      todo.forEach((prepared, index) => {
        const batchKey = batchKeys[index]!;
        const tranNo = String(numbers.firstTranNo + index).padStart(TRAN_NO_LENGTH, '0');
        const tranId = `${template.tranIdAround.before}${tranNo}${template.tranIdAround.after}`;
        const receiptRow = this.receiptRow(prepared, batchKey, tranNo, tranId);
        receiptSql = receiptRow.sql;
        receiptRows.push(receiptRow.params);
        if (prepared.invoice) {
          const seqNo = numbers.nextSeqNo.get(batchKey)!;
          numbers.nextSeqNo.set(batchKey, seqNo + 1);
          const applicationRow = this.applicationRow(prepared, prepared.invoice, batchKey, seqNo, tranId);
          applicationSql = applicationRow.sql;
          applicationRows.push(applicationRow.params);
        }
        deposits.set(batchKey, (deposits.get(batchKey) ?? 0n) + prepared.amount);
        const ref: SageRef = { docKey: prepared.doc.key, sageTable: template.receipt.table, sageKey: prepared.custPmtKey, sageNumber: tranId, batchKey };
        xrefRows.push(xrefParams({ companyId, stripeObjectId: prepared.doc.stripeObjectId, stripeObjectType: 'ar_cash_receipt' }, ref));
        written.push(ref);
      });
      if (todo.length > 0) {
        await runBatch(tx, [
          ...setUp,
          ...multiRowInserts(receiptSql, receiptRows),
          ...(applicationRows.length > 0 ? multiRowInserts(applicationSql, applicationRows) : []),
          ...(template.depositFollowsReceipts
            ? [...deposits].map(([batchKey, amount]): BatchStep => ({ kind: 'execute', sql: ADD_AR_BATCH_DEPOSIT, params: { amount: money(formatSageAmount(amount)), batchKey: int(batchKey) } }))
            : []),
          ...multiRowInserts(INSERT_XREF, xrefRows),
        ]);
      }
      return receipts.map(({ doc }) => raced.get(doc.key) ?? written.find((ref) => ref.docKey === doc.key)!);
    });
    // Only a committed batch may be reused by later receipts of this run and date.
    for (const [slot, batchKey] of created) this.batches.set(slot, batchKey);
    return refs;
  }

  private receiptRow(prepared: ReadyReceipt, batchKey: number, tranNo: string, tranId: string): { sql: string; params: SqlParams } {
    const { companyId, userId, template } = this.options;
    const { doc, receipt } = prepared;
    const home = this.company!.homeCurrId;
    const unapplied = formatSageAmount(prepared.amount - prepared.applied);
    return this.rowLike(template.receipt, {
      CustPmtKey: { param: int(prepared.custPmtKey) },
      BatchKey: { param: int(batchKey) },
      CompanyID: { param: varchar(3, companyId) },
      CustKey: { param: int(prepared.custKey) },
      CustClassKey: { param: int(prepared.custClassKey) },
      TranNo: { param: varchar(TRAN_NO_LENGTH, tranNo) },
      TranID: { param: this.text(template.receipt.table, 'TranID', tranId, doc.key) },
      TranDate: { param: datetime(doc.postDate) },
      PostDate: { param: datetime(doc.postDate) },
      TranAmt: { param: money(receipt.amount) },
      TranAmtHC: { param: money(receipt.amount) },
      UnappliedAmt: { param: money(unapplied) },
      UnappliedAmtHC: { param: money(unapplied) },
      CurrID: { param: varchar(3, home) },
      CurrExchRate: { sql: '1' },
      CashAcctKey: { param: int(prepared.cashAcctKey) },
      TranCmnt: { param: this.text(template.receipt.table, 'TranCmnt', receipt.comment, doc.key) },
      CreateDate: { sql: 'GETDATE()' },
      CreateUserID: { param: varchar(30, userId) },
      UpdateDate: { sql: 'NULL' },
      UpdateUserID: { sql: 'NULL' },
      UpdateCounter: { sql: '0' },
    }, doc.key);
  }

  private applicationRow(prepared: ReadyReceipt, invoice: NonNullable<PreparedReceipt['invoice']>, batchKey: number, seqNo: number, tranId: string): { sql: string; params: SqlParams } {
    const { userId, template } = this.options;
    const { doc } = prepared;
    const pmtAmt = money(formatSageAmount(prepared.applied));
    return this.rowLike(template.application, {
      BatchKey: { param: int(batchKey) },
      SeqNo: { param: int(seqNo) },
      ApplyFromPmtKey: { param: int(prepared.custPmtKey) },
      ApplyFromTranID: { param: this.text(template.application.table, 'ApplyFromTranID', tranId, doc.key) },
      ApplyFromTranDate: { param: datetime(doc.postDate) },
      ApplyToInvcKey: { param: int(invoice.invcKey) },
      ApplyToTranID: { param: this.text(template.application.table, 'ApplyToTranID', invoice.tranId, doc.key) },
      ApplyToTranDate: { param: datetime(invoice.tranDate) },
      CurrExchRate: { sql: '1' },
      PmtAmt: { param: pmtAmt },
      PmtAmtIC: { param: pmtAmt },
      DiscTakenAmt: { sql: '0' },
      DiscTakenAmtIC: { sql: '0' },
      WriteOffAmt: { sql: '0' },
      WriteOffAmtIC: { sql: '0' },
      RealGainLossAmt: { sql: '0' },
      CreateDate: { sql: 'GETDATE()' },
      CreateUserID: { param: varchar(30, userId) },
      UpdateDate: { sql: 'NULL' },
      UpdateUserID: { sql: 'NULL' },
      UpdateCounter: { sql: '0' },
    }, doc.key);
  }

  /**
   * One row shaped like the captured one: the writer's columns where it has them, the capture's
   * codes everywhere else. The statement text depends only on the template, so every row of a
   * table has the same text and they go out as one multi-row INSERT.
   */
  private rowLike(captured: { table: string; row: SqlRow }, own: Record<string, ColumnValue>, docKey: string): { sql: string; params: SqlParams } {
    const site = this.columns.get(captured.table) ?? new Map<string, SiteColumn>();
    const names: string[] = [];
    const values: string[] = [];
    const params: SqlParams = {};
    for (const [column, golden] of Object.entries(captured.row)) {
      const value = own[column] ?? this.copied(captured.table, column, golden, site.get(column), docKey);
      names.push(column);
      if ('sql' in value) {
        values.push(value.sql);
      } else {
        const name = `c${names.length}`;
        values.push(`@${name}`);
        params[name] = value.param;
      }
    }
    return { sql: insertRow(captured.table, names, values), params };
  }

  private copied(table: string, column: string, golden: string | number | null, site: SiteColumn | undefined, docKey: string): ColumnValue {
    if (golden === null) return { sql: 'NULL' };
    if (isDocumentData(column) || DOCUMENT_IDENTIFIER.test(column)) {
      if (isZero(golden) && site && ['int', 'smallint', 'decimal', 'numeric', 'float', 'real', 'money'].includes(site.dataType)) return { sql: '0' };
      throw new SageWriteError(
        `Cash receipt ${docKey}: the receipt captured on this site has ${table}.${column} = ${JSON.stringify(golden)}, data of that receipt the sync cannot fill for a Stripe payment. Capture a receipt that leaves ${column} empty, or send this line to your Sage partner`,
        'configuration',
        `${table}.${column}`,
      );
    }
    if (!site) throw new SageWriteError(`Cash receipt ${docKey}: ${table}.${column} of the captured receipt no longer exists on this database; capture again`, 'configuration', `${table}.${column}`);
    return { param: capturedParam(site, golden, `${table}.${column}`) };
  }

  /** Text the writer owns, sent with the site column's type and length (nvarchar where the site declares it). */
  private text(table: string, column: string, value: string, docKey: string): SqlParam {
    const site = this.columns.get(table)?.get(column);
    const length = site?.length ?? null;
    if (length !== null && length > 0 && [...value].length > length) {
      throw new SageWriteError(`Cash receipt ${docKey}: "${value}" does not fit ${table}.${column} (${length} characters)`, 'data', `${table}.${column}`);
    }
    const sized = length !== null && length > 0 ? length : Math.max(1, value.length);
    return site?.dataType === 'nvarchar' ? { type: 'nvarchar', length: sized, value } : varchar(sized, value);
  }

  private async siteColumns(table: string): Promise<Map<string, SiteColumn>> {
    const known = this.columns.get(table);
    if (known) return known;
    const rows = await this.port.query(SELECT_COLUMN_TYPES, { tableName: varchar(128, table) });
    const optional = (row: SqlRow, column: string): number | null => (row[column] === null || row[column] === undefined ? null : numberColumn(row, column));
    const columns = new Map(
      rows.map((row) => [
        textColumn(row, 'COLUMN_NAME') ?? '',
        { dataType: (textColumn(row, 'DATA_TYPE') ?? '').toLowerCase(), length: optional(row, 'CHARACTER_MAXIMUM_LENGTH'), precision: optional(row, 'NUMERIC_PRECISION'), scale: optional(row, 'NUMERIC_SCALE') },
      ]),
    );
    this.columns.set(table, columns);
    return columns;
  }

  private async companyFacts(): Promise<CompanyFacts> {
    if (this.company) return this.company;
    const company = await readCompany(this.port, this.options.companyId);
    if (!company) throw new SageWriteError(`Company ${this.options.companyId} does not exist in Sage (tsmCompany)`, 'configuration', 'tsmCompany.CompanyID');
    this.company = company;
    return company;
  }

  /**
   * The receipts' numbers: one block from the counter of the captured receipt's TranType, and
   * per batch one block of application SeqNos (S8 numbers a batch's applications from
   * tciBatchLog.NextSeqNo), each taken by an UPDATE that holds its row lock until commit (S8,
   * S13), sent together, then read back in one query.
   */
  private async takeNumbers(tx: SqlSession, count: number, applying: ReadonlyMap<number, number>): Promise<{ firstTranNo: number; nextSeqNo: Map<number, number> }> {
    const counter = { companyId: varchar(3, this.options.companyId), tranType: int(this.options.template.tranType) };
    const batchKeys = [...applying.keys()];
    await runBatch(tx, [
      { kind: 'execute', sql: RESERVE_TRAN_NOS, params: { ...counter, count: int(count) } },
      ...batchKeys.map((batchKey): BatchStep => ({ kind: 'execute', sql: TAKE_BATCH_SEQ_NOS, params: { batchKey: int(batchKey), count: int(applying.get(batchKey)!) } })),
    ]);
    const batchParams = Object.fromEntries(batchKeys.map((batchKey, index) => [`batch${index}`, int(batchKey)]));
    const rows = await tx.query(selectNextNumbers(batchKeys.length), { ...counter, ...batchParams });
    const tranRow = rows.find((row) => numberColumn(row, 'BatchKey') === NO_BATCH);
    if (!tranRow) {
      throw new SageWriteError(
        `Company ${this.options.companyId} has no tciTranTypeCompany row for TranType ${this.options.template.tranType}, the type of the cash receipt captured on this site`,
        'configuration',
        'tciTranTypeCompany.TranType',
      );
    }
    const nextSeqNo = new Map(batchKeys.map((batchKey) => {
      const row = rows.find((candidate) => numberColumn(candidate, 'BatchKey') === batchKey)!;
      return [batchKey, numberColumn(row, 'NextNo') - applying.get(batchKey)!];
    }));
    return { firstTranNo: numberColumn(tranRow, 'NextNo') - count, nextSeqNo };
  }

  /**
   * The run's pending batch for a post date: the cached one while Sage still has it pending (a
   * user may have posted it meanwhile; checked once per transaction), else a new one, whose
   * cash account and comment are set by `setUp` ahead of the receipts.
   */
  private async batchFor(tx: SqlSession, slot: string, postDate: string, cashAcctKey: number, checked: Map<string, number>, created: Map<string, number>, setUp: BatchStep[]): Promise<number> {
    const known = checked.get(slot);
    if (known !== undefined) return known;
    const cached = this.batches.get(slot);
    const reusable = cached !== undefined && (await tx.query(SELECT_PENDING_BATCH, { batchKey: int(cached) })).length > 0;
    const batchKey = reusable ? cached : await this.createBatch(tx, postDate, cashAcctKey, setUp);
    if (!reusable) created.set(slot, batchKey);
    checked.set(slot, batchKey);
    return batchKey;
  }

  /**
   * spGetNextBatch creates tciBatchLog and, for AR, tarBatch with the company's default cash
   * account (S6); the sync's batch takes the Stripe clearing account instead, so the receipts
   * it holds move money into clearing, where payouts take it out as before.
   */
  private async createBatch(tx: SqlSession, postDate: string, cashAcctKey: number, setUp: BatchStep[]): Promise<number> {
    const { companyId, userId, template } = this.options;
    const batchCmnt = `Stripe receipts ${postDate}`;
    const batch = await getNextBatch(tx, { companyId, moduleNo: MODULE_AR, batchType: template.batchType, userId, batchCmnt, postDate });
    if (!batch.ok) {
      throw new SageWriteError(
        `spGetNextBatch could not create a cash receipt batch (batch type ${template.batchType}) in company ${companyId}: return value ${String(batch.retVal)}`,
        'configuration',
        'tciBatchTypCompany',
      );
    }
    const batchParams = { batchKey: int(batch.batchKey), batchCmnt: varchar(50, batchCmnt), postDate: datetime(postDate) };
    setUp.push({ kind: 'execute', sql: SET_AR_BATCH_CASH_ACCOUNT, params: { ...batchParams, cashAcctKey: int(cashAcctKey) } }, { kind: 'execute', sql: UPDATE_BATCH_LOG_COMMENT, params: batchParams });
    return batch.batchKey;
  }
}
