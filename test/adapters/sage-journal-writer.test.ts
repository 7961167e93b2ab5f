import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import type { SagePort, SqlParams, SqlSession } from '../../main/adapters/sage/sql-port.js';
import { INSERT_JOURNAL_DETL, SELECT_GL_ACCOUNT } from '../../main/adapters/sage/statements.js';
import { TODAY, firstTransactionFails, journal, openFixture, type SandboxFixture, rowCount, sageWriteRejection } from './sage-fixtures.js';

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

const count = (table: string): number => rowCount(fx.raw, table);

const rejection = sageWriteRejection;

describe('SageWriter journals on the sandbox', () => {
  it('writes a pending GL batch, header, signed lines and xref that read back by Sage names', async () => {
    const ref = await fx.writer.write(journal('je:po_1Abc'), { runId: 1 });
    expect(ref).toMatchObject({ docKey: 'je:po_1Abc', sageTable: 'tglJournalHdr', sageNumber: '1' });

    const batch = fx.raw.prepare('SELECT b.BatchKey, b.Status, b.PostStatus, b.BatchType, b.BatchCmnt, b.PostDate, b.OrigUserID FROM tciBatchLog b').get();
    expect(batch).toEqual({ BatchKey: ref.batchKey, Status: 4, PostStatus: 0, BatchType: 301, BatchCmnt: `Stripe sync ${TODAY}`, PostDate: `${TODAY} 00:00:00`, OrigUserID: 'stripe' });
    expect(fx.raw.prepare('SELECT PostDate, OrigUserID FROM tglBatch WHERE BatchKey = ?').get(ref.batchKey)).toEqual({ PostDate: `${TODAY} 00:00:00`, OrigUserID: 'stripe' });
    expect(fx.raw.prepare('SELECT JrnlNo, BatchKey, CreateType, CreateUserID, NextEntryNo, CurrID FROM tglJournalHdr WHERE JrnlHdrKey = ?').get(ref.sageKey)).toEqual({
      JrnlNo: 1, BatchKey: ref.batchKey, CreateType: 2, CreateUserID: 'stripe', NextEntryNo: 4, CurrID: 'USD',
    });
    const lines = fx.raw
      .prepare('SELECT d.EntryNo, d.SeqNo, a.GLAcctNo, d.PostAmt, d.PostAmtHC, d.PostCmnt FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey ORDER BY d.EntryNo')
      .all();
    expect(lines).toEqual([
      { EntryNo: 1, SeqNo: 16384, GLAcctNo: '101000', PostAmt: 96800, PostAmtHC: 96800, PostCmnt: 'Payout po_1Abc' },
      { EntryNo: 2, SeqNo: 32768, GLAcctNo: '615000', PostAmt: 3200, PostAmtHC: 3200, PostCmnt: 'Stripe fees po_1Abc' },
      { EntryNo: 3, SeqNo: 49152, GLAcctNo: '105000', PostAmt: -100000, PostAmtHC: -100000, PostCmnt: 'Clearing po_1Abc' },
    ]);
    // S8 leaves RefNo empty (""), not NULL; a hand-keyed batch's capture shows the same.
    expect(fx.raw.prepare('SELECT DISTINCT RefNo FROM tglJournalDetl').all()).toEqual([{ RefNo: '' }]);
    // The point of integer thousandths: a plain SQLite client sums a balanced journal to exactly 0.
    expect(fx.raw.prepare('SELECT sum(PostAmt) AS total FROM tglJournalDetl').get()).toEqual({ total: 0 });
    // Through the port, money comes back as canonical decimal text.
    expect(await fx.port.query('SELECT PostAmt FROM tglJournalDetl WHERE EntryNo = 3')).toEqual([{ PostAmt: '-100.000' }]);
    expect(fx.raw.prepare('SELECT StripeObjectID, SageTable, SageKey, SageNumber, BatchKey, SyncState FROM tciStripeXref_STRIPE').get()).toEqual({
      StripeObjectID: 'po_1Abc', SageTable: 'tglJournalHdr', SageKey: ref.sageKey, SageNumber: '1', BatchKey: ref.batchKey, SyncState: 1,
    });
  });

  it('takes each journal number from Sage\'s procedure and writes the journal-log row with it', async () => {
    const calls: { name: string; binding: string | undefined }[] = [];
    const statements: string[] = [];
    const spy = (session: SqlSession): SqlSession => ({
      query: (sql, params) => session.query(sql, params),
      execute: (sql, params) => {
        statements.push(sql);
        return session.execute(sql, params);
      },
      procedure: (name, args, binding) => {
        calls.push({ name, binding });
        return session.procedure(name, args, binding);
      },
    });
    const port: SagePort = { ...spy(fx.port), dialect: fx.port.dialect, transaction: (work) => fx.port.transaction((tx) => work(spy(tx))), acquireAppLock: (r) => fx.port.acquireAppLock(r), close: () => fx.port.close() };
    // Sage's numbering is ahead of anything the writer could guess.
    fx.raw.prepare("UPDATE tglJournal SET NextJrnlNo = 70 WHERE JrnlID = 'GJ'").run();
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });
    const a = await writer.write(journal('je:log-a'), { runId: 1 });
    const b = await writer.write(journal('je:log-b', { postDate: '2026-11-25' }), { runId: 1 });
    expect([a.sageNumber, b.sageNumber]).toEqual(['70', '71']);
    expect(calls.filter((call) => call.name === 'spglGiveNextJrnlNo')).toEqual([
      { name: 'spglGiveNextJrnlNo', binding: undefined },
      { name: 'spglGiveNextJrnlNo', binding: undefined },
    ]);
    expect(statements.filter((sql) => /UPDATE\s+tglJournal\b/i.test(sql))).toEqual([]);
    expect(
      fx.raw
        .prepare('SELECT l.CompanyID, l.JrnlNo, l.PostDate, l.TranStatus, h.JrnlHdrKey FROM tglJournalLog l JOIN tglJournalHdr h ON h.JrnlKey = l.JrnlKey AND h.JrnlNo = l.JrnlNo ORDER BY l.JrnlNo')
        .all(),
    ).toEqual([
      { CompanyID: 'SOA', JrnlNo: 70, PostDate: `${TODAY} 00:00:00`, TranStatus: 2, JrnlHdrKey: a.sageKey },
      { CompanyID: 'SOA', JrnlNo: 71, PostDate: '2026-11-25 00:00:00', TranStatus: 2, JrnlHdrKey: b.sageKey },
    ]);
    // The log row is written before the header, in the same transaction.
    const logAt = statements.findIndex((sql) => sql.startsWith('INSERT INTO tglJournalLog'));
    expect(logAt).toBeGreaterThanOrEqual(0);
    expect(logAt).toBeLessThan(statements.findIndex((sql) => sql.startsWith('INSERT INTO tglJournalHdr')));
  });

  it('says why a shared transaction failed before writing each journal on its own', async () => {
    const port = firstTransactionFails(fx.port);
    const warnings: string[] = [];
    const writer = new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });
    const outcomes = await writer.writeMany([journal('je:group-a'), journal('je:group-b')], { runId: 1, warn: (message) => warnings.push(message) });
    expect(outcomes.map((outcome) => ('ref' in outcome ? 'written' : 'failed'))).toEqual(['written', 'written']);
    expect(warnings).toEqual(['writing 2 journal(s) in one Sage transaction failed (deadlock victim); writing each on its own']);
    expect(count('tglJournalHdr')).toBe(2);
  });

  it('the sandbox refuses a journal header without its journal-log row', async () => {
    const ref = await fx.writer.write(journal('je:first'), { runId: 1 });
    const header = fx.raw.prepare('SELECT CompanyID, JrnlKey, CurrID FROM tglJournalHdr WHERE JrnlHdrKey = ?').get(ref.sageKey) as { CompanyID: string; JrnlKey: number; CurrID: string };
    const orphan = fx.port.transaction((tx) =>
      tx.execute(
        `INSERT INTO tglJournalHdr (JrnlHdrKey, BatchKey, CompanyID, JrnlKey, JrnlNo, CurrID, NextEntryNo, SourceModule, Status, CreateType)
         VALUES (999, ${ref.batchKey}, '${header.CompanyID}', ${header.JrnlKey}, 999, '${header.CurrID}', 1, 3, 1, 2)`,
      ),
    );
    await expect(orphan).rejects.toMatchObject({ kind: 'constraint' });
    expect(count('tglJournalHdr')).toBe(1);
  });

  it('is idempotent: a re-write returns the same ref and writes nothing', async () => {
    const first = await fx.writer.write(journal('je:1'), { runId: 1 });
    const keysBefore = fx.raw.prepare('SELECT TableName, NextKey FROM tciSurrogateKey ORDER BY TableName').all();
    const again = await new SageWriter(fx.port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' }).write(journal('je:1'), { runId: 2 });
    expect(again).toEqual(first);
    expect([count('tglJournalHdr'), count('tglJournalDetl'), count('tciBatchLog'), count('tciStripeXref_STRIPE')]).toEqual([1, 3, 1, 1]);
    expect(fx.raw.prepare('SELECT TableName, NextKey FROM tciSurrogateKey ORDER BY TableName').all()).toEqual(keysBefore);
    expect(await fx.writer.findWritten(['je:1', 'je:missing'])).toEqual(new Map([['je:1', first]]));
  });

  it('shares one batch per run and post date, and numbers journals from the counter', async () => {
    const a = await fx.writer.write(journal('je:a'), { runId: 7 });
    const b = await fx.writer.write(journal('je:b'), { runId: 7 });
    const c = await fx.writer.write(journal('je:c', { postDate: '2026-11-25' }), { runId: 7 });
    const d = await fx.writer.write(journal('je:d'), { runId: 8 });
    expect(b.batchKey).toBe(a.batchKey);
    expect(new Set([a.batchKey, c.batchKey, d.batchKey]).size).toBe(3);
    expect([a, b, c, d].map((ref) => ref.sageNumber)).toEqual(['1', '2', '3', '4']);
    expect(fx.raw.prepare('SELECT BatchNo FROM tciBatchLog ORDER BY BatchNo').all()).toEqual([{ BatchNo: 1 }, { BatchNo: 2 }, { BatchNo: 3 }]);
  });

  it('starts a new batch when the cached one was posted meanwhile', async () => {
    const a = await fx.writer.write(journal('je:a'), { runId: 1 });
    // A Sage user posts the batch between two writes (simulated on the raw file).
    fx.raw.prepare('UPDATE tciBatchLog SET Status = 6, PostStatus = 500 WHERE BatchKey = ?').run(a.batchKey);
    const b = await fx.writer.write(journal('je:b'), { runId: 1 });
    expect(b.batchKey).not.toBe(a.batchKey);
  });

  it('rejects an unbalanced journal before writing anything', async () => {
    const doc = journal('je:bad');
    doc.lines[0] = { ...doc.lines[0]!, amount: '96.810' };
    const error = await rejection(fx.writer.write(doc, { runId: 1 }));
    expect(error.errorClass).toBe('data');
    expect(error.sageField).toBe('tglJournalDetl.PostAmt');
    expect(error.message).toContain('does not balance: debits 100.010, credits 100.000, difference 0.010');
    expect([count('tglJournalHdr'), count('tciBatchLog'), count('tciStripeXref_STRIPE')]).toEqual([0, 0, 0]);
  });

  it('explains an unknown, inactive or non-financial account in Sage terms', async () => {
    const unknown = journal('je:x');
    unknown.lines[0] = { ...unknown.lines[0]!, acctNo: '4001-00' };
    unknown.lines[1] = { ...unknown.lines[1]!, acctNo: '4001-00' };
    const error = await rejection(fx.writer.write(unknown, { runId: 1 }));
    expect(error.message).toBe('GL account 4001-00 does not exist in company SOA (tglAccount)');
    expect([error.errorClass, error.sageField]).toEqual(['configuration', 'tglAccount.GLAcctNo']);

    fx.raw.prepare("UPDATE tglAccount SET Status = 2 WHERE GLAcctNo = '615000'").run();
    const inactive = await rejection(fx.writer.write(journal('je:y'), { runId: 1 }));
    expect(inactive.message).toBe('GL account 6150-00 in company SOA is inactive (tglAccount.Status = 2)');

    fx.raw.prepare("UPDATE tglAccount SET Status = 1, PostingType = 2 WHERE GLAcctNo = '615000'").run();
    const statistical = await rejection(fx.writer.write(journal('je:z'), { runId: 1 }));
    expect(statistical.message).toBe('GL account 6150-00 in company SOA is not a financial account (tglAccount.PostingType = 2)');
    expect(count('tglJournalHdr')).toBe(0);
  });

  it('reads each account once for journals of many post dates, and still refuses a date outside its effective dates', async () => {
    let accountReads = 0;
    const counted = new Proxy(fx.port, {
      get(target, property) {
        if (property === 'query') {
          return (sql: string, params?: SqlParams) => {
            if (sql === SELECT_GL_ACCOUNT) accountReads += 1;
            return target.query(sql, params);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const writer = new SageWriter(counted, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ', warehouseId: 'MAIN' });
    fx.raw.prepare("UPDATE tglAccount SET EffEndDate = '2026-11-27 00:00:00' WHERE GLAcctNo = '615000'").run();
    await writer.write(journal('je:26'), { runId: 1 });
    await writer.write(journal('je:27', { postDate: '2026-11-27' }), { runId: 1 });
    expect(accountReads).toBe(3);
    // The kept row says 6150-00 ends on the 27th: read again, and refused in Sage's terms.
    const late = await rejection(writer.write(journal('je:28', { postDate: '2026-11-28' }), { runId: 1 }));
    expect(late.message).toBe('GL account 6150-00 in company SOA is not effective on 2026-11-28 (tglAccount.EffStartDate/EffEndDate)');
    expect(accountReads).toBe(4);
    // Fixed in Sage: seen at once.
    fx.raw.prepare("UPDATE tglAccount SET EffEndDate = NULL WHERE GLAcctNo = '615000'").run();
    await writer.write(journal('je:28', { postDate: '2026-11-28' }), { runId: 1 });
    expect(accountReads).toBe(5);
    expect(count('tglJournalHdr')).toBe(3);
  });

  it('refuses a closed or missing fiscal period', async () => {
    fx.raw.prepare("UPDATE tglFiscalPeriod SET Status = 2 WHERE FiscYear = '2026' AND FiscPer = 11").run();
    const closed = await rejection(fx.writer.write(journal('je:closed'), { runId: 1 }));
    expect([closed.errorClass, closed.sageField]).toEqual(['configuration', 'tglFiscalPeriod.Status']);
    expect(closed.message).toContain('Fiscal period 2026-11 containing 2026-11-26 is closed in company SOA');
    const missing = await rejection(fx.writer.write(journal('je:future', { postDate: '2027-01-05' }), { runId: 1 }));
    expect(missing.message).toContain('No fiscal period in company SOA contains 2027-01-05 (tglFiscalPeriod)');
  });

  it('names the field when a comment is too long for PostCmnt', async () => {
    const doc = journal('je:long');
    doc.lines[2] = { ...doc.lines[2]!, comment: 'x'.repeat(51) };
    const error = await rejection(fx.writer.write(doc, { runId: 1 }));
    expect([error.errorClass, error.sageField]).toEqual(['data', 'tglJournalDetl.PostCmnt']);
  });

  it('rolls the whole document back when an insert fails mid-journal', async () => {
    let failed = false;
    // The header and its log row are in; the lines' insert (one multi-row statement) fails.
    const failOnLines = (session: SqlSession): SqlSession => ({
      query: (sql, params) => session.query(sql, params),
      procedure: (name, args, binding) => session.procedure(name, args, binding),
      execute: async (sql: string, params?: SqlParams) => {
        if (!failed && sql.startsWith(INSERT_JOURNAL_DETL.slice(0, INSERT_JOURNAL_DETL.indexOf(' VALUES ')))) {
          failed = true;
          throw new Error('connection lost mid-document');
        }
        return session.execute(sql, params);
      },
    });
    const flaky: SagePort = {
      ...failOnLines(fx.port),
      transaction: (work) => fx.port.transaction((tx) => work(failOnLines(tx))),
      dialect: fx.port.dialect,
      acquireAppLock: (resource) => fx.port.acquireAppLock(resource),
      close: () => fx.port.close(),
    };
    const writer = new SageWriter(flaky, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });
    await expect(writer.write(journal('je:mid'), { runId: 1 })).rejects.toThrow(/connection lost/);
    expect([count('tglBatch'), count('tciBatchLog'), count('tglJournalHdr'), count('tglJournalDetl'), count('tciStripeXref_STRIPE')]).toEqual([0, 0, 0, 0, 0]);
    expect(fx.raw.prepare('SELECT NextJrnlNo FROM tglJournal').get()).toEqual({ NextJrnlNo: 1 });
    // The failed run cached no batch: the retry creates (and commits) its own.
    const retried = await writer.write(journal('je:mid'), { runId: 1 });
    expect(retried.sageNumber).toBe('1');
    expect(count('tglBatch')).toBe(1);
  });
});
