import type { OpenInvoice, OpenInvoiceReader } from '../../core/ar/open-invoices.js';
import { parseSageAmount } from '../../core/money/sage-amount.js';
import { SELECT_OPEN_INVOICES_OF_CUSTOMER, selectOpenInvoicesByReference, selectPendingApplied } from './ar-statements.js';
import { readCompany } from './gl-checks.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlParams, SqlRow, SqlSession } from './sql-port.js';

/**
 * Sage's open AR invoices for matching (core/ar/open-invoices.ts): posted home-currency
 * tarInvoice rows with a balance (S7), less what applications in batches not yet posted take
 * (the site's application table, from its captured cash receipt), so an invoice two Stripe
 * payments pay before a user posts shows only what is really left.
 */
export class SageOpenInvoices implements OpenInvoiceReader {
  private homeCurrId: string | null = null;

  constructor(
    private readonly session: SqlSession,
    private readonly companyId: string,
    private readonly applicationTable: string,
  ) {}

  async byReference(references: readonly string[]): Promise<OpenInvoice[]> {
    if (references.length === 0) return [];
    const params: SqlParams = await this.companyParams();
    references.forEach((reference, index) => (params[`ref${index}`] = varchar(13, reference.slice(0, 13))));
    return this.open(await this.session.query(selectOpenInvoicesByReference(references.length), params));
  }

  async ofCustomer(custId: string): Promise<OpenInvoice[]> {
    return this.open(await this.session.query(SELECT_OPEN_INVOICES_OF_CUSTOMER, { ...(await this.companyParams()), custId: varchar(12, custId) }));
  }

  private async companyParams(): Promise<SqlParams> {
    if (this.homeCurrId === null) this.homeCurrId = (await readCompany(this.session, this.companyId))?.homeCurrId ?? '';
    return { companyId: varchar(3, this.companyId), currId: varchar(3, this.homeCurrId) };
  }

  private async open(rows: SqlRow[]): Promise<OpenInvoice[]> {
    if (rows.length === 0) return [];
    const keys: SqlParams = {};
    rows.forEach((row, index) => (keys[`invc${index}`] = int(numberColumn(row, 'InvcKey'))));
    const pending = new Map(
      (await this.session.query(selectPendingApplied(this.applicationTable, rows.length), keys)).map((row) => [numberColumn(row, 'ApplyToInvcKey'), parseSageAmount(textColumn(row, 'PmtAmtIC') ?? '0')]),
    );
    return rows
      .map((row) => {
        const invcKey = numberColumn(row, 'InvcKey');
        return {
          invcKey,
          tranId: (textColumn(row, 'TranID') ?? '').trim(),
          tranNo: (textColumn(row, 'TranNo') ?? '').trim(),
          custId: (textColumn(row, 'CustID') ?? '').trim(),
          tranDate: (textColumn(row, 'TranDate') ?? '').slice(0, 10),
          openBalance: parseSageAmount(textColumn(row, 'BalanceHC') ?? '0') - (pending.get(invcKey) ?? 0n),
        };
      })
      .filter((invoice) => invoice.openBalance > 0n);
  }
}
