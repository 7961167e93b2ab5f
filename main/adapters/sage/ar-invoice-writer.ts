import { parseSageAmount, sumAmounts } from '../../core/money/sage-amount.js';
import { SageWriteError } from '../../core/ports/sage-target.js';
import type { ArInvoice, JournalDocument, SageRef } from '../../core/sage/documents.js';
import { SELECT_INVOICE_CUSTOMER, SELECT_PRIMARY_KEY, SET_AR_BATCH_COMMENT } from './ar-invoice-statements.js';
import type { InvoiceTemplate } from './ar-invoice-template.js';
import { CapturedRowWriter, type ColumnValue } from './captured-row.js';
import { checkAccount, checkFiscalPeriod, readCompany, type CompanyFacts } from './gl-checks.js';
import { getNextBatch } from './next-batch.js';
import { reserveSurrogateKey } from './reserve-key.js';
import { MODULE_AR, TRAN_NO_LENGTH } from './sage-codes.js';
import { datetime, int, money, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import type { SagePort, SqlRow, SqlSession } from './sql-port.js';
import { RESERVE_TRAN_NO, SELECT_PENDING_BATCH, SELECT_RESERVED_TRAN_NO, UPDATE_BATCH_LOG_COMMENT } from './statements.js';
import { findXref, insertXref } from './xref-store.js';

/**
 * Writes a Stripe-only sale as a pending AR invoice in a pending AR invoice batch (never posted:
 * a Sage user reviews and posts it), with the cross-reference row in the same transaction
 * (issue #21 item 4). Its payment is a cash receipt applied to it (ar-receipt-writer.ts), written
 * after it.
 *
 * Only what the site proved is written: the header, line and line distribution tables and their
 * columns are those of the invoice a Sage user keyed on this site (ar-invoice-template.ts). The
 * writer fills the sale's own values (keys, customer and its default addresses and terms, amounts,
 * dates, numbers, description, who created it) and copies every other column from the captured
 * row (captured-row.ts): a captured column of that document's own data (a salesperson, an item,
 * a PO number, sales tax) must be empty there, or the invoice is refused with the column named.
 */

/** D, as for receipts: pending and posted invoices share their key (tarPendInvoice/tarInvoice, S6), so a pending invoice takes its key from tarInvoice's counter. */
const INVOICE_KEY_TABLE = 'tarInvoice';

export interface ArInvoiceWriterOptions {
  companyId: string;
  userId: string;
  template: InvoiceTemplate;
}

interface PreparedInvoice {
  doc: JournalDocument;
  invoice: ArInvoice;
  customer: SqlRow;
  invcKey: number;
  lines: { lineKey: number; distKey: number; glAcctKey: number; amount: string; description: string }[];
  distKeyColumn: string;
}

export class ArInvoiceWriter {
  /** Batches this writer created, by run and post date; filled only after a commit. */
  private readonly batches = new Map<string, number>();
  private readonly rows: CapturedRowWriter;
  private company: CompanyFacts | null = null;
  private distKeyColumn: string | null = null;

  constructor(
    private readonly port: SagePort,
    private readonly options: ArInvoiceWriterOptions,
  ) {
    this.rows = new CapturedRowWriter(port, 'AR invoice');
  }

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
  private async prepare(doc: JournalDocument): Promise<PreparedInvoice> {
    const invoice = doc.arInvoice;
    if (!invoice) throw new Error(`${doc.key} is not an AR invoice`);
    const what = `AR invoice ${doc.key}`;
    const { companyId, template } = this.options;
    const company = await this.companyFacts();
    const customer = (await this.port.query(SELECT_INVOICE_CUSTOMER, { companyId: varchar(3, companyId), custId: varchar(12, invoice.custId) }))[0];
    if (!customer) throw new SageWriteError(`${what}: Sage has no customer ${invoice.custId} in company ${companyId}`, 'data', 'tarCustomer.CustID');
    const period = await checkFiscalPeriod(this.port, companyId, doc.postDate);
    if (!period.ok) throw new SageWriteError(`${what}: ${period.problem}`, 'configuration', period.sageField);
    const total = parseSageAmount(invoice.amount);
    if (total <= 0n) throw new SageWriteError(`${what}: an invoice needs a positive amount, got ${invoice.amount}`, 'data', `${template.invoice.table}.TranAmt`);
    if (sumAmounts(invoice.lines.map((line) => parseSageAmount(line.amount))) !== total) {
      throw new SageWriteError(`${what}: its lines do not add up to its total ${invoice.amount}`, 'data', `${template.line.table}.ExtAmt`);
    }
    await this.rows.siteColumns(template.invoice.table);
    await this.rows.siteColumns(template.line.table);
    await this.rows.siteColumns(template.distribution.table);
    const distKeyColumn = await this.distributionKey();
    const lines: PreparedInvoice['lines'] = [];
    for (const line of invoice.lines) {
      const account = await checkAccount(this.port, company, line.acctNo, doc.postDate);
      if (!account.ok) throw new SageWriteError(`${what}: ${account.problem}`, 'configuration', account.sageField);
      lines.push({
        lineKey: await reserveSurrogateKey(this.port, template.line.table),
        distKey: await reserveSurrogateKey(this.port, template.distribution.table),
        glAcctKey: account.value,
        amount: line.amount,
        description: line.description,
      });
    }
    return { doc, invoice, customer, invcKey: await reserveSurrogateKey(this.port, INVOICE_KEY_TABLE), lines, distKeyColumn };
  }

  /** The distribution table's own key, from the site's catalog: one int column, not the line's or the account's key. */
  private async distributionKey(): Promise<string> {
    if (this.distKeyColumn) return this.distKeyColumn;
    const { table } = this.options.template.distribution;
    const keys = (await this.port.query(SELECT_PRIMARY_KEY, { tableName: varchar(128, table) })).map((row) => textColumn(row, 'COLUMN_NAME') ?? '');
    const type = (await this.rows.siteColumns(table)).get(keys[0] ?? '')?.dataType;
    if (keys.length !== 1 || type !== 'int' || keys[0] === 'InvoiceLineKey' || keys[0] === 'GLAcctKey') {
      throw new SageWriteError(
        `${table}, where this site's captured invoice keeps its line's GL account, has the primary key (${keys.join(', ') || 'none'}); the sync writes only a table keyed by one int column of its own. Send this line to your Sage partner`,
        'configuration',
        table,
      );
    }
    this.distKeyColumn = keys[0]!;
    return this.distKeyColumn;
  }

  private async insert(tx: SqlSession, prepared: PreparedInvoice, slot: string, created: Map<string, number>): Promise<SageRef> {
    const { companyId, userId, template } = this.options;
    const { doc, invoice, customer } = prepared;
    const batchKey = await this.batchFor(tx, slot, doc.postDate, created);
    const tranNo = await this.nextTranNo(tx);
    const tranId = `${template.tranIdAround.before}${tranNo}${template.tranIdAround.after}`;
    const home = (await this.companyFacts()).homeCurrId;
    const amount = money(invoice.amount);
    const optionalKey = (column: string): ColumnValue => (customer[column] === null || customer[column] === undefined ? { sql: 'NULL' } : { param: int(numberColumn(customer, column)) });
    const audit: Record<string, ColumnValue> = {
      CreateDate: { sql: 'GETDATE()' },
      CreateUserID: { param: varchar(30, userId) },
      UpdateDate: { sql: 'NULL' },
      UpdateUserID: { sql: 'NULL' },
      UpdateCounter: { sql: '0' },
    };
    const zero: ColumnValue = { sql: '0' };
    await this.rows.insertLike(tx, template.invoice, {
      InvcKey: { param: int(prepared.invcKey) },
      BatchKey: { param: int(batchKey) },
      CompanyID: { param: varchar(3, companyId) },
      CustKey: { param: int(numberColumn(customer, 'CustKey')) },
      CustClassKey: { param: int(numberColumn(customer, 'CustClassKey')) },
      BillToAddrKey: optionalKey('DfltBillToAddrKey'),
      BillToCustAddrKey: optionalKey('DfltBillToAddrKey'),
      ShipToAddrKey: optionalKey('DfltShipToAddrKey'),
      ShipToCustAddrKey: optionalKey('DfltShipToAddrKey'),
      PmtTermsKey: optionalKey('PmtTermsKey'),
      TranNo: { param: varchar(TRAN_NO_LENGTH, tranNo) },
      TranID: { param: this.rows.text(template.invoice.table, 'TranID', tranId, doc.key) },
      TranDate: { param: datetime(doc.postDate) },
      PostDate: { param: datetime(doc.postDate) },
      // Paid in full the day it is issued: the sale's receipt is applied to it.
      DueDate: { param: datetime(doc.postDate) },
      DiscDate: { sql: 'NULL' },
      TranAmt: { param: amount },
      TranAmtHC: { param: amount },
      SalesAmt: { param: amount },
      Balance: { param: amount },
      BalanceHC: { param: amount },
      STaxAmt: zero,
      DiscAmt: zero,
      DiscTakenAmt: zero,
      TradeDiscAmt: zero,
      ShipAmt: zero,
      HandlAmt: zero,
      CostOfSales: zero,
      RetntAmt: zero,
      AuthOvrdAmt: zero,
      CurrID: { param: varchar(3, home) },
      CurrExchRate: { sql: '1' },
      // A new invoice has had no application yet: S7's default for the posted invoice's counter.
      NextApplEntryNo: { sql: '1' },
      TranCmnt: { param: this.rows.text(template.invoice.table, 'TranCmnt', invoice.comment, doc.key) },
      ...audit,
    }, doc.key);
    const seqStep = Number(template.line.row['SeqNo'] ?? 1) || 1;
    for (const [index, line] of prepared.lines.entries()) {
      const lineAmount = money(line.amount);
      await this.rows.insertLike(tx, template.line, {
        InvoiceLineKey: { param: int(line.lineKey) },
        InvcKey: { param: int(prepared.invcKey) },
        SeqNo: { param: int(seqStep * (index + 1)) },
        Description: { param: this.rows.text(template.line.table, 'Description', line.description, doc.key) },
        ExtAmt: { param: lineAmount },
        UnitPrice: { param: { type: 'decimal', precision: 15, scale: 5, value: line.amount } },
        UnitCost: zero,
        // A flag (price keyed rather than taken from a price list), not a price: the captured line's code, though its name looks like data.
        ...flagAsCaptured(template.line.row, 'UnitPriceOvrd'),
        TradeDiscAmt: zero,
        ExtCmnt: { sql: 'NULL' },
        ...quantityOne(template.line.row),
        ...audit,
      }, doc.key);
      await this.rows.insertLike(tx, template.distribution, {
        [prepared.distKeyColumn]: { param: int(line.distKey) },
        InvoiceLineKey: { param: int(line.lineKey) },
        GLAcctKey: { param: int(line.glAcctKey) },
        [template.distribution.amountColumn]: { param: lineAmount },
        ...audit,
      }, doc.key);
    }
    const ref: SageRef = { docKey: doc.key, sageTable: template.invoice.table, sageKey: prepared.invcKey, sageNumber: tranId, batchKey };
    await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'ar_invoice' }, ref);
    return ref;
  }

  private async companyFacts(): Promise<CompanyFacts> {
    if (this.company) return this.company;
    const company = await readCompany(this.port, this.options.companyId);
    if (!company) throw new SageWriteError(`Company ${this.options.companyId} does not exist in Sage (tsmCompany)`, 'configuration', 'tsmCompany.CompanyID');
    this.company = company;
    return company;
  }

  /** The invoice's number from the counter of the captured invoice's TranType, under the row lock the UPDATE takes (S8, S13). */
  private async nextTranNo(tx: SqlSession): Promise<string> {
    const params = { companyId: varchar(3, this.options.companyId), tranType: int(this.options.template.tranType) };
    const updated = await tx.execute(RESERVE_TRAN_NO, params);
    const row = (await tx.query(SELECT_RESERVED_TRAN_NO, params))[0];
    if (updated !== 1 || !row) {
      throw new SageWriteError(
        `Company ${this.options.companyId} has no tciTranTypeCompany row for TranType ${this.options.template.tranType}, the type of the AR invoice captured on this site`,
        'configuration',
        'tciTranTypeCompany.TranType',
      );
    }
    return String(numberColumn(row, 'TranNo')).padStart(TRAN_NO_LENGTH, '0');
  }

  private async batchFor(tx: SqlSession, slot: string, postDate: string, created: Map<string, number>): Promise<number> {
    const cached = this.batches.get(slot) ?? created.get(slot);
    if (cached !== undefined && (await tx.query(SELECT_PENDING_BATCH, { batchKey: int(cached) })).length > 0) return cached;
    const { companyId, userId, template } = this.options;
    const batchCmnt = `Stripe sales ${postDate}`;
    const batch = await getNextBatch(tx, { companyId, moduleNo: MODULE_AR, batchType: template.batchType, userId, batchCmnt, postDate });
    if (!batch.ok) {
      throw new SageWriteError(
        `spGetNextBatch could not create an AR invoice batch (batch type ${template.batchType}) in company ${companyId}: return value ${String(batch.retVal)}`,
        'configuration',
        'tciBatchTypCompany',
      );
    }
    const batchParams = { batchKey: int(batch.batchKey), batchCmnt: varchar(50, batchCmnt), postDate: datetime(postDate) };
    // spGetNextBatch gives tarBatch the company's default cash account (S6); an invoice batch moves no cash, so only the comment changes.
    await tx.execute(SET_AR_BATCH_COMMENT, batchParams);
    await tx.execute(UPDATE_BATCH_LOG_COMMENT, batchParams);
    created.set(slot, batch.batchKey);
    return batch.batchKey;
  }
}

/** A captured line of quantity one (the usual hand-keyed line) keeps quantity one: the line is one unit at its amount. Any other quantity is the golden line's data and refused by the copy rule. */
function quantityOne(row: SqlRow): Record<string, ColumnValue> {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([column, value]) => /^Qty/.test(column) && value !== null && Number(value) === 1)
      .map(([column]) => [column, { sql: '1' } as ColumnValue]),
  );
}

function flagAsCaptured(row: SqlRow, column: string): Record<string, ColumnValue> {
  const value = row[column];
  return value === null || value === undefined ? {} : { [column]: { param: smallint(Number(value)) } };
}
