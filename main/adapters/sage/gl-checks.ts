import {
  ACCOUNT_ACTIVE,
  CURR_RESTRICTION_SPECIFIC,
  FISCAL_PERIOD_OPEN,
  POSTING_TYPE_BOTH,
  POSTING_TYPE_FINANCIAL,
} from './sage-codes.js';
import { unmaskAccountNo } from '../../core/sage/account-number.js';
import { datetime, numberColumn, textColumn, varchar } from './sql-params.js';
import type { SqlRow, SqlSession } from './sql-port.js';
import { SELECT_COMPANY, SELECT_FISCAL_PERIOD, SELECT_GL_ACCOUNT } from './statements.js';

/**
 * The checks Sage applies again at posting (S5 spglSetAPIValidateAccount, S8), made before
 * writing so a problem is reported per record in Sage's words instead of at posting time.
 * Shared by the journal writer and the preflight.
 */

export type CheckResult<T> = { ok: true; value: T } | { ok: false; problem: string; sageField: string };

export { unmaskAccountNo } from '../../core/sage/account-number.js';

export interface CompanyFacts {
  companyId: string;
  companyName: string;
  homeCurrId: string;
}

export async function readCompany(session: SqlSession, companyId: string): Promise<CompanyFacts | null> {
  const row = (await session.query(SELECT_COMPANY, { companyId: varchar(3, companyId) }))[0];
  if (!row) return null;
  return { companyId, companyName: textColumn(row, 'CompanyName') ?? '', homeCurrId: textColumn(row, 'CurrID') ?? '' };
}

/** Checks one account for a posting on `onDate` (YYYY-MM-DD); returns its GLAcctKey. */
export async function checkAccount(session: SqlSession, company: CompanyFacts, acctNo: string, onDate: string): Promise<CheckResult<number>> {
  return accountOnDate(company, acctNo, await readGlAccount(session, company, acctNo), onDate);
}

/** The tglAccount row the account check reads (undefined: no such account). */
export async function readGlAccount(session: SqlSession, company: CompanyFacts, acctNo: string): Promise<SqlRow | undefined> {
  return (await session.query(SELECT_GL_ACCOUNT, { companyId: varchar(3, company.companyId), glAcctNo: varchar(100, unmaskAccountNo(acctNo)) }))[0];
}

/** The account check on a tglAccount row already read, for a posting on `onDate`. */
export function accountOnDate(company: CompanyFacts, acctNo: string, row: SqlRow | undefined, onDate: string): CheckResult<number> {
  const where = `GL account ${acctNo} in company ${company.companyId}`;
  if (!row) return { ok: false, problem: `GL account ${acctNo} does not exist in company ${company.companyId} (tglAccount)`, sageField: 'tglAccount.GLAcctNo' };
  const status = numberColumn(row, 'Status');
  if (status !== ACCOUNT_ACTIVE) {
    return { ok: false, problem: `${where} is ${status === 3 ? 'deleted' : 'inactive'} (tglAccount.Status = ${status})`, sageField: 'tglAccount.Status' };
  }
  const postingType = numberColumn(row, 'PostingType');
  if (postingType !== POSTING_TYPE_FINANCIAL && postingType !== POSTING_TYPE_BOTH) {
    return { ok: false, problem: `${where} is not a financial account (tglAccount.PostingType = ${postingType})`, sageField: 'tglAccount.PostingType' };
  }
  const restrictedTo = textColumn(row, 'RestrictedCurrID');
  if (numberColumn(row, 'CurrRestriction') === CURR_RESTRICTION_SPECIFIC && restrictedTo !== null && restrictedTo !== company.homeCurrId) {
    return {
      ok: false,
      problem: `${where} is restricted to currency ${restrictedTo}, not the home currency ${company.homeCurrId} (tglAccount.RestrictedCurrID)`,
      sageField: 'tglAccount.RestrictedCurrID',
    };
  }
  const day = `${onDate} 00:00:00`;
  const effStart = textColumn(row, 'EffStartDate');
  const effEnd = textColumn(row, 'EffEndDate');
  if ((effStart !== null && effStart > day) || (effEnd !== null && effEnd < day)) {
    return { ok: false, problem: `${where} is not effective on ${onDate} (tglAccount.EffStartDate/EffEndDate)`, sageField: 'tglAccount.EffStartDate' };
  }
  return { ok: true, value: numberColumn(row, 'GLAcctKey') };
}

/** The fiscal period containing `onDate` must exist and be open (tglFiscalPeriod.Status = 1). */
export async function checkFiscalPeriod(session: SqlSession, companyId: string, onDate: string): Promise<CheckResult<string>> {
  const row = (await session.query(SELECT_FISCAL_PERIOD, { companyId: varchar(3, companyId), postDate: datetime(onDate) }))[0];
  if (!row) {
    return { ok: false, problem: `No fiscal period in company ${companyId} contains ${onDate} (tglFiscalPeriod)`, sageField: 'tglFiscalPeriod' };
  }
  const period = `${textColumn(row, 'FiscYear') ?? ''}-${String(numberColumn(row, 'FiscPer')).padStart(2, '0')}`;
  if (numberColumn(row, 'Status') !== FISCAL_PERIOD_OPEN) {
    return { ok: false, problem: `Fiscal period ${period} containing ${onDate} is closed in company ${companyId} (tglFiscalPeriod.Status)`, sageField: 'tglFiscalPeriod.Status' };
  }
  return { ok: true, value: period };
}
