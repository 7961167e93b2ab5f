import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';

/**
 * Whether the ledger's integrity check (`PRAGMA quick_check`, which reads the whole file) can
 * be left out at open. It costs about 0.1 s per 30 MB of ledger on every `s5sync sync --once`
 * that Task Scheduler starts every few minutes (issue #19 item 6), so it runs only when the file
 * may have changed since the sync itself last closed it cleanly, and at least once a day:
 *
 * - at a clean close the ledger's size and modification time are recorded beside it
 *   (`<ledger>-closed`), with the time of the last full check;
 * - at open that record is removed before anything else, so a process that dies with the ledger
 *   open (a crash, a power cut) leaves none and the next open checks;
 * - the check is left out only when the record is there, the file has exactly the recorded size
 *   and modification time, no write-ahead log is left beside it, and the last check is less than
 *   a day old. Anything that wrote the file since (a copy, a restore, a disk tool) changes its
 *   modification time; damage nothing wrote (a failing disk) is found by the daily check.
 *
 * The modification time is set to a whole second in the past at the clean close, so a write in
 * the same tick of the file system's clock still shows as a different time.
 */

/** The longest the ledger goes without a full integrity check. */
export const INTEGRITY_CHECK_EVERY_MS = 24 * 3600 * 1000;

interface CleanClose {
  size: number;
  mtimeMs: number;
  /** Epoch ms of the last full integrity check. */
  checkedAt: number;
}

const recordPath = (ledgerPath: string): string => `${ledgerPath}-closed`;

/**
 * Takes the clean-close record away (the ledger is open from now on) and says whether the
 * integrity check may be left out; the time of the last check when it may, else null.
 */
export function takeCleanClose(ledgerPath: string, nowMs: number): number | null {
  const path = recordPath(ledgerPath);
  let record: CleanClose | null = null;
  try {
    record = JSON.parse(readFileSync(path, 'utf8')) as CleanClose;
    rmSync(path, { force: true });
  } catch {
    // No record (or an unreadable one): the file is checked. A read-only folder is refused at open anyway.
    return null;
  }
  try {
    const stat = statSync(ledgerPath);
    const unchanged = stat.size === record.size && stat.mtimeMs === record.mtimeMs && !existsSync(`${ledgerPath}-wal`);
    const recent = nowMs - record.checkedAt < INTEGRITY_CHECK_EVERY_MS && record.checkedAt <= nowMs;
    return unchanged && recent ? record.checkedAt : null;
  } catch {
    return null;
  }
}

/** After the connection closed cleanly: records the file as it is now. Failing to only costs a check at the next open. */
export function recordCleanClose(ledgerPath: string, checkedAt: number, nowMs: number): void {
  try {
    const wholeSecondBefore = new Date(Math.floor(nowMs / 1000) * 1000 - 1000);
    utimesSync(ledgerPath, wholeSecondBefore, wholeSecondBefore);
    const stat = statSync(ledgerPath);
    const record: CleanClose = { size: stat.size, mtimeMs: stat.mtimeMs, checkedAt };
    writeFileSync(recordPath(ledgerPath), JSON.stringify(record));
  } catch {
    // e.g. the folder became read-only: the next open checks.
  }
}
