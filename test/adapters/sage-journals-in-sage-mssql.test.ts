import sql from 'mssql';
import { describe, expect, it } from 'vitest';
import { findJournalsInSage } from '../../main/adapters/sage/journals-in-sage.js';
import { MssqlExecutor, type MssqlPool } from '../../main/adapters/sage/mssql-executor.js';

/**
 * The found-journal read on the mssql code path with rows typed as tedious gives them (the
 * loopback pool hands back the sandbox's strings, so it never reaches MssqlExecutor's Date and
 * decimal conversions): datetime as a JS Date (useUTC, mssql's default), decimal(15,3) as a JS
 * number with the recordset's column metadata (sql.Decimal, scale 3), int and smallint as numbers.
 * The expected journals are written here by hand.
 */

const PENDING_KEY = 'daily:charges:2026-11-26';
const POSTED_KEY = 'po_1:txn_1';
const day = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);

const XREF_COLUMNS = { PostAmt: { type: sql.Decimal, precision: 15, scale: 3 }, TranDate: { type: sql.DateTime } };
const XREF_ROWS = [
  { DocKey: PENDING_KEY, SageTable: 'tglJournalHdr', SageKey: 7, SageNumber: '12', BatchKey: 3, BatchNo: 4, BatchStatus: 4, PostStatus: 0, EntryNo: 1, PostAmt: 1234.567, PostCmnt: 'gross', TranDate: day('2026-11-26'), GLAcctNo: '105000' },
  { DocKey: PENDING_KEY, SageTable: 'tglJournalHdr', SageKey: 7, SageNumber: '12', BatchKey: 3, BatchNo: 4, BatchStatus: 4, PostStatus: 0, EntryNo: 2, PostAmt: -1234.567, PostCmnt: 'sales', TranDate: day('2026-11-26'), GLAcctNo: '400000' },
  // Posted: no pending line left (the left joins' one row without a line).
  { DocKey: POSTED_KEY, SageTable: 'tglJournalHdr', SageKey: 8, SageNumber: '13', BatchKey: 9, BatchNo: 5, BatchStatus: 6, PostStatus: 500, EntryNo: null, PostAmt: null, PostCmnt: null, TranDate: null, GLAcctNo: null },
];
const POSTED_COLUMNS = { PostAmt: { type: sql.Decimal, precision: 15, scale: 3 }, TranDate: { type: sql.DateTime }, PostDate: { type: sql.DateTime } };
const POSTED_ROWS = [
  { BatchKey: 9, JrnlNo: 13, glTranKey: 101, PostAmt: 50.5, PostCmnt: 'payout', TranDate: day('2026-11-25'), PostDate: day('2026-11-26'), GLAcctNo: '101000' },
  { BatchKey: 9, JrnlNo: 13, glTranKey: 102, PostAmt: -50.5, PostCmnt: 'clearing', TranDate: day('2026-11-25'), PostDate: day('2026-11-26'), GLAcctNo: '105000' },
];

/** A pool whose requests answer the xref read and the posted read with the rows above, as tedious types them. */
function tediousTypedPool(queries: string[]): MssqlPool {
  const answer = (text: string): sql.IResult<Record<string, unknown>> => {
    queries.push(text);
    const [rows, columns] = /tglTransaction/.test(text) ? [POSTED_ROWS, POSTED_COLUMNS] : [XREF_ROWS, XREF_COLUMNS];
    return { recordset: Object.assign(rows.map((row) => ({ ...row })), { columns }), recordsets: [], rowsAffected: [rows.length], output: {} } as unknown as sql.IResult<Record<string, unknown>>;
  };
  const request = (): sql.Request => {
    const built = { input: () => built, output: () => built, query: (text: string) => Promise.resolve(answer(text)) };
    return built as unknown as sql.Request;
  };
  const pool: MssqlPool = {
    request,
    transaction: () => {
      throw new Error('the read runs outside a transaction');
    },
    close: () => Promise.resolve(),
  };
  return pool;
}

describe('journals found in Sage, read through MssqlExecutor from tedious-typed rows', () => {
  it('dates from JS Dates, amounts from numbers at the column\'s scale, keys and states from numbers', async () => {
    const queries: string[] = [];
    const pool = tediousTypedPool(queries);
    const found = await findJournalsInSage(new MssqlExecutor(pool, () => Promise.resolve(pool)), 'SOA', [PENDING_KEY, POSTED_KEY]);
    expect(queries).toHaveLength(2);
    expect(found.get(PENDING_KEY)).toEqual({
      ref: { docKey: PENDING_KEY, sageTable: 'tglJournalHdr', sageKey: 7, sageNumber: '12', batchKey: 3 },
      lines: [
        { acctNo: '105000', amount: '1234.567', comment: 'gross', tranDate: '2026-11-26', postDate: null },
        { acctNo: '400000', amount: '-1234.567', comment: 'sales', tranDate: '2026-11-26', postDate: null },
      ],
      posted: false,
      batch: { batchNo: 4, status: 4, postStatus: 0 },
    });
    expect(found.get(POSTED_KEY)).toEqual({
      ref: { docKey: POSTED_KEY, sageTable: 'tglJournalHdr', sageKey: 8, sageNumber: '13', batchKey: 9 },
      lines: [
        { acctNo: '101000', amount: '50.500', comment: 'payout', tranDate: '2026-11-25', postDate: '2026-11-26' },
        { acctNo: '105000', amount: '-50.500', comment: 'clearing', tranDate: '2026-11-25', postDate: '2026-11-26' },
      ],
      posted: true,
      batch: { batchNo: 5, status: 6, postStatus: 500 },
    });
  });
});
