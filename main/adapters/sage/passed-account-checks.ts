import { accountOnDate, readGlAccount, type CheckResult, type CompanyFacts } from './gl-checks.js';
import { PassedChecksCache } from './passed-checks-cache.js';
import type { SqlRow, SqlSession } from './sql-port.js';

/**
 * The account check of gl-checks.ts for a writer's many documents: the tglAccount row of an
 * account that passed is kept for `ttlMs` (passed-checks-cache.ts) and checked again on each
 * post date (EffStartDate/EffEndDate), instead of a read per account and post date: 325 reads
 * of 14 accounts in a 10k backfill, one round trip each. A date the kept row fails is read
 * afresh before the failure is reported, so an account fixed meanwhile is seen at once.
 */
export class PassedAccountChecks {
  private readonly rows: PassedChecksCache<SqlRow>;

  constructor(ttlMs: number, now?: () => number) {
    this.rows = new PassedChecksCache<SqlRow>(ttlMs, now);
  }

  /** The account's GLAcctKey for a posting on `onDate`, or what Sage would refuse. */
  async check(session: SqlSession, company: CompanyFacts, acctNo: string, onDate: string): Promise<CheckResult<number>> {
    const kept = this.rows.kept(acctNo);
    const onKept = kept ? accountOnDate(company, acctNo, kept, onDate) : null;
    if (onKept?.ok) return onKept;
    const row = await readGlAccount(session, company, acctNo);
    const result = accountOnDate(company, acctNo, row, onDate);
    if (result.ok && row) this.rows.keep(acctNo, row);
    return result;
  }
}
