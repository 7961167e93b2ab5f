import { SageWriteError, type CustomerQuery, type SageCustomerMatch } from '../../core/ports/sage-target.js';
import type { CustomerDocument, SageRef } from '../../core/sage/documents.js';
import { API_RET_SUCCESS, STAGING_PROCESSED } from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SagePort, SqlRow } from './sql-port.js';
import { INSERT_STG_CUSTOMER, SELECT_CUSTOMER_BY_ID, SELECT_CUSTOMERS_BY_EMAIL, SELECT_STG_CUSTOMER_STATUS } from './statements.js';
import { failureError, processStatusOf, runStagingApi } from './staging-session.js';
import { findXref, insertXref } from './xref-store.js';

export interface CustomerWriterOptions {
  companyId: string;
  userId: string;
}

function toMatch(row: SqlRow): SageCustomerMatch {
  return { custKey: numberColumn(row, 'CustKey'), custId: textColumn(row, 'CustID') ?? '', custName: textColumn(row, 'CustName') ?? '' };
}

/**
 * Creates customers through Sage's own API (StgCustomer → spARapiCustomerIns, reference §4.1),
 * so Sage validates the IDs, applies the class defaults and inserts all six customer tables.
 */
export class CustomerWriter {
  constructor(
    private readonly port: SagePort,
    private readonly options: CustomerWriterOptions,
  ) {}

  async find(query: CustomerQuery): Promise<SageCustomerMatch | null> {
    const companyId = varchar(3, this.options.companyId);
    if (query.custId) {
      const row = (await this.port.query(SELECT_CUSTOMER_BY_ID, { companyId, custId: varchar(12, query.custId) }))[0];
      return row ? toMatch(row) : null;
    }
    if (query.email) {
      const row = (await this.port.query(SELECT_CUSTOMERS_BY_EMAIL, { companyId, email: varchar(256, query.email.trim().toLowerCase()) }))[0];
      return row ? toMatch(row) : null;
    }
    return null;
  }

  async write(doc: CustomerDocument): Promise<SageRef> {
    const { companyId, userId } = this.options;
    const existing = await findXref(this.port, companyId, doc.key);
    if (existing) return existing;
    const what = `Customer ${doc.custId}`;
    checkLength(doc.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(doc.custId, 12, 'tarCustomer.CustID', what);
    if (doc.addrLines.length > 5) {
      throw new SageWriteError(`${what} has ${doc.addrLines.length} address lines; Sage has AddrLine1..5 (tciAddress)`, 'data', 'tciAddress.AddrLine5');
    }

    // A previous attempt may have committed the customer and crashed before the xref row.
    const already = await this.find({ custId: doc.custId });
    if (!already) {
      const outcome = await runStagingApi(this.port, { companyId, userId, setupStepKey: null, procedureName: 'spARapiCustomerIns' }, async (tx, sessionKey) => {
        const addressLine = (index: number): ReturnType<typeof varchar> => varchar(255, doc.addrLines[index] ?? null);
        await tx.execute(INSERT_STG_CUSTOMER, {
          sessionKey: int(sessionKey),
          custId: varchar(12, doc.custId),
          custName: varchar(40, doc.custName),
          custClassId: varchar(15, doc.custClassId),
          addrLine1: addressLine(0),
          addrLine2: addressLine(1),
          addrLine3: addressLine(2),
          addrLine4: addressLine(3),
          addrLine5: addressLine(4),
          city: varchar(255, doc.city),
          stateId: varchar(255, doc.stateId),
          postalCode: varchar(255, doc.postalCode),
          countryId: varchar(255, doc.countryId),
          phone: varchar(255, doc.phone),
          email: varchar(255, doc.email),
          contactName: varchar(255, doc.contactName),
        });
      });
      const status = processStatusOf(await this.port.query(SELECT_STG_CUSTOMER_STATUS, { sessionKey: int(outcome.sessionKey) }));
      if (outcome.retVal !== API_RET_SUCCESS || outcome.failedRecs !== 0 || status !== STAGING_PROCESSED) {
        throw await failureError(this.port, outcome, what);
      }
    }
    return this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      const row = (await tx.query(SELECT_CUSTOMER_BY_ID, { companyId: varchar(3, companyId), custId: varchar(12, doc.custId) }))[0];
      if (!row) throw new Error(`${what} was reported inserted but is not in tarCustomer`);
      const customer = toMatch(row);
      const ref: SageRef = { docKey: doc.key, sageTable: 'tarCustomer', sageKey: customer.custKey, sageNumber: customer.custId, batchKey: null };
      await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'customer' }, ref);
      return ref;
    });
  }
}
