import { SageWriteError, type CustomerQuery, type SageCustomerMatch } from '../../core/ports/sage-target.js';
import type { CustomerDocument, SageRef } from '../../core/sage/documents.js';
import { AddressReferences } from './address-references.js';
import { API_RET_SUCCESS, STAGING_PROCESSED } from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { int, numberColumn, nvarchar, textColumn, varchar } from './sql-params.js';
import { stgCustomerColumns, type SiteUnicodeColumns } from './unicode-columns.js';
import type { SagePort, SqlParam, SqlParams, SqlRow, SqlSession } from './sql-port.js';
import {
  INSERT_JOB_EXECUTE,
  INSERT_STG_CUSTOMER,
  INSERT_STG_CUSTOMER_UPDATE,
  SELECT_CUSTOMER_BY_ID,
  SELECT_CUSTOMER_CREATED_BY_US,
  SELECT_CUSTOMER_PRIMARY_FIELDS,
  SELECT_CUSTOMER_UPDATE_JOBS,
  SELECT_CUSTOMERS_BY_EMAIL,
  SELECT_STG_CUSTOMER_STATUS,
} from './statements.js';
import { failureError, processStatusOf, runStagingApi, type StagingOutcome } from './staging-session.js';
import { findXref, insertXref } from './xref-store.js';

export interface CustomerWriterOptions {
  companyId: string;
  userId: string;
}

/**
 * The StgCustomer parameters both actions share: CustID, name, primary address and contact.
 * Text goes as nvarchar into a column the site declares nvarchar (`unicode`), else varchar.
 */
function stagedFields(doc: CustomerDocument, sessionKey: number, unicode: ReadonlySet<string>): SqlParams {
  const text = (column: string, length: number, value: string | null): SqlParam => (unicode.has(column) ? nvarchar : varchar)(length, value);
  const addressLine = (index: number): SqlParam => text(`AddrLine${index + 1}`, 255, doc.addrLines[index] ?? null);
  return {
    sessionKey: int(sessionKey),
    custId: varchar(12, doc.custId),
    custName: text('CustName', 40, doc.custName),
    addrLine1: addressLine(0),
    addrLine2: addressLine(1),
    addrLine3: addressLine(2),
    addrLine4: addressLine(3),
    addrLine5: addressLine(4),
    city: text('City', 255, doc.city),
    stateId: text('StateID', 255, doc.stateId),
    postalCode: text('PostalCode', 255, doc.postalCode),
    countryId: varchar(255, doc.countryId),
    phone: text('Phone', 255, doc.phone),
    email: text('EMailAddr', 255, doc.email),
    contactName: text('Name', 255, doc.contactName),
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

/** The StgCustomer columns an update stages (INSERT_STG_CUSTOMER_UPDATE, S1's updatable lists). */
const UPDATED_COLUMNS = ['CustName', 'AddrLine1', 'AddrLine2', 'AddrLine3', 'AddrLine4', 'AddrLine5', 'City', 'StateID', 'PostalCode', 'CountryID', 'Phone', 'EMailAddr', 'Name'] as const;

function toMatch(row: SqlRow): SageCustomerMatch {
  return { custKey: numberColumn(row, 'CustKey'), custId: textColumn(row, 'CustID') ?? '', custName: textColumn(row, 'CustName') ?? '' };
}

/**
 * Creates customers through Sage's own API (StgCustomer → spARapiCustomerIns, source S1, docs/sage-sources.md),
 * so Sage validates the IDs, applies the class defaults and inserts all six customer tables.
 * Updates the ones we created the same way (StgCustomer Action = 2) under the site's Data Import job; see stageUpdate.
 */
export class CustomerWriter {
  private readonly references: AddressReferences;

  constructor(
    private readonly port: SagePort,
    private readonly options: CustomerWriterOptions,
    /** Read once per writer: a site's column types change only with a schema change, which a restart follows. */
    private readonly unicode: SiteUnicodeColumns,
  ) {
    this.references = new AddressReferences(port);
  }

  /** The StgCustomer text columns this site declares nvarchar (unicode-columns.ts). */
  async unicodeColumns(): Promise<ReadonlySet<string>> {
    return stgCustomerColumns(await this.unicode.get());
  }

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

  async write(planned: CustomerDocument): Promise<SageRef> {
    const { companyId } = this.options;
    const existing = await findXref(this.port, companyId, planned.key);
    if (existing) return existing;
    const what = planned.action === 'update' ? `Update of customer ${planned.custId}` : `Customer ${planned.custId}`;
    checkLength(planned.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(planned.custId, 12, 'tarCustomer.CustID', what);
    if (planned.addrLines.length > 5) {
      throw new SageWriteError(`${what} has ${planned.addrLines.length} address lines; Sage has AddrLine1..5 (tciAddress)`, 'data', 'tciAddress.AddrLine5');
    }
    const doc = await this.references.resolve(planned, what);
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

  /**
   * A previous attempt may have committed the customer and crashed before the xref row; a
   * customer with this CustID that a Sage user created is never taken for ours.
   */
  private async stageInsert(doc: CustomerDocument, what: string): Promise<void> {
    const found = await this.find({ custId: doc.custId });
    if (found) {
      const { companyId, userId } = this.options;
      const ours = await this.port.query(SELECT_CUSTOMER_CREATED_BY_US, { companyId: varchar(3, companyId), custId: varchar(12, doc.custId), userId: varchar(30, userId) });
      if (ours.length > 0) return;
      throw new SageWriteError(
        `${what}: CustID ${doc.custId} already belongs to a Sage customer Stripe Sync did not create (${found.custName}); link the Stripe customer to it through its Sage ID, or free the CustID`,
        'data',
        'tarCustomer.CustID',
      );
    }
    const unicode = await this.unicodeColumns();
    await this.runApi(what, async (tx, sessionKey) => {
      await tx.execute(INSERT_STG_CUSTOMER, { ...stagedFields(doc, sessionKey, unicode), custClassId: varchar(15, doc.custClassId) });
    });
  }

  /**
   * spARapiCustomerIns changes only the columns the session's Data Import job allows (S1:
   * tdiDataTrnsfrColumnMap rows with AllowUpdate = 1, reached through tdiDataTrnsfrJobDefStep and
   * the session's tdiDataTrnsfrJobExecute row) and fails every update without them
   * (spDMValidateUpdColforUpdRec). The job itself is defined in Sage (Data Import Manager) by the
   * site; the writer only links its session to a job that allows every column it stages, so no
   * column map row is ever invented. Staged only when Sage does not hold the fields yet.
   */
  private async stageUpdate(doc: CustomerDocument, what: string): Promise<void> {
    const row = (await this.port.query(SELECT_CUSTOMER_PRIMARY_FIELDS, { companyId: varchar(3, this.options.companyId), custId: varchar(12, doc.custId) }))[0];
    if (row && holdsFields(row, doc)) return;
    const jobDefKey = await this.updateJob(what);
    const unicode = await this.unicodeColumns();
    await this.runApi(what, async (tx, sessionKey) => {
      await tx.execute(INSERT_JOB_EXECUTE, { sessionKey: int(sessionKey), jobDefKey: int(jobDefKey) });
      await tx.execute(INSERT_STG_CUSTOMER_UPDATE, stagedFields(doc, sessionKey, unicode));
    });
  }

  /** The first Data Import job whose StgCustomer step allows updating every column an update stages. */
  private async updateJob(what: string): Promise<number> {
    const allowed = new Map<number, Set<string>>();
    for (const row of await this.port.query(SELECT_CUSTOMER_UPDATE_JOBS)) {
      const key = numberColumn(row, 'DataTrnsfrJobDefKey');
      const columns = allowed.get(key) ?? new Set<string>();
      columns.add(String(row['InternalColumnName']));
      allowed.set(key, columns);
    }
    for (const [key, columns] of allowed) if (UPDATED_COLUMNS.every((column) => columns.has(column))) return key;
    throw new SageWriteError(
      `${what}: no Data Import job in Sage allows updating the customer columns ${UPDATED_COLUMNS.join(', ')} (tdiDataTrnsfrColumnMap AllowUpdate); define one in Sage's Data Import Manager (docs/sage-setup.md) or change the customer in Sage by hand`,
      'data',
      'tdiDataTrnsfrColumnMap',
    );
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
