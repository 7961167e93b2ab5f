import Database from 'better-sqlite3';

/**
 * The one journal the release before payouts in transit wrote per payout, put into a sandbox
 * row by row as that release's writer left it (plain SQL, not today's writer): a pending GL
 * batch (tciBatchLog, tglBatch), the journal-log row, the header with the next journal number,
 * two lines (bank debited, clearing credited, on the arrival day) and the cross-reference row
 * under `<payout>:<its balance transaction>`. `lines: 'none'` leaves a journal whose lines Sage
 * no longer holds (deleted); `lines: 'posted'` one whose batch a user posted: its batch marked
 * posted (tciBatchLog.Status 6, S6/S8) and its two lines in posted GL (tglTransaction, as S5's
 * spglSetAPIInsertGLTrans fills it: BatchKey, JrnlKey, JrnlNo, the fiscal period of the post
 * date, SourceModuleNo 3 for GL), none pending. Returns each journal's BatchKey and JrnlNo by its key.
 */
export interface OldOneStepJournal {
  /** `<payout>:<its balance transaction>` */
  docKey: string;
  payoutId: string;
  /** The payout amount in thousandths, as tglJournalDetl.PostAmt stores it. */
  amount: number;
  /** The arrival day, YYYY-MM-DD. */
  day: string;
  lines?: 'pending' | 'posted' | 'none';
}

const COMPANY = 'SOA';
/** The default mapping's accounts as the sandbox stores them (without the mask). */
export const BANK = '101000';
export const CLEARING = '105000';
export const IN_TRANSIT = '102000';

export function writeOldOneStepJournals(sandboxPath: string, journals: readonly OldOneStepJournal[]): Map<string, { batchKey: number; jrnlNo: number }> {
  const raw = new Database(sandboxPath);
  const written = new Map<string, { batchKey: number; jrnlNo: number }>();
  try {
    const nextKey = (table: string): number => {
      const row = raw.prepare('SELECT NextKey FROM tciSurrogateKey WHERE TableName = ?').get(table) as { NextKey: number };
      raw.prepare('UPDATE tciSurrogateKey SET NextKey = NextKey + 1 WHERE TableName = ?').run(table);
      return row.NextKey;
    };
    const account = (acctNo: string): number => (raw.prepare('SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = ?').get(acctNo) as { GLAcctKey: number }).GLAcctKey;
    const journal = raw.prepare("SELECT JrnlKey, NextJrnlNo FROM tglJournal WHERE JrnlID = 'GJ'").get() as { JrnlKey: number; NextJrnlNo: number };
    let jrnlNo = journal.NextJrnlNo;
    let batchNo = 7_000;
    raw.transaction(() => {
      for (const old of journals) {
        const day = `${old.day} 00:00:00`;
        const batchKey = nextKey('tciBatchLog');
        const jrnlHdrKey = nextKey('tglJournalHdr');
        batchNo += 1;
        raw.prepare(
          `INSERT INTO tciBatchLog (BatchKey, BatchID, BatchNo, BatchType, Status, PostStatus, OrigUserID, SourceCompanyID, PostCompanyID, BatchCmnt, PostDate, CreateDate, CreateType)
           VALUES (?, ?, ?, 301, 4, 0, 'stripe', ?, ?, ?, ?, ?, 1)`,
        ).run(batchKey, `GLJE-${String(batchNo).padStart(6, '0')}`, batchNo, COMPANY, COMPANY, `Stripe sync ${old.day}`, day, day);
        raw.prepare(
          `INSERT INTO tglBatch (BatchKey, BatchCmnt, GeneralJrnlType, Hold, InterCompany, InterCompUsage, OrigUserID, PostDate, Private, TranCtrl, UpdateCounter)
           VALUES (?, ?, 1, 0, 0, 0, 'stripe', ?, 0, 0, 0)`,
        ).run(batchKey, `Stripe sync ${old.day}`, day);
        raw.prepare('INSERT INTO tglJournalLog (CompanyID, JrnlKey, JrnlNo, PostDate, TranStatus) VALUES (?, ?, ?, ?, 2)').run(COMPANY, journal.JrnlKey, jrnlNo, day);
        raw.prepare(
          `INSERT INTO tglJournalHdr (JrnlHdrKey, BatchKey, CompanyID, JrnlKey, JrnlNo, CurrID, CurrExchRate, Financial, NextEntryNo, OffsetPost, OutOfBalance,
             OutOfBalOverride, ReqOffsetAmt, ReverseJrnl, SourceModule, Status, CreateType, CreateDate, CreateUserID, UpdateCounter)
           VALUES (?, ?, ?, ?, ?, 'USD', 1, 1, 3, 1, 0, 0, 0, 0, 1, 1, 1, ?, 'stripe', 0)`,
        ).run(jrnlHdrKey, batchKey, COMPANY, journal.JrnlKey, jrnlNo, day);
        const lines = old.lines ?? 'pending';
        if (lines === 'posted') {
          raw.prepare('UPDATE tciBatchLog SET Status = 6 WHERE BatchKey = ?').run(batchKey);
          const period = raw.prepare('SELECT FiscYear, FiscPer FROM tglFiscalPeriod WHERE CompanyID = ? AND StartDate <= ? AND EndDate >= ?').get(COMPANY, day, day) as {
            FiscYear: string;
            FiscPer: number;
          };
          const posted = raw.prepare(
            `INSERT INTO tglTransaction (glTranKey, BatchKey, CreateType, CreateDate, CurrExchRate, CurrID, FiscPer, FiscYear, GLAcctKey, JrnlKey, JrnlNo,
               PostAmt, PostAmtHC, PostCmnt, PostDate, PostQty, SourceModuleNo, TranDate)
             VALUES (?, ?, 1, ?, 1, 'USD', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 3, ?)`,
          );
          for (const [acctNo, amount] of [[BANK, old.amount], [CLEARING, -old.amount]] as const) {
            const glTranKey = (raw.prepare('SELECT COALESCE(MAX(glTranKey), 0) + 1 AS next FROM tglTransaction').get() as { next: number }).next;
            posted.run(glTranKey, batchKey, day, period.FiscPer, period.FiscYear, account(acctNo), journal.JrnlKey, jrnlNo, amount, amount, `${old.payoutId} payout`, day, day);
          }
        }
        if (lines === 'pending') {
          const line = raw.prepare(
            `INSERT INTO tglJournalDetl (JrnlHdrKey, EntryNo, SeqNo, GLAcctKey, PostAmt, PostAmtHC, PostQty, PostCmnt, RefNo, TargetCompanyID, TranDate)
             VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', ?, ?)`,
          );
          line.run(jrnlHdrKey, 1, 16_384, account(BANK), old.amount, old.amount, `${old.payoutId} payout`, COMPANY, day);
          line.run(jrnlHdrKey, 2, 32_768, account(CLEARING), -old.amount, -old.amount, `${old.payoutId} payout`, COMPANY, day);
        }
        raw.prepare(
          `INSERT INTO tciStripeXref_STRIPE (DocKey, StripeObjectID, StripeObjectType, CompanyID, SageTable, SageKey, SageNumber, BatchKey, SyncState, CreateDate)
           VALUES (?, ?, 'journal', ?, 'tglJournalHdr', ?, ?, ?, 1, ?)`,
        ).run(old.docKey, old.payoutId, COMPANY, jrnlHdrKey, String(jrnlNo), batchKey, day);
        written.set(old.docKey, { batchKey, jrnlNo });
        jrnlNo += 1;
      }
      raw.prepare('UPDATE tglJournal SET NextJrnlNo = ? WHERE JrnlKey = ?').run(jrnlNo, journal.JrnlKey);
    })();
  } finally {
    raw.close();
  }
  return written;
}
