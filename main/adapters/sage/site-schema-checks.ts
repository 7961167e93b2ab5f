import {
  SELECT_COLUMN_TYPES,
  SELECT_CUST_CLASS,
  SELECT_GL_BATCH_TYPE,
  SELECT_ITEM,
  SELECT_PERMISSION,
  SELECT_PROCEDURE_PARAMETERS,
  SELECT_TRIGGERS,
  SELECT_WAREHOUSE,
} from './check-statements.js';
import { describeSent, describeSiteType, fits, type SiteColumnType } from './column-fit.js';
import { JOURNAL_CODE_COLUMNS, type JournalCodes, type JournalCodeSource, type SiteValue } from './journal-codes.js';
import type { PreflightItem } from './preflight.js';
import { XREF_TABLE_NAME } from './required-schema.js';
import { int, numberColumn, smallint, textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import * as statements from './statements.js';
import { SELECT_COUNTRIES, SELECT_JOURNAL, SELECT_STEP_PARAM_NO } from './statements.js';
import { SETUP_STEP_SO_OPEN, STEP_PARAM_TYPE_INVALID_REFERENCE } from './sage-codes.js';
import { FREE_TEXT_COLUMNS, readUnicodeColumns } from './unicode-columns.js';
import { requiredPermissions, sentLiteralType, WRITER_PARAM_TYPES, WRITER_PROCEDURE_CALLS, writtenTables, type SentType } from './writer-contract.js';

/**
 * The site checks of `s5sync check` beyond table and column presence (issue #15 item 10):
 * column types and lengths against what the writer sends, the login's permissions, each
 * procedure's parameters against the writer's call, the reference rows the writer needs,
 * triggers on the tables it writes, and whether the GL code values are verified for the site.
 */

export interface SiteCheckOptions {
  companyId: string;
  journalId: string;
  journalCodes: JournalCodeSource;
  customers: { enabled: boolean; custClassId: string };
  salesOrders: { enabled: boolean; itemIds: readonly string[]; warehouseId: string };
}

const pass = (id: string, label: string, detail: string): PreflightItem => ({ id, label, passed: true, detail, fix: null });
const fail = (id: string, label: string, detail: string, fix: string): PreflightItem => ({ id, label, passed: false, detail, fix });
const warn = (id: string, label: string, detail: string, fix: string): PreflightItem => ({ id, label, passed: true, warning: true, detail, fix });

/** Table → column → the value expression of the writer's INSERTs, read from statements.ts. */
function insertedValues(): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const sql of Object.values(statements)) {
    const match = typeof sql === 'string' ? /^INSERT INTO (\w+) \((.*)\) VALUES \((.*)\)$/s.exec(sql) : null;
    if (!match) continue;
    const columns = match[2]!.split(',').map((column) => column.trim());
    const values = match[3]!.split(',').map((value) => value.trim());
    const table = tables.get(match[1]!) ?? new Map<string, string>();
    columns.forEach((column, index) => table.set(column, values[index]!));
    tables.set(match[1]!, table);
  }
  return tables;
}

function codeFor(table: string, column: string, codes: JournalCodes): SiteValue | null {
  const entry = Object.entries(JOURNAL_CODE_COLUMNS).find(([, where]) => where.table === table && where.column === column);
  return entry ? codes[entry[0] as keyof JournalCodes] : null;
}

function siteType(row: Record<string, string | number | null>): SiteColumnType {
  const optional = (column: string): number | null => (row[column] === null || row[column] === undefined ? null : numberColumn(row, column));
  return {
    dataType: (textColumn(row, 'DATA_TYPE') ?? '').toLowerCase(),
    length: optional('CHARACTER_MAXIMUM_LENGTH'),
    precision: optional('NUMERIC_PRECISION'),
    scale: optional('NUMERIC_SCALE'),
  };
}

async function columnTypeItems(session: SqlSession, source: JournalCodeSource): Promise<PreflightItem[]> {
  const items: PreflightItem[] = [];
  let checked = 0;
  for (const [table, values] of insertedValues()) {
    if (table === XREF_TABLE_NAME) continue;
    const site = new Map((await session.query(SELECT_COLUMN_TYPES, { tableName: varchar(128, table) })).map((row) => [textColumn(row, 'COLUMN_NAME') ?? '', siteType(row)]));
    for (const [column, value] of values) {
      const siteColumn = site.get(column);
      const sent: SentType | null = value.startsWith('@') ? (WRITER_PARAM_TYPES[table]?.[column] ?? null) : sentLiteralType(value);
      if (!siteColumn || !sent) continue; // a missing column is the schema check's finding; NULL needs no type
      checked += 1;
      const code = sent.kind === 'code' ? codeFor(table, column, source.codes) : null;
      if (fits(sent, code, siteColumn)) continue;
      const where = `${table}.${column}`;
      const detail = `${where} is ${describeSiteType(siteColumn)} on this database; the sync sends ${describeSent(sent, code)}`;
      const fix =
        sent.kind === 'code'
          ? `Have a Sage user key one journal entry into a new GL batch (not posted) and run \`s5sync capture batch <BatchNo>\`: the sync then sends this site's own ${column} value and type. Run check again afterwards.`
          : sent.kind === 'varchar' && siteColumn.length !== null
            ? `${where} is shorter here than the sync needs (${sent.length} characters). Ask your Sage partner why this Sage database differs from standard Sage 500; do not go live until the column holds ${sent.length} characters.`
            : `${where} has a different type here than in standard Sage 500. Send this line to your Sage partner; do not go live until it is resolved.`;
      items.push(fail(`column:${where}`, `Column type ${where}`, detail, fix));
    }
  }
  return items.length > 0 ? items : [pass('column-types', 'Column types and lengths', `All ${checked} columns the sync fills take what it sends`)];
}

function granted(value: string | number | null | undefined): boolean | null {
  if (value === null || value === undefined) return null;
  return Number(value) === 1;
}

async function permissionItem(session: SqlSession): Promise<PreflightItem> {
  const missing: string[] = [];
  const grants: string[] = [];
  for (const [object, permissions] of requiredPermissions()) {
    for (const permission of permissions) {
      const row = (await session.query(SELECT_PERMISSION, { objectName: varchar(128, object), permission: varchar(20, permission) }))[0];
      if (granted(row?.['Granted'])) continue;
      missing.push(`${permission} on ${object}`);
      grants.push(`GRANT ${permission} ON ${object} TO <sync login>;`);
    }
  }
  return missing.length === 0
    ? pass('permissions', 'Permissions of the SQL login', 'Every table and procedure the sync uses is granted (HAS_PERMS_BY_NAME)')
    : fail('permissions', 'Permissions of the SQL login', `Missing: ${missing.join(', ')}`, `Have the DBA run (docs/sage-setup.md §1): ${grants.join(' ')}`);
}

const SQL_TYPE_OF: Record<string, string> = { varchar: 'varchar', int: 'int', smallint: 'smallint', decimal: 'decimal', datetime: 'datetime' };

async function procedureItems(session: SqlSession): Promise<PreflightItem[]> {
  const items: PreflightItem[] = [];
  for (const [procedure, call] of Object.entries(WRITER_PROCEDURE_CALLS)) {
    const label = `Parameters of ${procedure}`;
    const declared = await session.query(SELECT_PROCEDURE_PARAMETERS, { procedureName: varchar(128, procedure) });
    if (declared.length === 0) {
      items.push(fail(`procedure:${procedure}`, label, `${procedure} is missing or its parameters are not visible to this login (sys.parameters)`,
        `Grant EXECUTE on ${procedure} to the sync login, or ask your Sage partner whether this Sage version has it.`));
      continue;
    }
    const problems: string[] = [];
    if (declared.length < call.args.length) problems.push(`it declares ${declared.length} parameters, the sync passes ${call.args.length}`);
    const byName = new Map(declared.map((site) => [(textColumn(site, 'ParamName') ?? '').replace(/^@/, '').toLowerCase(), site]));
    call.args.forEach((arg, index) => {
      // Bound by name, order does not matter but every name must exist; by position, the order is the contract.
      const site = call.byName ? byName.get(arg.name.toLowerCase()) : declared[index];
      if (!site) {
        if (call.byName) problems.push(`it has no parameter @${arg.name}, which the sync binds by name`);
        return;
      }
      const siteName = textColumn(site, 'ParamName') ?? '';
      const typeName = (textColumn(site, 'TypeName') ?? '').toLowerCase();
      const siteOutput = numberColumn(site, 'IsOutput') === 1;
      const position = `parameter ${numberColumn(site, 'Position')} (${siteName})`;
      if (siteOutput !== arg.output) problems.push(`${position} is ${siteOutput ? '' : 'not '}OUTPUT here; the sync ${arg.output ? 'reads it back' : 'passes a value'}`);
      const maxLength = numberColumn(site, 'MaxLength');
      const siteColumn: SiteColumnType = {
        dataType: typeName,
        length: typeName.startsWith('n') && typeName.endsWith('char') ? (maxLength === -1 ? -1 : maxLength / 2) : typeName.endsWith('char') ? maxLength : null,
        precision: null,
        scale: null,
      };
      const fitsType = arg.type.kind === 'decimal' || arg.type.kind === 'code' ? SQL_TYPE_OF[typeName] !== undefined : fits(arg.type, null, siteColumn);
      if (!fitsType) problems.push(`${position} is ${describeSiteType(siteColumn)}; the sync passes ${describeSent(arg.type, null)}`);
    });
    items.push(
      problems.length === 0
        ? pass(`procedure:${procedure}`, label, `${declared.length} parameters; the sync's ${call.args.length} arguments match ${call.byName ? 'by name' : 'by position'}`)
        : fail(`procedure:${procedure}`, label, problems.join('; '),
            `This Sage version's ${procedure} differs from the one the sync was built for. Send this line to your Sage partner; do not go live until it is resolved.`),
    );
  }
  return items;
}

async function referenceItems(session: SqlSession, options: SiteCheckOptions): Promise<PreflightItem[]> {
  const companyId = varchar(3, options.companyId);
  const items: PreflightItem[] = [];
  const exists = async (id: string, label: string, sql: string, params: Record<string, ReturnType<typeof varchar>>, missing: string, fix: string): Promise<void> => {
    const found = (await session.query(sql, { companyId, ...params })).length > 0;
    items.push(found ? pass(id, label, 'Present') : fail(id, label, missing, fix));
  };
  await exists('reference:batch-type', 'GL journal batch type 301', SELECT_GL_BATCH_TYPE, {},
    `Company ${options.companyId} has no tciBatchTypCompany row for batch type 301 (GL journals), so spGetNextBatch cannot create a batch`,
    'Open General Ledger once in Sage for this company (Set Up General Ledger Options), which creates its batch types, or ask your Sage partner.');
  await exists('reference:journal', `Journal ${options.journalId}`, SELECT_JOURNAL, { jrnlId: varchar(15, options.journalId) },
    `No journal ${options.journalId} in company ${options.companyId} (tglJournal.JrnlID)`,
    'Create the journal in Sage (General Ledger > Maintain Journals) or enter an existing journal ID in the mapping.');
  if (options.customers.enabled) {
    await exists('reference:customer-class', `Customer class ${options.customers.custClassId}`, SELECT_CUST_CLASS, { custClassId: varchar(15, options.customers.custClassId) },
      `No customer class ${options.customers.custClassId} in company ${options.companyId} (tarCustClass.CustClassID); spARapiCustomerIns would reject every new customer`,
      'Create the class in Sage (Accounts Receivable > Maintain Customer Classes) or enter an existing class in the mapping.');
  }
  if (options.customers.enabled) {
    const countries = (await session.query(SELECT_COUNTRIES)).length;
    items.push(
      countries > 0
        ? pass('reference:countries', 'Country codes', `${countries} countries in tsmCountry; customer addresses take their CountryID from them`)
        : fail('reference:countries', 'Country codes', 'tsmCountry has no rows, so every customer address with a country would be rejected (tciAddress.CountryID)',
            'Set up the countries in Sage (Common Information > Maintain Countries), or ask your Sage partner to load them.'),
    );
  }
  if (options.salesOrders.enabled) {
    for (const itemId of new Set(options.salesOrders.itemIds)) {
      await exists(`reference:item:${itemId}`, `Item ${itemId}`, SELECT_ITEM, { itemId: varchar(30, itemId) },
        `No item ${itemId} in company ${options.companyId} (timItem.ItemID); sales orders naming it would be rejected`,
        'Create the item in Sage (Inventory Management > Maintain Items) or map the product to an existing item.');
    }
    const stepFound = (await session.query(SELECT_STEP_PARAM_NO, { setupStepKey: int(SETUP_STEP_SO_OPEN), paramType: smallint(STEP_PARAM_TYPE_INVALID_REFERENCE) })).length > 0;
    items.push(
      stepFound
        ? pass('reference:so-step-parameter', `Sales-order step ${SETUP_STEP_SO_OPEN} parameter`, `tsmMigrateStepParam has the ParamType ${STEP_PARAM_TYPE_INVALID_REFERENCE} row that makes spSOapiSalesOrdIns create Open orders`)
        : fail('reference:so-step-parameter', `Sales-order step ${SETUP_STEP_SO_OPEN} parameter`,
            `tsmMigrateStepParam has no ParamType ${STEP_PARAM_TYPE_INVALID_REFERENCE} row for SetupStepKey ${SETUP_STEP_SO_OPEN}; spSOapiSalesOrdIns would create the orders Closed (S2)`,
            "Sage's Data Import Manager setup for sales orders is missing on this database; ask your Sage partner to install or repair it, or turn the order flow off."),
    );
    await exists('reference:warehouse', `Warehouse ${options.salesOrders.warehouseId}`, SELECT_WAREHOUSE, { warehouseId: varchar(6, options.salesOrders.warehouseId) },
      `No warehouse ${options.salesOrders.warehouseId} in company ${options.companyId} (timWarehouse.WhseID)`,
      'Enter an existing warehouse ID in the mapping (salesOrders.warehouseId).');
  }
  return items;
}

async function triggerItem(session: SqlSession): Promise<PreflightItem> {
  const written = new Set(writtenTables());
  const triggers = (await session.query(SELECT_TRIGGERS))
    .filter((row) => written.has(textColumn(row, 'TableName') ?? ''))
    .map((row) => `${textColumn(row, 'TriggerName') ?? ''} on ${textColumn(row, 'TableName') ?? ''}${numberColumn(row, 'Disabled') === 1 ? ' (disabled)' : ''}`);
  return triggers.length === 0
    ? pass('triggers', 'Triggers on the tables the sync writes', 'None')
    : warn('triggers', 'Triggers on the tables the sync writes', `They run on every row the sync writes: ${triggers.join(', ')}`,
        'Sage uses triggers for integrity; a partner or add-on trigger may reject or change rows. Run `s5sync check --rehearse` to see them act on a sample of each document.');
}

/** Which free-text columns the site declares nvarchar (text kept as is) and which varchar (code page 1252). */
async function textColumnsItem(session: SqlSession): Promise<PreflightItem> {
  const unicode = await readUnicodeColumns(session);
  const nvarcharColumns = FREE_TEXT_COLUMNS.filter((column) => unicode.has(column));
  const varcharColumns = FREE_TEXT_COLUMNS.filter((column) => !unicode.has(column));
  const parts = [
    nvarcharColumns.length > 0 ? `nvarchar, text kept as is: ${nvarcharColumns.join(', ')}` : 'nvarchar: none',
    varcharColumns.length > 0 ? `varchar (code page 1252; other characters are transliterated with a note, or the record is refused when they cannot be): ${varcharColumns.join(', ')}` : 'varchar: none',
  ];
  return pass('text-columns', 'Text columns: varchar or nvarchar', parts.join('; '));
}

function templateItem(source: JournalCodeSource): PreflightItem {
  return source.verified
    ? pass('site-template', 'GL code values', `From this site's hand-keyed batch: ${source.source}`)
    : warn('site-template', 'GL code values', `Unverified for this site: ${source.source}`,
        'Have a Sage user key one journal entry into a new GL batch (not posted) and run `s5sync capture batch <BatchNo>` (docs/sage-setup.md §8).');
}

export async function siteCheckItems(
  session: SqlSession,
  options: SiteCheckOptions,
  guarded: (id: string, label: string, check: () => Promise<PreflightItem | PreflightItem[]>) => Promise<void>,
): Promise<void> {
  await guarded('column-types', 'Column types and lengths', () => columnTypeItems(session, options.journalCodes));
  await guarded('permissions', 'Permissions of the SQL login', () => permissionItem(session));
  await guarded('procedure-parameters', 'Procedure parameters', () => procedureItems(session));
  await guarded('reference', 'Reference rows', () => referenceItems(session, options));
  await guarded('triggers', 'Triggers on the tables the sync writes', () => triggerItem(session));
  await guarded('text-columns', 'Text columns: varchar or nvarchar', () => textColumnsItem(session));
  await guarded('site-template', 'GL code values', () => Promise.resolve(templateItem(options.journalCodes)));
}
