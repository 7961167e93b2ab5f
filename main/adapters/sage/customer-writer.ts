import { SageWriteError, type CustomerQuery, type SageCustomerMatch } from '../../core/ports/sage-target.js';
import type { CustomerDocument, SageRef } from '../../core/sage/documents.js';
import { AddressReferences } from './address-references.js';
import { API_RET_SUCCESS, STAGING_PROCESSED } from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { int, numberColumn, nvarchar, textColumn, varchar } from './sql-params.js';
import { stgCustomerColumns, type SiteUnicodeColumns } from './unicode-columns.js';
import { runBatch, type BatchStep, type SagePort, type SqlParam, type SqlParams, type SqlRow, type SqlSession } from './sql-port.js';
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
  SELECT_STG_CUSTOMER_STATUSES,
  INSERT_XREF,
} from './statements.js';
import { failureError, processStatusOf, readFailures, rowFailure, runStagingApi, sessionFinishedStep, type StagingOutcome } from './staging-session.js';
import { multiRowInserts, selectByKeys } from './many-rows.js';
import { customerMatch, emailLookupKey, findCustomersInSage } from './customer-lookups.js';
import { findXref, insertXref, xrefParams } from './xref-store.js';

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

export type CustomerOutcome = { ref: SageRef } | { error: unknown };

function whatOf(doc: CustomerDocument): string {
  return doc.action === 'update' ? `Update of customer ${doc.custId}` : `Customer ${doc.custId}`;
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
      return row ? customerMatch(row) : null;
    }
    if (query.email) {
      const row = (await this.port.query(SELECT_CUSTOMERS_BY_EMAIL, { companyId, email: varchar(256, emailLookupKey(query.email)) }))[0];
      return row ? customerMatch(row) : null;
    }
    return null;
  }

  /** Each query's answer as `find` gives it, in one statement per kind of key (customer-lookups.ts). */
  async findMany(queries: readonly CustomerQuery[]): Promise<(SageCustomerMatch | null)[]> {
    return findCustomersInSage(this.port, this.options.companyId, queries);
  }

  /** Sage's own checks the API would make too, before anything is staged; the document with Sage's address ids. */
  private async validated(planned: CustomerDocument): Promise<CustomerDocument> {
    const what = whatOf(planned);
    checkLength(planned.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(planned.custId, 12, 'tarCustomer.CustID', what);
    if (planned.addrLines.length > 5) {
      throw new SageWriteError(`${what} has ${planned.addrLines.length} address lines; Sage has AddrLine1..5 (tciAddress)`, 'data', 'tciAddress.AddrLine5');
    }
    return this.references.resolve(planned, what);
  }

  /**
   * New customers of a chunk through ONE staging session: their StgCustomer rows in one
   * multi-row insert, spARapiCustomerIns called while it has rows left (about 125 per call, S1),
   * each row's outcome read back by CustID, and the xref rows of the created ones written in one
   * transaction. Sage's API processes and logs each row on its own (S1), so a rejected customer
   * gets its own tdmMigrationLogWrk message and the others are created. Updates, a CustID that
   * already exists (a crash before the xref row, or a Sage user's customer) and a CustID twice in
   * the chunk go one by one through `write`.
   */
  async writeMany(planned: readonly CustomerDocument[]): Promise<CustomerOutcome[]> {
    const outcomes = new Map<CustomerDocument, CustomerOutcome>();
    // A customer written before (a re-run after a crash) exists in tarCustomer, so it goes alone and finds its xref row.
    const alone: CustomerDocument[] = [];
    const candidates: { planned: CustomerDocument; doc: CustomerDocument }[] = [];
    for (const doc of planned) {
      if (doc.action === 'update' || candidates.some((candidate) => candidate.doc.custId === doc.custId)) alone.push(doc);
      else {
        try {
          candidates.push({ planned: doc, doc: await this.validated(doc) });
        } catch (error) {
          outcomes.set(doc, { error });
        }
      }
    }
    const existing = candidates.length === 0 ? new Set<string>() : await this.existingCustIds(candidates.map(({ doc }) => doc.custId));
    const staged = candidates.filter(({ planned: doc }) => {
      if (!existing.has(doc.custId.toUpperCase())) return true;
      alone.push(doc);
      return false;
    });
    if (staged.length > 0) {
      try {
        for (const [doc, outcome] of await this.insertTogether(staged.map(({ doc }) => doc))) outcomes.set(staged.find((entry) => entry.doc === doc)!.planned, outcome);
      } catch {
        // Without the session's outcome nothing is known: each goes alone, and finds a customer that committed as ours.
        alone.push(...staged.map(({ planned: doc }) => doc));
      }
    }
    for (const doc of planned.filter((candidate) => alone.includes(candidate))) {
      try {
        outcomes.set(doc, { ref: await this.write(doc) });
      } catch (error) {
        outcomes.set(doc, { error });
      }
    }
    return planned.map((doc) => outcomes.get(doc)!);
  }

  private async existingCustIds(custIds: readonly string[]): Promise<Set<string>> {
    const { sql, params } = selectByKeys(SELECT_CUSTOMER_BY_ID, 'CustID', 'custId', custIds.map((custId) => varchar(12, custId)));
    const rows = await this.port.query(sql, { ...params, companyId: varchar(3, this.options.companyId) });
    // SQL Server compares CustID case-insensitively (Sage's collation).
    return new Set(rows.map((row) => (textColumn(row, 'CustID') ?? '').trim().toUpperCase()));
  }

  private async insertTogether(docs: readonly CustomerDocument[]): Promise<Map<CustomerDocument, CustomerOutcome>> {
    const { companyId, userId } = this.options;
    const unicode = await this.unicodeColumns();
    const outcome = await runStagingApi(
      this.port,
      { companyId, userId, stepParameter: null, procedureName: 'spARapiCustomerIns' },
      (_tx, sessionKey) =>
        Promise.resolve(multiRowInserts(INSERT_STG_CUSTOMER, docs.map((doc) => ({ ...stagedFields(doc, sessionKey, unicode), custClassId: varchar(15, doc.custClassId) })))),
      true,
    );
    const statuses = new Map((await this.port.query(SELECT_STG_CUSTOMER_STATUSES, { sessionKey: int(outcome.sessionKey) })).map((row) => [textColumn(row, 'CustID') ?? '', numberColumn(row, 'ProcessStatus')]));
    const failures = outcome.retVal === API_RET_SUCCESS && outcome.failedRecs === 0 ? [] : await readFailures(this.port, outcome.sessionKey);
    const results = new Map<CustomerDocument, CustomerOutcome>();
    const created = docs.filter((doc) => statuses.get(doc.custId) === STAGING_PROCESSED);
    for (const doc of docs.filter((candidate) => !created.includes(candidate))) {
      results.set(doc, { error: rowFailure(failures, outcome, doc.custId, whatOf(doc)) });
    }
    // No created customer can have an xref row yet: its CustID was free before the session and
    // this writer holds the single-writer lock. Should one exist anyway, the insert fails and
    // writeMany sends each customer alone, which finds it.
    const refs = await this.port.transaction(async (tx) => {
      const made = new Map<CustomerDocument, SageRef>();
      if (created.length > 0) {
        const { sql, params } = selectByKeys(SELECT_CUSTOMER_BY_ID, 'CustID', 'custId', created.map((doc) => varchar(12, doc.custId)));
        const customers = new Map((await tx.query(sql, { ...params, companyId: varchar(3, companyId) })).map((row) => [(textColumn(row, 'CustID') ?? '').trim().toUpperCase(), customerMatch(row)]));
        for (const doc of created) {
          const customer = customers.get(doc.custId.toUpperCase());
          if (!customer) throw new Error(`${whatOf(doc)} was reported done but ${doc.custId} is not in tarCustomer`);
          made.set(doc, { docKey: doc.key, sageTable: 'tarCustomer', sageKey: customer.custKey, sageNumber: customer.custId, batchKey: null });
        }
      }
      await runBatch(tx, [
        ...(created.length > 0 ? multiRowInserts(INSERT_XREF, created.map((doc) => xrefParams({ companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'customer' }, made.get(doc)!))) : []),
        sessionFinishedStep(outcome.sessionKey),
      ]);
      return made;
    });
    for (const [doc, ref] of refs) results.set(doc, { ref });
    return results;
  }

  async write(planned: CustomerDocument): Promise<SageRef> {
    const { companyId } = this.options;
    const existing = await findXref(this.port, companyId, planned.key);
    if (existing) return existing;
    const what = whatOf(planned);
    const doc = await this.validated(planned);
    if (doc.action === 'update') await this.stageUpdate(doc, what);
    else await this.stageInsert(doc, what);
    return this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return raced;
      const row = (await tx.query(SELECT_CUSTOMER_BY_ID, { companyId: varchar(3, companyId), custId: varchar(12, doc.custId) }))[0];
      if (!row) throw new Error(`${what} was reported done but ${doc.custId} is not in tarCustomer`);
      const customer = customerMatch(row);
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
    await this.runApi(what, (_tx, sessionKey) =>
      Promise.resolve([{ kind: 'execute', sql: INSERT_STG_CUSTOMER, params: { ...stagedFields(doc, sessionKey, unicode), custClassId: varchar(15, doc.custClassId) } }]),
    );
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
    await this.runApi(what, (_tx, sessionKey) =>
      Promise.resolve([
        { kind: 'execute', sql: INSERT_JOB_EXECUTE, params: { sessionKey: int(sessionKey), jobDefKey: int(jobDefKey) } },
        { kind: 'execute', sql: INSERT_STG_CUSTOMER_UPDATE, params: stagedFields(doc, sessionKey, unicode) },
      ]),
    );
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
  private async runApi(what: string, stage: (tx: SqlSession, sessionKey: number) => Promise<BatchStep[]>): Promise<void> {
    const { companyId, userId } = this.options;
    const outcome: StagingOutcome = await runStagingApi(this.port, { companyId, userId, stepParameter: null, procedureName: 'spARapiCustomerIns' }, stage);
    const status = processStatusOf(await this.port.query(SELECT_STG_CUSTOMER_STATUS, { sessionKey: int(outcome.sessionKey) }));
    if (outcome.retVal !== API_RET_SUCCESS || outcome.failedRecs !== 0 || status !== STAGING_PROCESSED) {
      throw await failureError(this.port, outcome, what);
    }
  }
}
