import type Database from 'better-sqlite3';

/**
 * What a Sage user's data-entry screen leaves in the sandbox when they key one GL journal
 * into a new batch and save it without posting: the rows `s5sync capture batch` reads.
 * The code values are deliberately NOT the writer's public defaults, so a test can tell
 * whether the writer copied them from the capture.
 */
export const HAND_KEYED_CODES = { generalJrnlType: 2, journalStatus: 2, offsetPost: 1, sourceModule: 3, createType: 1 } as const;

export function keyGlBatchByHand(raw: Database.Database, batchNo = 41): { batchKey: number; batchNo: number } {
  const next = (table: string): number => {
    const row = raw.prepare('SELECT NextKey FROM tciSurrogateKey WHERE TableName = ?').get(table) as { NextKey: number };
    raw.prepare('UPDATE tciSurrogateKey SET NextKey = NextKey + 1 WHERE TableName = ?').run(table);
    return row.NextKey;
  };
  const batchKey = next('tciBatchLog');
  const jrnlHdrKey = next('tglJournalHdr');
  const account = (acctNo: string): number => (raw.prepare('SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = ?').get(acctNo) as { GLAcctKey: number }).GLAcctKey;
  const jrnlKey = (raw.prepare("SELECT JrnlKey FROM tglJournal WHERE JrnlID = 'GJ'").get() as { JrnlKey: number }).JrnlKey;
  raw.transaction(() => {
    raw.prepare(
      `INSERT INTO tciBatchLog (BatchKey, BatchID, BatchNo, BatchType, Status, PostStatus, OrigUserID, SourceCompanyID, PostCompanyID, BatchCmnt, PostDate, CreateDate, CreateType)
       VALUES (?, ?, ?, 301, 4, 0, 'stripe', 'SOA', 'SOA', 'Keyed by Mary', '2026-11-20 00:00:00', '2026-11-20 09:12:00', 1)`,
    ).run(batchKey, `GLJE-${String(batchNo).padStart(6, '0')}`, batchNo);
    raw.prepare(
      `INSERT INTO tglBatch (BatchKey, BatchCmnt, GeneralJrnlType, Hold, InterCompany, InterCompUsage, OrigUserID, PostDate, Private, TranCtrl, UpdateCounter)
       VALUES (?, 'Keyed by Mary', ?, 0, 0, 0, 'stripe', '2026-11-20 00:00:00', 0, 0, 1)`,
    ).run(batchKey, HAND_KEYED_CODES.generalJrnlType);
    // Sage's screen writes the journal-log row before the header (S8).
    raw.prepare("INSERT INTO tglJournalLog (CompanyID, JrnlKey, JrnlNo, PostDate, TranStatus) VALUES ('SOA', ?, 900, '2026-11-20 00:00:00', 2)").run(jrnlKey);
    raw.prepare(
      `INSERT INTO tglJournalHdr (JrnlHdrKey, BatchKey, CompanyID, JrnlKey, JrnlNo, CurrID, CurrExchRate, Financial, NextEntryNo, OffsetPost, OutOfBalance,
         OutOfBalOverride, ReqOffsetAmt, ReverseJrnl, SourceModule, Status, CreateType, CreateDate, CreateUserID, UpdateCounter)
       VALUES (?, ?, 'SOA', ?, 900, 'USD', 1, 1, 3, ?, 0, 0, 0, 0, ?, ?, ?, '2026-11-20 09:12:00', 'mary', 1)`,
    ).run(jrnlHdrKey, batchKey, jrnlKey, HAND_KEYED_CODES.offsetPost, HAND_KEYED_CODES.sourceModule, HAND_KEYED_CODES.journalStatus, HAND_KEYED_CODES.createType);
    const line = raw.prepare(
      `INSERT INTO tglJournalDetl (JrnlHdrKey, EntryNo, SeqNo, GLAcctKey, PostAmt, PostAmtHC, PostQty, PostCmnt, RefNo, TargetCompanyID, TranDate)
       VALUES (?, ?, ?, ?, ?, ?, '0', ?, '', 'SOA', '2026-11-20 00:00:00')`,
    );
    line.run(jrnlHdrKey, 1, 16384, account('101000'), 12500, 12500, 'Deposit');
    line.run(jrnlHdrKey, 2, 32768, account('105000'), -12500, -12500, 'Clearing');
  })();
  return { batchKey, batchNo };
}
