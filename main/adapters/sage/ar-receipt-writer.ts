import { formatSageAmount, parseSageAmount, type SageAmount } from '../../core/money/sage-amount.js';
import { SageWriteError } from '../../core/ports/sage-target.js';
import type { ArCashReceipt, JournalDocument, SageRef } from '../../core/sage/documents.js';
import {
  ADD_AR_BATCH_DEPOSIT,
  insertRow,
  SELECT_AR_CUSTOMER,
  SELECT_INVOICE_TO_APPLY,
  SELECT_TAKEN_SEQ_NO,
  selectPendingApplied,
  SET_AR_BATCH_CASH_ACCOUNT,
  TAKE_BATCH_SEQ_NO,
} from './ar-statements.js';
import type { ReceiptTemplate } from './ar-receipt-template.js';
import { SELECT_COLUMN_TYPES } from './check-statements.js';
import { checkAccount, checkFiscalPeriod, readCompany, type CompanyFacts } from './gl-checks.js';
import { isDocumentData } from './golden-diff.js';
import { getNextBatch } from './next-batch.js';
import { reserveSurrogateKey } from './reserve-key.js';
import { MODULE_AR, TRAN_NO_LENGTH } from './sage-codes.js';
import { datetime, int, money, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import type { SagePort, SqlParam, SqlParams, SqlRow, SqlSession } from './sql-port.js';
import { RESERVE_TRAN_NO, SELECT_PENDING_BATCH, SELECT_RESERVED_TRAN_NO, UPDATE_BATCH_LOG_COMMENT } from './statements.js';
import { findXref, insertXref } from './xref-store.js';

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

interface SiteColumn {
  dataType: string;
  length: number | null;
  precision: number | null;
  scale: number | null;
}

/** A column's value in an INSERT: a bound parameter, or fixed SQL text (NULL, 0, 1, GETDATE()). */
type ColumnValue = { param: SqlParam } | { sql: 'NULL' | '0' | '1' | 'GETDATE()' };

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
  custPmtKey: number;
  invoice: { invcKey: number; tranId: string; tranDate: string } | null;
  amount: SageAmount;
  applied: SageAmount;
}

/** Numbers and ids the document carries (a check number, a reference ID): its own data like keys and amounts, never a code to copy. */
const DOCUMENT_IDENTIFIER = /(ID|No)$/;

function isZero(value: string | number): boolean {
  return /^-?0*(\.0*)?$/.test(String(value).trim());
}

export class ArReceiptWriter {
  /** Batches this writer created, by run and post date; filled only after a commit. */
  private readonly batches = new Map<string, number>();
  private readonly columns = new Map<string, Map<string, SiteColumn>>();
  private company: CompanyFacts | null = null;

  constructor(
    private readonly port: SagePort,
    private readonly options: ArReceiptWriterOptions,
  ) {}

  async write(doc: JournalDocument, runId: number): Promise<SageRef> {
    const { companyId } = this.options;
    const existing = await findXref(this.port, companyId, doc.key);
    if (existing) return existing;
    const prepared = await this.prepare(doc);
    const created = new Map<string, number>();
    const ref = await this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      return this.insert(tx, prepared, `${runId}|${doc.postDate}`, created);
    });
    for (const [slot, batchKey] of created) this.batches.set(slot, batchKey);
    return ref;
  }

  /** Everything that can be checked or reserved before the transaction, as Sage does (keys first, S1). */
  private async prepare(doc: JournalDocument): Promise<PreparedReceipt> {
    const receipt = doc.arReceipt;
    if (!receipt) throw new Error(`${doc.key} is not an AR cash receipt`);
    const what = `Cash receipt ${doc.key}`;
    const { companyId } = this.options;
    const company = await this.companyFacts();
    const customer = (await this.port.query(SELECT_AR_CUSTOMER, { companyId: varchar(3, companyId), custId: varchar(12, receipt.custId) }))[0];
    if (!customer) throw new SageWriteError(`${what}: Sage has no customer ${receipt.custId} in company ${companyId}`, 'data', 'tarCustomer.CustID');
    const period = await checkFiscalPeriod(this.port, companyId, doc.postDate);
    if (!period.ok) throw new SageWriteError(`${what}: ${period.problem}`, 'configuration', period.sageField);
    const account = await checkAccount(this.port, company, receipt.cashAcctNo, doc.postDate);
    if (!account.ok) throw new SageWriteError(`${what}: ${account.problem}`, 'configuration', account.sageField);
    const amount = parseSageAmount(receipt.amount);
    if (amount <= 0n) throw new SageWriteError(`${what}: a cash receipt needs a positive amount, got ${receipt.amount}`, 'data', `${this.options.template.receipt.table}.TranAmt`);
    const invoice = receipt.applyTo ? await this.checkInvoice(what, receipt, company) : null;
    const applied = receipt.applyTo ? parseSageAmount(receipt.applyTo.amount) : 0n;
    if (applied > amount) throw new SageWriteError(`${what}: applies ${receipt.applyTo!.amount}, more than the receipt's ${receipt.amount}`, 'data', `${this.options.template.application.table}.PmtAmt`);
    await this.siteColumns(this.options.template.receipt.table);
    await this.siteColumns(this.options.template.application.table);
    return {
      doc,
      receipt,
      custKey: numberColumn(customer, 'CustKey'),
      custClassKey: numberColumn(customer, 'CustClassKey'),
      cashAcctKey: account.value,
      custPmtKey: await reserveSurrogateKey(this.port, RECEIPT_KEY_TABLE),
      invoice,
      amount,
      applied,
    };
  }

  /** The invoice still exists, is the payer's, in the home currency, and has the amount open after pending applications. */
  private async checkInvoice(what: string, receipt: ArCashReceipt, company: CompanyFacts): Promise<PreparedReceipt['invoice']> {
    const applyTo = receipt.applyTo!;
    const { companyId, template } = this.options;
    const row = (await this.port.query(SELECT_INVOICE_TO_APPLY, { invcKey: int(applyTo.invcKey), companyId: varchar(3, companyId) }))[0];
    if (!row) throw new SageWriteError(`${what}: Sage invoice ${applyTo.tranId} (InvcKey ${applyTo.invcKey}) is no longer in tarInvoice`, 'data', 'tarInvoice.InvcKey');
    if (textColumn(row, 'CustID') !== receipt.custId) {
      throw new SageWriteError(`${what}: Sage invoice ${applyTo.tranId} belongs to customer ${textColumn(row, 'CustID') ?? '?'}, not ${receipt.custId}`, 'data', 'tarInvoice.CustKey');
    }
    if ((textColumn(row, 'CurrID') ?? '').toUpperCase() !== company.homeCurrId.toUpperCase()) {
      throw new SageWriteError(`${what}: Sage invoice ${applyTo.tranId} is in ${textColumn(row, 'CurrID') ?? '?'}; the sync applies home-currency payments only`, 'data', 'tarInvoice.CurrID');
    }
    const pending = (await this.port.query(selectPendingApplied(template.application.table, 1), { invc0: int(applyTo.invcKey) }))[0];
    const open = parseSageAmount(textColumn(row, 'BalanceHC') ?? '0') - (pending ? parseSageAmount(textColumn(pending, 'PmtAmtIC') ?? '0') : 0n);
    if (parseSageAmount(applyTo.amount) > open) {
      throw new SageWriteError(
        `${what}: Sage invoice ${applyTo.tranId} has ${formatSageAmount(open)} open after applications in unposted batches, less than the ${applyTo.amount} this payment applies; confirm the payment again in the window (AR payments)`,
        'data',
        'tarInvoice.Balance',
      );
    }
    return { invcKey: applyTo.invcKey, tranId: textColumn(row, 'TranID') ?? applyTo.tranId, tranDate: textColumn(row, 'TranDate') ?? '' };
  }

  private async insert(tx: SqlSession, prepared: PreparedReceipt, slot: string, created: Map<string, number>): Promise<SageRef> {
    const { companyId, userId, template } = this.options;
    const { doc, receipt } = prepared;
    const batchKey = await this.batchFor(tx, slot, doc.postDate, prepared.cashAcctKey, created);
    const tranNo = await this.nextTranNo(tx);
    const tranId = `${template.tranIdAround.before}${tranNo}${template.tranIdAround.after}`;
    const home = (await this.companyFacts()).homeCurrId;
    const unapplied = formatSageAmount(prepared.amount - prepared.applied);
    const receiptColumns: Record<string, ColumnValue> = {
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
    };
    await this.insertLike(tx, template.receipt, receiptColumns, doc.key);
    if (prepared.invoice) {
      const seqNo = await this.takeSeqNo(tx, batchKey);
      const pmtAmt = money(formatSageAmount(prepared.applied));
      await this.insertLike(tx, template.application, {
        BatchKey: { param: int(batchKey) },
        SeqNo: { param: int(seqNo) },
        ApplyFromPmtKey: { param: int(prepared.custPmtKey) },
        ApplyFromTranID: { param: this.text(template.application.table, 'ApplyFromTranID', tranId, doc.key) },
        ApplyFromTranDate: { param: datetime(doc.postDate) },
        ApplyToInvcKey: { param: int(prepared.invoice.invcKey) },
        ApplyToTranID: { param: this.text(template.application.table, 'ApplyToTranID', prepared.invoice.tranId, doc.key) },
        ApplyToTranDate: { param: datetime(prepared.invoice.tranDate) },
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
    if (template.depositFollowsReceipts) await tx.execute(ADD_AR_BATCH_DEPOSIT, { amount: money(receipt.amount), batchKey: int(batchKey) });
    const ref: SageRef = { docKey: doc.key, sageTable: template.receipt.table, sageKey: prepared.custPmtKey, sageNumber: tranId, batchKey };
    await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'ar_cash_receipt' }, ref);
    return ref;
  }

  /** One row shaped like the captured one: the writer's columns where it has them, the capture's codes everywhere else. */
  private async insertLike(tx: SqlSession, captured: { table: string; row: SqlRow }, own: Record<string, ColumnValue>, docKey: string): Promise<void> {
    const site = await this.siteColumns(captured.table);
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
    await tx.execute(insertRow(captured.table, names, values), params);
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
    return { param: paramFor(site, golden, `${table}.${column}`) };
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

  /** The receipt's number from the counter of the captured receipt's TranType, under the row lock the UPDATE takes (S8, S13). */
  private async nextTranNo(tx: SqlSession): Promise<string> {
    const params = { companyId: varchar(3, this.options.companyId), tranType: int(this.options.template.tranType) };
    const updated = await tx.execute(RESERVE_TRAN_NO, params);
    const row = (await tx.query(SELECT_RESERVED_TRAN_NO, params))[0];
    if (updated !== 1 || !row) {
      throw new SageWriteError(
        `Company ${this.options.companyId} has no tciTranTypeCompany row for TranType ${this.options.template.tranType}, the type of the cash receipt captured on this site`,
        'configuration',
        'tciTranTypeCompany.TranType',
      );
    }
    return String(numberColumn(row, 'TranNo')).padStart(TRAN_NO_LENGTH, '0');
  }

  private async takeSeqNo(tx: SqlSession, batchKey: number): Promise<number> {
    await tx.execute(TAKE_BATCH_SEQ_NO, { batchKey: int(batchKey) });
    return numberColumn((await tx.query(SELECT_TAKEN_SEQ_NO, { batchKey: int(batchKey) }))[0]!, 'SeqNo');
  }

  private async batchFor(tx: SqlSession, slot: string, postDate: string, cashAcctKey: number, created: Map<string, number>): Promise<number> {
    const cached = this.batches.get(slot) ?? created.get(slot);
    if (cached !== undefined && (await tx.query(SELECT_PENDING_BATCH, { batchKey: int(cached) })).length > 0) return cached;
    const batchKey = await this.createBatch(tx, postDate, cashAcctKey);
    created.set(slot, batchKey);
    return batchKey;
  }

  /**
   * spGetNextBatch creates tciBatchLog and, for AR, tarBatch with the company's default cash
   * account (S6); the sync's batch takes the Stripe clearing account instead, so the receipts
   * it holds move money into clearing, where payouts take it out as before.
   */
  private async createBatch(tx: SqlSession, postDate: string, cashAcctKey: number): Promise<number> {
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
    await tx.execute(SET_AR_BATCH_CASH_ACCOUNT, { ...batchParams, cashAcctKey: int(cashAcctKey) });
    await tx.execute(UPDATE_BATCH_LOG_COMMENT, batchParams);
    return batch.batchKey;
  }
}

/** A captured code value bound with the site column's own type. */
function paramFor(site: SiteColumn, value: string | number, where: string): SqlParam {
  const text = String(value);
  switch (site.dataType) {
    case 'varchar':
    case 'char':
      return varchar(site.length ?? Math.max(1, text.length), text);
    case 'nvarchar':
    case 'nchar':
      return { type: 'nvarchar', length: site.length ?? Math.max(1, text.length), value: text };
    case 'int':
      return int(Number(value));
    case 'smallint':
    case 'tinyint':
    case 'bit':
      return smallint(Number(value));
    case 'decimal':
    case 'numeric':
      return { type: 'decimal', precision: site.precision ?? 15, scale: site.scale ?? 3, value: text };
    case 'datetime':
    case 'smalldatetime':
    case 'date':
      return datetime(text);
    default:
      throw new SageWriteError(`${where} is ${site.dataType} on this database, a type the sync does not copy; send this line to your Sage partner`, 'configuration', where);
  }
}
