import { SageWriteError, type CustomerQuery, type SageCustomerMatch } from '../../core/ports/sage-target.js';
import type { CustomerDocument, SageRef } from '../../core/sage/documents.js';
import { API_RET_SUCCESS, STAGING_PROCESSED } from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { int, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SagePort, SqlParams, SqlRow, SqlSession } from './sql-port.js';
import {
  INSERT_STG_CUSTOMER,
  INSERT_STG_CUSTOMER_UPDATE,
  SELECT_CUSTOMER_BY_ID,
  SELECT_CUSTOMER_PRIMARY_FIELDS,
  SELECT_CUSTOMERS_BY_EMAIL,
  SELECT_STG_CUSTOMER_STATUS,
} from './statements.js';
import { failureError, processStatusOf, runStagingApi, type StagingOutcome } from './staging-session.js';
import { findXref, insertXref } from './xref-store.js';

export interface CustomerWriterOptions {
  companyId: string;
  userId: string;
}

/** The StgCustomer parameters both actions share: CustID, name, primary address and contact. */
function stagedFields(doc: CustomerDocument, sessionKey: number): SqlParams {
  const addressLine = (index: number): ReturnType<typeof varchar> => varchar(255, doc.addrLines[index] ?? null);
  return {
    sessionKey: int(sessionKey),
    custId: varchar(12, doc.custId),
    custName: varchar(40, doc.custName),
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
  };
}

/** Sage text as the document holds it: trimmed, blank as null. */
function sageText(row: SqlRow, column: string): string | null {
  return textColumn(row, column)?.trim() || null;
}

/**
 * Whether Sage already holds the update's fields (a previous attempt committed before its
 * xref row). The API names the contact after the customer when the staged Name is blank and
 * creates no contact when neither Name nor EMailAddr is given.
 */
function holdsFields(row: SqlRow, doc: CustomerDocument): boolean {
  const addressMatches =
    sageText(row, 'CustName') === doc.custName &&
    [0, 1, 2, 3, 4].every((index) => sageText(row, `AddrLine${index + 1}`) === (doc.addrLines[index] ?? null)) &&
    sageText(row, 'City') === doc.city &&
    sageText(row, 'StateID') === doc.stateId &&
    sageText(row, 'PostalCode') === doc.postalCode &&
    sageText(row, 'CountryID') === doc.countryId &&
    sageText(row, 'Phone') === doc.phone;
  if (!addressMatches) return false;
  if (row['CntctKey'] === null || row['CntctKey'] === undefined) return doc.contactName === null && doc.email === null;
  return sageText(row, 'Name') === (doc.contactName ?? doc.custName) && sageText(row, 'EMailAddr') === doc.email;
}

function toMatch(row: SqlRow): SageCustomerMatch {
  return { custKey: numberColumn(row, 'CustKey'), custId: textColumn(row, 'CustID') ?? '', custName: textColumn(row, 'CustName') ?? '' };
}

/**
 * Creates customers through Sage's own API (StgCustomer → spARapiCustomerIns, reference §4.1),
 * so Sage validates the IDs, applies the class defaults and inserts all six customer tables;
 * updates the ones we created the same way (StgCustomer Action = 2).
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
    const { companyId } = this.options;
    const existing = await findXref(this.port, companyId, doc.key);
    if (existing) return existing;
    const what = doc.action === 'update' ? `Update of customer ${doc.custId}` : `Customer ${doc.custId}`;
    checkLength(doc.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(doc.custId, 12, 'tarCustomer.CustID', what);
    if (doc.addrLines.length > 5) {
      throw new SageWriteError(`${what} has ${doc.addrLines.length} address lines; Sage has AddrLine1..5 (tciAddress)`, 'data', 'tciAddress.AddrLine5');
    }
    if (doc.action === 'update') await this.stageUpdate(doc, what);
    else await this.stageInsert(doc, what);
    return this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      const row = (await tx.query(SELECT_CUSTOMER_BY_ID, { companyId: varchar(3, companyId), custId: varchar(12, doc.custId) }))[0];
      if (!row) throw new Error(`${what} was reported done but ${doc.custId} is not in tarCustomer`);
      const customer = toMatch(row);
      const ref: SageRef = { docKey: doc.key, sageTable: 'tarCustomer', sageKey: customer.custKey, sageNumber: customer.custId, batchKey: null };
      await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'customer' }, ref);
      return ref;
    });
  }

  /** A previous attempt may have committed the customer and crashed before the xref row. */
  private async stageInsert(doc: CustomerDocument, what: string): Promise<void> {
    if (await this.find({ custId: doc.custId })) return;
    await this.runApi(what, async (tx, sessionKey) => {
      await tx.execute(INSERT_STG_CUSTOMER, { ...stagedFields(doc, sessionKey), custClassId: varchar(15, doc.custClassId) });
    });
  }

  /** Staged only when Sage does not hold the fields yet: a committed earlier attempt is not repeated. */
  private async stageUpdate(doc: CustomerDocument, what: string): Promise<void> {
    const row = (await this.port.query(SELECT_CUSTOMER_PRIMARY_FIELDS, { companyId: varchar(3, this.options.companyId), custId: varchar(12, doc.custId) }))[0];
    if (row && holdsFields(row, doc)) return;
    await this.runApi(what, async (tx, sessionKey) => {
      await tx.execute(INSERT_STG_CUSTOMER_UPDATE, stagedFields(doc, sessionKey));
    });
  }

  /** One staged row through spARapiCustomerIns; success is @_oRetVal = 1, no failed rows and the row processed. */
  private async runApi(what: string, stage: (tx: SqlSession, sessionKey: number) => Promise<void>): Promise<void> {
    const { companyId, userId } = this.options;
    const outcome: StagingOutcome = await runStagingApi(this.port, { companyId, userId, stepParameter: null, procedureName: 'spARapiCustomerIns' }, stage);
    const status = processStatusOf(await this.port.query(SELECT_STG_CUSTOMER_STATUS, { sessionKey: int(outcome.sessionKey) }));
    if (outcome.retVal !== API_RET_SUCCESS || outcome.failedRecs !== 0 || status !== STAGING_PROCESSED) {
      throw await failureError(this.port, outcome, what);
    }
  }
}
