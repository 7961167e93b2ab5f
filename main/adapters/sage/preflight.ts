import { checkAccount, checkFiscalPeriod, readCompany, type CompanyFacts } from './gl-checks.js';
import { IDENTITY_COLUMNS, REQUIRED_PROCEDURES, XREF_TABLE_NAME, requiredColumns } from './required-schema.js';
import { MODULE_SO, REQUIRED_MODULES } from './sage-codes.js';
import { siteCheckItems, type SiteCheckOptions } from './site-schema-checks.js';
import { numberColumn, textColumn, varchar } from './sql-params.js';
import type { PreflightItem } from '../../core/sage/preflight-item.js';
import type { SagePort } from './sql-port.js';
import {
  SELECT_COMPANY_MODULES,
  SELECT_CONNECTED,
  SELECT_ROUTINE,
  SELECT_TABLE_COLUMNS,
  SELECT_USER,
  WRITER_INSERT_COLUMNS,
} from './statements.js';

export type { PreflightItem } from '../../core/sage/preflight-item.js';

export interface PreflightOptions {
  companyId: string;
  /** The Sage user the integration writes as (tsmUser.UserID). */
  userId: string;
  /** Every GL account the mapping uses, as the mapping names them ("4000-00"). */
  accounts: readonly string[];
  /** YYYY-MM-DD business date whose fiscal period must be open. */
  today: string;
  /** The deeper site checks (site-schema-checks.ts); also decides whether Sales Order must be active. */
  site?: SiteCheckOptions;
}

const MODULE_NAMES: Record<number, string> = { 3: 'General Ledger', 5: 'Accounts Receivable', 8: 'Sales Order' };

function pass(id: string, label: string, detail: string): PreflightItem {
  return { id, label, passed: true, detail, fix: null };
}

function fail(id: string, label: string, detail: string, fix: string): PreflightItem {
  return { id, label, passed: false, detail, fix };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface ColumnFacts {
  nullable: boolean;
  hasDefault: boolean;
}

async function readColumns(port: SagePort, table: string): Promise<Map<string, ColumnFacts>> {
  const rows = await port.query(SELECT_TABLE_COLUMNS, { tableName: varchar(128, table) });
  return new Map(
    rows.map((row) => [textColumn(row, 'COLUMN_NAME') ?? '', { nullable: textColumn(row, 'IS_NULLABLE') === 'YES', hasDefault: row['COLUMN_DEFAULT'] !== null }]),
  );
}

async function schemaItems(port: SagePort): Promise<PreflightItem[]> {
  const missing: string[] = [];
  const unfilled: string[] = [];
  let xrefPresent = true;
  for (const [table, columns] of requiredColumns()) {
    const actual = await readColumns(port, table);
    if (actual.size === 0) {
      if (table === XREF_TABLE_NAME) xrefPresent = false;
      else missing.push(`${table} (table)`);
      continue;
    }
    for (const column of columns) if (!actual.has(column)) missing.push(`${table}.${column}`);
    const filled = new Set([...(WRITER_INSERT_COLUMNS[table] ?? []), ...(IDENTITY_COLUMNS[table] ?? [])]);
    if (WRITER_INSERT_COLUMNS[table]) {
      for (const [column, facts] of actual) if (!facts.nullable && !facts.hasDefault && !filled.has(column)) unfilled.push(`${table}.${column}`);
    }
  }
  return [
    missing.length === 0
      ? pass('schema', 'Sage tables and columns the sync uses', 'All present')
      : fail('schema', 'Sage tables and columns the sync uses', `Missing: ${missing.join(', ')}`,
          'This Sage version differs from the one the sync was built for. Send this list to your Sage partner; do not run the sync until it is resolved.'),
    unfilled.length === 0
      ? pass('not-null', 'Required columns the sync fills', 'Every NOT NULL column without a default is filled by the sync')
      : fail('not-null', 'Required columns the sync fills', `NOT NULL without a default and not filled by the sync: ${unfilled.join(', ')}`,
          'Your Sage database has required columns the sync does not know. Send this list to your Sage partner.'),
    xrefPresent
      ? pass('xref', `Cross-reference table ${XREF_TABLE_NAME}`, 'Present')
      : fail('xref', `Cross-reference table ${XREF_TABLE_NAME}`, 'Missing',
          'Have your Sage partner run "Install cross-reference table" (installXref) once with a login that may create tables; see docs/sage-setup.md.'),
  ];
}

async function procedureItem(port: SagePort): Promise<PreflightItem> {
  const missing: string[] = [];
  for (const name of REQUIRED_PROCEDURES) {
    if ((await port.query(SELECT_ROUTINE, { routineName: varchar(128, name) })).length === 0) missing.push(name);
  }
  return missing.length === 0
    ? pass('procedures', 'Sage procedures', REQUIRED_PROCEDURES.join(', '))
    : fail('procedures', 'Sage procedures', `Missing or not visible to this login: ${missing.join(', ')}`,
        'Grant EXECUTE on these procedures to the sync login (docs/sage-setup.md), or ask your Sage partner whether this Sage version has them.');
}

async function moduleItem(port: SagePort, companyId: string, salesOrders: boolean): Promise<PreflightItem> {
  const rows = await port.query(SELECT_COMPANY_MODULES, { companyId: varchar(3, companyId) });
  const active = new Set(rows.filter((row) => numberColumn(row, 'Active') === 1).map((row) => numberColumn(row, 'ModuleNo')));
  // spSOapiSalesOrdIns checks the SO module (S2); without the order flow nothing needs it.
  const required = REQUIRED_MODULES.filter((moduleNo) => salesOrders || moduleNo !== MODULE_SO);
  const inactive = required.filter((moduleNo) => !active.has(moduleNo)).map((moduleNo) => `${MODULE_NAMES[moduleNo]} (${moduleNo})`);
  return inactive.length === 0
    ? pass('modules', 'Sage modules', `${required.map((moduleNo) => MODULE_NAMES[moduleNo]).join(', ')} active in ${companyId}`)
    : fail('modules', 'Sage modules', `Not active in company ${companyId}: ${inactive.join(', ')} (tsmCompanyModule)`,
        'Activate these modules for the company in Sage, or choose the company that uses them.');
}

async function userItem(port: SagePort, userId: string): Promise<PreflightItem> {
  const found = (await port.query(SELECT_USER, { userId: varchar(30, userId) })).length > 0;
  return found
    ? pass('user', 'Integration user', `Sage user ${userId} exists`)
    : fail('user', 'Integration user', `Sage user ${userId} does not exist (tsmUser)`,
        `Create the Sage user ${userId} in Sage's security setup (docs/sage-setup.md), or enter the user you created.`);
}

async function accountItems(port: SagePort, company: CompanyFacts, accounts: readonly string[], today: string): Promise<PreflightItem[]> {
  const items: PreflightItem[] = [];
  for (const acctNo of new Set(accounts)) {
    const label = `GL account ${acctNo}`;
    const result = await checkAccount(port, company, acctNo, today);
    items.push(
      result.ok
        ? pass(`account:${acctNo}`, label, 'Exists, active and financial')
        : fail(`account:${acctNo}`, label, result.problem, 'Fix the account in Sage (General Ledger > Maintain Accounts) or map a different account.'),
    );
  }
  return items;
}

/**
 * Checks a Sage database before the first sync (docs/sage-setup.md §6). Each check is
 * independent, so one failure does not hide the others; a failed connection stops the rest.
 */
export async function runPreflight(port: SagePort, options: PreflightOptions): Promise<PreflightItem[]> {
  const items: PreflightItem[] = [];
  try {
    await port.query(SELECT_CONNECTED);
    items.push(pass('connect', 'Connect to the Sage database', 'Connected'));
  } catch (error) {
    return [fail('connect', 'Connect to the Sage database', errorText(error), 'Check the server, database, SQL login and password in Settings.')];
  }
  const guarded = async (id: string, label: string, check: () => Promise<PreflightItem | PreflightItem[]>): Promise<void> => {
    try {
      const result = await check();
      items.push(...(Array.isArray(result) ? result : [result]));
    } catch (error) {
      items.push(fail(id, label, `The check could not run: ${errorText(error)}`, 'Run the preflight again; if it persists, send this message to your Sage partner.'));
    }
  };
  let company: CompanyFacts | null = null;
  await guarded('company', `Sage company ${options.companyId}`, async () => {
    company = await readCompany(port, options.companyId);
    return company
      ? pass('company', `Sage company ${options.companyId}`, `${company.companyName}, home currency ${company.homeCurrId}`)
      : fail('company', `Sage company ${options.companyId}`, `Company ${options.companyId} does not exist (tsmCompany)`, 'Enter the 3-character Sage company ID in Settings.');
  });
  await guarded('schema', 'Sage tables and columns the sync uses', () => schemaItems(port));
  await guarded('procedures', 'Sage procedures', () => procedureItem(port));
  await guarded('modules', 'Sage modules', () => moduleItem(port, options.companyId, options.site?.salesOrders.enabled ?? true));
  await guarded('user', 'Integration user', () => userItem(port, options.userId));
  const knownCompany: CompanyFacts | null = company;
  if (knownCompany) await guarded('accounts', 'Mapped GL accounts', () => accountItems(port, knownCompany, options.accounts, options.today));
  await guarded('period', `Fiscal period for ${options.today}`, async () => {
    const period = await checkFiscalPeriod(port, options.companyId, options.today);
    return period.ok
      ? pass('period', `Fiscal period for ${options.today}`, `Period ${period.value} is open`)
      : fail('period', `Fiscal period for ${options.today}`, period.problem, 'Open the period in Sage (General Ledger > Set Up Fiscal Calendar), or set up next year\'s fiscal calendar.');
  });
  if (options.site) await siteCheckItems(port, options.site, guarded);
  return items;
}
