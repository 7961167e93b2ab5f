import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MssqlExecutor } from '../../main/adapters/sage/mssql-executor.js';
import { SageWriter } from '../../main/adapters/sage/sage-writer.js';
import { LoopbackMssqlPool } from '../../main/simulators/sage-sandbox/mssql-loopback.js';
import type { SagePort } from '../../main/adapters/sage/sql-port.js';
import { isSageJournalAcceptable } from '../../main/core/engine/accept-sage-journal.js';
import { SageWriteError, type WriteOutcome } from '../../main/core/ports/sage-target.js';
import type { JournalDocument } from '../../main/core/sage/documents.js';
import { TODAY, firstTransactionFails, journal, openFixture, rowCount, type SandboxFixture } from './sage-fixtures.js';

/**
 * A journal Sage's cross-reference already holds under a document's key is adopted only when
 * Sage holds the document's lines (core/sage/found-journal.ts). The case: a power cut took back
 * the ledger's "writing" and "written" marks of a daily summary written with body A, and the
 * summary gained a charge before it was written again under the same key (body B). Every
 * expectation about Sage's rows is written here by hand, by Sage's own account numbers
 * (unmasked) and amounts in thousandths, as a tester would read the sandbox.
 */

const KEY = 'daily:charges:2026-11-26';

function summary(lines: [string, string][], overrides: Partial<JournalDocument> = {}): JournalDocument {
  return journal(KEY, {
    stripeObjectId: 'ch_a',
    description: 'charges 2026-11-26',
    lines: lines.map(([acctNo, amount]) => ({ acctNo, amount, comment: `charges ${TODAY}`, traceId: 'txn_a' })),
    ...overrides,
  });
}

/** Two charges: 100.000 and 25.500 gross, fees 3.200 and 1.040. */
const BODY_A = summary([
  ['1050-00', '121.260'],
  ['4000-00', '-125.500'],
  ['6150-00', '4.240'],
]);
/** The same day after a third charge, 24.500 gross with a 0.760 fee, turned up. */
const BODY_B = summary([
  ['1050-00', '145.000'],
  ['4000-00', '-150.000'],
  ['6150-00', '5.000'],
]);
const OTHER = journal('po_other:txn_other', { stripeObjectId: 'po_other' });

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

/** A writer of a later run (a new process after the power cut), on the same sandbox. */
const nextRunWriter = (port: SagePort = fx.port): SageWriter => new SageWriter(port, { companyId: 'SOA', userId: 'stripe', journalId: 'GJ' });

/** The lines of a Sage journal header as Sage holds them: unmasked account number and amount in thousandths. */
function sageLines(jrnlHdrKey: number): [string, number][] {
  return (
    fx.raw
      .prepare('SELECT a.GLAcctNo AS acct, d.PostAmt AS amount FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE d.JrnlHdrKey = ? ORDER BY a.GLAcctNo, d.PostAmt')
      .all(jrnlHdrKey) as { acct: string; amount: number }[]
  ).map(({ acct, amount }) => [acct, amount]);
}

/** The row counts after one more journal of three lines in a batch of its own (the other journal of a chunk). */
function oneJournalOfThreeLinesMore(before: Record<string, number>): Record<string, number> {
  return {
    tciBatchLog: before['tciBatchLog']! + 1,
    tglJournalHdr: before['tglJournalHdr']! + 1,
    tglJournalDetl: before['tglJournalDetl']! + 3,
    tglJournalLog: before['tglJournalLog']! + 1,
    tciStripeXref_STRIPE: before['tciStripeXref_STRIPE']! + 1,
  };
}

const SAGE_A: [string, number][] = [
  ['105000', 121_260],
  ['400000', -125_500],
  ['615000', 4_240],
];

function counts(): Record<string, number> {
  return Object.fromEntries(['tciBatchLog', 'tglJournalHdr', 'tglJournalDetl', 'tglJournalLog', 'tciStripeXref_STRIPE'].map((table) => [table, rowCount(fx.raw, table)]));
}

function batchNo(batchKey: number | null): number {
  return (fx.raw.prepare('SELECT BatchNo FROM tciBatchLog WHERE BatchKey = ?').get(batchKey) as { BatchNo: number }).BatchNo;
}

function refusalOf(outcome: WriteOutcome | undefined): SageWriteError {
  expect(outcome).toHaveProperty('error');
  const error = (outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(SageWriteError);
  return error as SageWriteError;
}

async function writtenA(): Promise<{ sageKey: number; sageNumber: string; batchKey: number | null }> {
  const [outcome] = await fx.writer.writeMany([BODY_A], { runId: 1 });
  expect(outcome).toHaveProperty('ref');
  const ref = (outcome as { ref: { sageKey: number; sageNumber: string; batchKey: number | null } }).ref;
  expect(sageLines(ref.sageKey)).toEqual(SAGE_A);
  return ref;
}

describe('a journal found in Sage by its key is compared with the one about to be written', () => {
  it('another body: an error on that document naming the journal and the lines, nothing written; the rest of the chunk is written', async () => {
    const a = await writtenA();
    const before = counts();
    const [refused, other] = await nextRunWriter().writeMany([BODY_B, OTHER], { runId: 2 });

    const error = refusalOf(refused);
    expect(error.errorClass).toBe('data');
    expect(error.sageField).toBe('tglJournalDetl');
    // Its own code: the lines can still be corrected in Sage, so "Accept Sage's journal" is not offered.
    expect(error.code).toBe('found-journal-open');
    expect(isSageJournalAcceptable({ type: 'journal', state: 'failed', errorCode: error.code })).toBe(false);
    expect(error.message).toBe(
      `Journal ${KEY}: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as journal ${a.sageNumber} in GL batch ${batchNo(a.batchKey)}, ` +
        `unposted (its batch is open), with other lines than this document. Lines that differ (Sage's, then this document's): ` +
        `1050-00: Sage 121.260, this document 145.000; 4000-00: Sage -125.500, this document -150.000; 6150-00: Sage 4.240, this document 5.000. ` +
        `Nothing was written, and the sync does not record this document as written. ` +
        `Correct journal ${a.sageNumber} in GL batch ${batchNo(a.batchKey)} in Sage so its lines are this document's, then Retry: the sync then records Sage's journal as this document.`,
    );
    // Sage's journal is as it was; the other journal of the chunk is written (one header, three lines, one xref row).
    expect(sageLines(a.sageKey)).toEqual(SAGE_A);
    expect(other).toHaveProperty('ref');
    // The next run's own batch for it, as every run gets (one per run and post date).
    expect(counts()).toEqual(oneJournalOfThreeLinesMore(before));
  });

  it('the same body (its lines in another order, other comments): adopted with Sage\'s journal number, nothing written', async () => {
    const a = await writtenA();
    const before = counts();
    const same = summary([
      ['6150-00', '4.24'],
      ['4000-00', '-125.500'],
      ['1050-00', '121.260'],
    ]);
    same.lines = same.lines.map((line) => ({ ...line, comment: 'planned again' }));
    const [outcome] = await nextRunWriter().writeMany([same], { runId: 2 });
    expect(outcome).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    expect(counts()).toEqual(before);
  });

  it('a line of the same account and amount counts as often as it occurs (a multiset, not a set)', async () => {
    const twice = summary([
      ['1050-00', '60.630'],
      ['1050-00', '60.630'],
      ['4000-00', '-121.260'],
    ]);
    await fx.writer.writeMany([twice], { runId: 1 });
    const once = summary([
      ['1050-00', '60.630'],
      ['1050-00', '60.630'],
      ['1050-00', '60.630'],
      ['4000-00', '-181.890'],
    ]);
    const [outcome] = await nextRunWriter().writeMany([once], { runId: 2 });
    expect(refusalOf(outcome).message).toContain('Lines that differ (Sage\'s, then this document\'s): 1050-00: Sage none, this document 60.630; 4000-00: Sage -121.260, this document -181.890.');
  });

  it('another post date: refused, the dates named', async () => {
    await writtenA();
    const [outcome] = await nextRunWriter().writeMany([{ ...BODY_A, postDate: '2026-11-25' }], { runId: 2 });
    expect(refusalOf(outcome).message).toContain(
      'Lines that differ (Sage\'s, then this document\'s): 1050-00: Sage 121.260 dated 2026-11-26, this document 121.260 dated 2026-11-25; ' +
        '4000-00: Sage -125.500 dated 2026-11-26, this document -125.500 dated 2026-11-25; 6150-00: Sage 4.240 dated 2026-11-26, this document 4.240 dated 2026-11-25.',
    );
  });

  it('a pending line with no TranDate (a hand edit in Sage): refused, that line named with no date', async () => {
    const a = await writtenA();
    fx.raw.prepare("UPDATE tglJournalDetl SET TranDate = NULL WHERE JrnlHdrKey = ? AND GLAcctKey = (SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = '615000')").run(a.sageKey);
    const [outcome] = await nextRunWriter().writeMany([BODY_A], { runId: 2 });
    expect(refusalOf(outcome).message).toContain(
      "Lines that differ (Sage's, then this document's): 6150-00: Sage 4.240 with no TranDate, this document 4.240 dated 2026-11-26.",
    );
  });

  it('after the user corrected the unposted journal in Sage, Retry adopts it', async () => {
    const a = await writtenA();
    const writer = nextRunWriter();
    refusalOf((await writer.writeMany([BODY_B], { runId: 2 }))[0]);
    // The user's edit of the pending journal in Sage: each line's amount as the document has it.
    const edit = fx.raw.prepare('UPDATE tglJournalDetl SET PostAmt = ?, PostAmtHC = ? WHERE JrnlHdrKey = ? AND GLAcctKey = (SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = ?)');
    for (const [acct, amount] of [['105000', 145_000], ['400000', -150_000], ['615000', 5_000]] as const) expect(edit.run(amount, amount, a.sageKey, acct).changes).toBe(1);
    const before = counts();
    const [retried] = await writer.writeMany([BODY_B], { runId: 3 });
    expect(retried).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    expect(counts()).toEqual(before);
  });

  it('write, and writeMany when its shared transaction failed (each journal alone), refuse and adopt alike', async () => {
    const a = await writtenA();
    const [inGroup] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
    const expected = refusalOf(inGroup).message;

    await expect(nextRunWriter().write(BODY_B, { runId: 2 })).rejects.toThrow(expected);
    expect(await nextRunWriter().write(BODY_A, { runId: 2 })).toMatchObject({ sageKey: a.sageKey, sageNumber: a.sageNumber });

    const failingOnce = firstTransactionFails(fx.port);
    const warnings: string[] = [];
    const [alone, other] = await nextRunWriter(failingOnce).writeMany([BODY_B, OTHER], { runId: 2, warn: (message) => warnings.push(message) });
    expect(warnings).toEqual(['writing 2 journal(s) in one Sage transaction failed (deadlock victim); writing each on its own']);
    expect(refusalOf(alone).message).toBe(expected);
    expect(other).toHaveProperty('ref');
    expect(sageLines(a.sageKey)).toEqual(SAGE_A);
  });

  it('found inside the transaction (another writer committed it after the pre-check): refused the same way', async () => {
    await writtenA();
    // The pre-check found nothing: the key is committed by "another writer" between it and the transaction.
    let lookups = 0;
    const racing: SagePort = {
      ...fx.port,
      dialect: fx.port.dialect,
      query: (sql, params) => (/tciStripeXref_STRIPE/.test(sql) && ++lookups === 1 ? Promise.resolve([]) : fx.port.query(sql, params)),
      execute: (sql, params) => fx.port.execute(sql, params),
      procedure: (name, args, binding) => fx.port.procedure(name, args, binding),
      transaction: (work) => fx.port.transaction(work),
      acquireAppLock: (resource) => fx.port.acquireAppLock(resource),
      close: () => fx.port.close(),
    };
    const before = counts();
    await expect(nextRunWriter(racing).write(BODY_B, { runId: 2 })).rejects.toThrow(/Lines that differ/);
    expect(counts()).toEqual(before);
  });

  it('a journal that fails validation now (its period closed since) is still adopted when Sage holds it, refused when Sage holds other lines', async () => {
    const a = await writtenA();
    expect(fx.raw.prepare("UPDATE tglFiscalPeriod SET Status = 2 WHERE CompanyID = 'SOA' AND StartDate <= ? AND EndDate >= ?").run(`${TODAY} 00:00:00`, `${TODAY} 00:00:00`).changes).toBe(1);
    const before = counts();
    const [same, notInSage] = await nextRunWriter().writeMany([BODY_A, journal('po_2:txn_2')], { runId: 2 });
    expect(same).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    // One Sage does not hold keeps its validation error.
    expect(refusalOf(notInSage)).toMatchObject({ errorClass: 'configuration', message: expect.stringMatching(/closed/) });
    const [changed] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
    expect(refusalOf(changed).message).toMatch(/^Journal daily:charges:2026-11-26: Sage's cross-reference \(tciStripeXref_STRIPE\) already holds this key as journal/);
    expect(counts()).toEqual(before);
  });

  it('a journal that fails validation when Sage cannot be asked whether it holds it keeps its validation error', async () => {
    await writtenA();
    fx.raw.prepare("UPDATE tglFiscalPeriod SET Status = 2 WHERE CompanyID = 'SOA' AND StartDate <= ? AND EndDate >= ?").run(`${TODAY} 00:00:00`, `${TODAY} 00:00:00`);
    const unanswered: SagePort = {
      ...fx.port,
      dialect: fx.port.dialect,
      query: (sql, params) => (/tciStripeXref_STRIPE/.test(sql) ? Promise.reject(new Error('connection reset')) : fx.port.query(sql, params)),
      execute: (sql, params) => fx.port.execute(sql, params),
      procedure: (name, args, binding) => fx.port.procedure(name, args, binding),
      transaction: (work) => fx.port.transaction(work),
      acquireAppLock: (resource) => fx.port.acquireAppLock(resource),
      close: () => fx.port.close(),
    };
    const [outcome] = await nextRunWriter(unanswered).writeMany([BODY_A], { runId: 2 });
    expect(refusalOf(outcome)).toMatchObject({ errorClass: 'configuration', message: expect.stringMatching(/closed/) });
  });

  it('a journal whose own amount is not a Sage amount keeps that error though Sage holds its key, and the rest of the chunk is written', async () => {
    await writtenA();
    const before = counts();
    const badAmount = summary([
      ['1050-00', '121.2600'],
      ['4000-00', '-121.2600'],
    ]);
    const [bad, other] = await nextRunWriter().writeMany([badAmount, OTHER], { runId: 2 });
    expect(refusalOf(bad)).toMatchObject({
      errorClass: 'data',
      sageField: 'tglJournalDetl.PostAmt',
      message: `Journal ${KEY} line 1: "121.2600" is not a decimal amount with at most 3 decimals`,
    });
    expect(other).toHaveProperty('ref');
    expect(counts()['tglJournalHdr']).toBe(before['tglJournalHdr']! + 1);
  });

  it('posted: compared by each account\'s net (posting may summarise an account\'s lines); the same adopted, another refused', async () => {
    const split = summary([
      ['1050-00', '100.000'],
      ['1050-00', '21.260'],
      ['4000-00', '-125.500'],
      ['6150-00', '4.240'],
    ]);
    const [outcome] = await fx.writer.writeMany([split], { runId: 1 });
    const a = (outcome as { ref: { sageKey: number; sageNumber: string; batchKey: number } }).ref;
    postSummarised(a.sageKey, a.batchKey, Number(a.sageNumber));
    expect(rowCount(fx.raw, 'tglJournalDetl')).toBe(0);

    const [same] = await nextRunWriter().writeMany([BODY_A], { runId: 2 });
    expect(same).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    const [other] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
    expect(refusalOf(other).message).toBe(
      `Journal ${KEY}: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as journal ${a.sageNumber} in GL batch ${batchNo(a.batchKey)}, posted (tglTransaction), ` +
        `with other amounts or post dates than this document. Lines that differ (Sage's, then this document's): ` +
        `1050-00: Sage net 121.260, this document net 145.000; 4000-00: Sage net -125.500, this document net -150.000; 6150-00: Sage net 4.240, this document net 5.000. ` +
        `Nothing was written, and the sync does not record this document as written. ` +
        `Posted GL cannot be changed: enter the difference in Sage as a journal entry of its own, then Accept Sage's journal for this document, with that as the reason: the sync records it as written, under Sage's journal.`,
    );
    expect(rowCount(fx.raw, 'tglJournalDetl')).toBe(0);
  });

  it('posted on another date (another fiscal period): refused, each net named with its post date', async () => {
    const a = await writtenA();
    postSummarised(a.sageKey, a.batchKey!, Number(a.sageNumber));
    const before = counts();
    const [outcome] = await nextRunWriter().writeMany([{ ...BODY_A, postDate: '2026-10-26' }], { runId: 2 });
    expect(refusalOf(outcome).message).toContain(
      "posted (tglTransaction), with other amounts or post dates than this document. Lines that differ (Sage's, then this document's): " +
        '1050-00: Sage net 121.260 posted 2026-11-26, this document net 121.260 posted 2026-10-26; ' +
        '4000-00: Sage net -125.500 posted 2026-11-26, this document net -125.500 posted 2026-10-26; ' +
        '6150-00: Sage net 4.240 posted 2026-11-26, this document net 4.240 posted 2026-10-26.',
    );
    expect(counts()).toEqual(before);
  });

  it('posted, and the journal code changed in the settings since: its posted lines are read by batch and number alone, the same body adopted, another refused', async () => {
    const a = await writtenA();
    postSummarised(a.sageKey, a.batchKey!, Number(a.sageNumber));
    fx.raw.prepare("INSERT INTO tglJournal (JrnlKey, CompanyID, JrnlID, Description) SELECT MAX(JrnlKey) + 1, 'SOA', 'ST', 'Stripe' FROM tglJournal").run();
    const otherCode = (): SageWriter => new SageWriter(fx.port, { companyId: 'SOA', userId: 'stripe', journalId: 'ST' });
    const before = counts();
    const [same] = await otherCode().writeMany([BODY_A], { runId: 2 });
    expect(same).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    const [other] = await otherCode().writeMany([BODY_B], { runId: 2 });
    expect(refusalOf(other).message).toContain(
      `as journal ${a.sageNumber} in GL batch ${batchNo(a.batchKey)}, posted (tglTransaction), with other amounts or post dates than this document. Lines that differ (Sage's, then this document's): 1050-00: Sage net 121.260, this document net 145.000;`,
    );
    expect(counts()).toEqual(before);
  });

  it('posted, but its posted lines cannot be read (none under its batch and number balance): refused as posted, never as deleted, never to be entered again', async () => {
    const a = await writtenA();
    postSummarised(a.sageKey, a.batchKey!, Number(a.sageNumber));
    // Posting left a line of it elsewhere (a user's correction, a site's posting customisation): what is under its number does not balance.
    expect(fx.raw.prepare('DELETE FROM tglTransaction WHERE BatchKey = ? AND PostAmt < 0').run(a.batchKey).changes).toBe(1);
    const before = counts();
    const [outcome] = await nextRunWriter().writeMany([BODY_A], { runId: 2 });
    const message = refusalOf(outcome).message;
    expect(message).toBe(
      `Journal ${KEY}: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as journal ${a.sageNumber} in GL batch ${batchNo(a.batchKey)}, ` +
        `in a batch Sage has posted or is posting (tciBatchLog Status 6, PostStatus 500: posted), but the sync cannot read its lines: none are pending (tglJournalDetl), ` +
        `and tglTransaction holds no balancing lines under that batch and journal number. Nothing was written, and the sync does not record this document as written. ` +
        `The journal is in Sage's books: do not enter it again. Look it up in Sage: if it is this document, Accept Sage's journal for this document, with that as the reason; ` +
        `if not, enter the difference as a journal entry of its own, then Accept Sage's journal for this document, with that as the reason: the sync records it as written, under Sage's journal.`,
    );
    expect(message).not.toMatch(/deleted|enter it there yourself/);
    expect(counts()).toEqual(before);
  });

  it('none of its lines and its batch marked deleted (PostStatus 999): the deletion named', async () => {
    const a = await writtenA();
    fx.raw.prepare('DELETE FROM tglJournalDetl WHERE JrnlHdrKey = ?').run(a.sageKey);
    fx.raw.prepare('UPDATE tciBatchLog SET PostStatus = 999 WHERE BatchKey = ?').run(a.batchKey);
    const [outcome] = await nextRunWriter().writeMany([BODY_A], { runId: 2 });
    expect(refusalOf(outcome).message).toContain(
      `in GL batch ${batchNo(a.batchKey)}, but Sage holds none of its lines, pending (tglJournalDetl) or posted (tglTransaction under that batch and journal number): ` +
        `Sage deleted its batch (tciBatchLog Status 4, PostStatus 999: deleted).`,
    );
  });

  it('pending lines in a batch that is not open: refused, the batch\'s state named from its codes (S6: being posted, posted, deleted)', async () => {
    const a = await writtenA();
    const states: [number, number, string][] = [
      [5, 300, 'being posted'],
      [6, 500, 'posted'],
      [4, 999, 'deleted'],
    ];
    for (const [status, postStatus, meaning] of states) {
      fx.raw.prepare('UPDATE tciBatchLog SET Status = ?, PostStatus = ? WHERE BatchKey = ?').run(status, postStatus, a.batchKey);
      const [refused] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
      expect(refusalOf(refused).message).toContain(
        `as journal ${a.sageNumber} in GL batch ${batchNo(a.batchKey)}, its lines pending (tglJournalDetl) but its batch not open (tciBatchLog Status ${status}, PostStatus ${postStatus}: ${meaning})`,
      );
    }
    fx.raw.prepare('UPDATE tciBatchLog SET Status = 5, PostStatus = 300 WHERE BatchKey = ?').run(a.batchKey);
    const [outcome] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
    expect(refusalOf(outcome).message).toContain('Look the journal up in Sage: while it is unposted, correct its lines');
    expect(sageLines(a.sageKey)).toEqual(SAGE_A);
  });

  it('Sage holds none of its lines (the batch deleted in Sage): refused, not recorded as written', async () => {
    const a = await writtenA();
    // A user deletes the unposted batch in Sage: lines, header, tglBatch and tciBatchLog (S8's delete order).
    fx.raw.prepare('DELETE FROM tglJournalDetl WHERE JrnlHdrKey = ?').run(a.sageKey);
    fx.raw.prepare('DELETE FROM tglJournalHdr WHERE JrnlHdrKey = ?').run(a.sageKey);
    fx.raw.prepare('DELETE FROM tglBatch WHERE BatchKey = ?').run(a.batchKey);
    fx.raw.prepare('DELETE FROM tciBatchLog WHERE BatchKey = ?').run(a.batchKey);
    const before = counts();
    const [outcome] = await nextRunWriter().writeMany([BODY_A], { runId: 2 });
    expect(refusalOf(outcome).message).toBe(
      `Journal ${KEY}: Sage's cross-reference (tciStripeXref_STRIPE) already holds this key as journal ${a.sageNumber} in GL batch key ${a.batchKey} (no longer in tciBatchLog), ` +
        `but Sage holds none of its lines, pending (tglJournalDetl) or posted (tglTransaction under that batch and journal number): a user may have deleted the batch. ` +
        `Nothing was written, and the sync does not record this document as written. If the journal belongs in Sage, enter its lines there yourself as a journal entry of its own; then Accept Sage's journal for this document, with that as the reason: the sync records it as written, under Sage's journal.`,
    );
    expect(counts()).toEqual(before);
  });

  it('on the mssql code path (MssqlExecutor over the loopback pool: the same statements), refused and adopted alike', async () => {
    const a = await writtenA();
    const [onSandbox] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
    const executor = new MssqlExecutor(new LoopbackMssqlPool(fx.port), () => Promise.resolve(new LoopbackMssqlPool(fx.port)));
    await executor.acquireAppLock('stripe-sync');
    const before = counts();
    const [refused] = await nextRunWriter(executor).writeMany([BODY_B], { runId: 2 });
    const [adopted] = await nextRunWriter(executor).writeMany([BODY_A], { runId: 2 });
    expect(refusalOf(refused).message).toBe(refusalOf(onSandbox).message);
    expect(adopted).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    expect(counts()).toEqual(before);
  });

  it('one account spelled two ways in a chunk (masked in this document, unmasked in another): the same body adopted, the other written', async () => {
    const a = await writtenA();
    const unmaskedFee = journal('po_other:txn_other', {
      stripeObjectId: 'po_other',
      lines: [
        { acctNo: '1010-00', amount: '96.800', comment: 'Payout', traceId: 'txn_other' },
        { acctNo: '615000', amount: '3.200', comment: 'Stripe fees', traceId: 'txn_other' },
        { acctNo: '1050-00', amount: '-100.000', comment: 'Clearing', traceId: 'txn_other' },
      ],
    });
    const before = counts();
    const [same, other] = await nextRunWriter().writeMany([BODY_A, unmaskedFee], { runId: 2 });
    expect(same).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    expect(other).toHaveProperty('ref');
    expect(counts()).toEqual(oneJournalOfThreeLinesMore(before));
  });

  it('one account spelled two ways within a document: written once, adopted when sent again; a difference is named as the document spells it', async () => {
    const twoSpellings = summary([
      ['1050-00', '121.260'],
      ['4000-00', '-125.500'],
      ['6150-00', '3.000'],
      ['615000', '1.240'],
    ]);
    const [written] = await fx.writer.writeMany([twoSpellings], { runId: 1 });
    const a = (written as { ref: { sageKey: number; sageNumber: string; batchKey: number | null } }).ref;
    expect(sageLines(a.sageKey)).toEqual([
      ['105000', 121_260],
      ['400000', -125_500],
      ['615000', 1_240],
      ['615000', 3_000],
    ]);
    const before = counts();
    const [again] = await nextRunWriter().writeMany([twoSpellings], { runId: 2 });
    expect(again).toEqual({ ref: { docKey: KEY, sageTable: 'tglJournalHdr', sageKey: a.sageKey, sageNumber: a.sageNumber, batchKey: a.batchKey } });
    const [other] = await nextRunWriter().writeMany([BODY_B], { runId: 2 });
    expect(refusalOf(other).message).toContain(
      "Lines that differ (Sage's, then this document's): 1050-00: Sage 121.260, this document 145.000; 4000-00: Sage -125.500, this document -150.000; 6150-00: Sage 3.000 and 1.240, this document 5.000.",
    );
    expect(counts()).toEqual(before);
  });

  it('nothing found: the xref lookup with the journal\'s lines is the one query it was, every query counted (no extra round trip)', async () => {
    const queries: string[] = [];
    const counting: SagePort = {
      ...fx.port,
      dialect: fx.port.dialect,
      query: (sql, params) => {
        queries.push(sql);
        return fx.port.query(sql, params);
      },
      execute: (sql, params) => fx.port.execute(sql, params),
      procedure: (name, args, binding) => fx.port.procedure(name, args, binding),
      transaction: (work) =>
        fx.port.transaction((tx) =>
          work({
            query: (sql, params) => {
              queries.push(sql);
              return tx.query(sql, params);
            },
            execute: (sql, params) => tx.execute(sql, params),
            procedure: (name, args, binding) => tx.procedure(name, args, binding),
          }),
        ),
      acquireAppLock: (resource) => fx.port.acquireAppLock(resource),
      close: () => fx.port.close(),
    };
    await nextRunWriter(counting).writeMany([BODY_A, OTHER], { runId: 1 });
    // Every query, by the table it reads first: validation's reads (the site's nvarchar columns, the
    // company, the period, the four accounts), the journal code, and the one xref lookup with the lines.
    expect(queries.map((sql) => /\bFROM (\S+)/.exec(sql)?.[1])).toEqual([
      'INFORMATION_SCHEMA.COLUMNS',
      'tsmCompany',
      'tglFiscalPeriod',
      'tglAccount',
      'tglAccount',
      'tglAccount',
      'tglAccount',
      'tglJournal',
      'tciStripeXref_STRIPE',
    ]);
  });
});

/**
 * Posting as Sage does it for this test: the batch marked posted (tciBatchLog Status 6, PostStatus
 * 500, S6), each account's lines summarised into one tglTransaction row with the batch and journal
 * number (S5), the pending lines gone.
 */
function postSummarised(jrnlHdrKey: number, batchKey: number, jrnlNo: number): void {
  const period = fx.raw.prepare("SELECT FiscYear, FiscPer FROM tglFiscalPeriod WHERE CompanyID = 'SOA' AND StartDate <= ? AND EndDate >= ?").get(`${TODAY} 00:00:00`, `${TODAY} 00:00:00`) as {
    FiscYear: string;
    FiscPer: number;
  };
  const jrnlKey = (fx.raw.prepare('SELECT JrnlKey FROM tglJournalHdr WHERE JrnlHdrKey = ?').get(jrnlHdrKey) as { JrnlKey: number }).JrnlKey;
  const sums = fx.raw.prepare('SELECT GLAcctKey, SUM(PostAmt) AS amount FROM tglJournalDetl WHERE JrnlHdrKey = ? GROUP BY GLAcctKey ORDER BY GLAcctKey').all(jrnlHdrKey) as { GLAcctKey: number; amount: number }[];
  const insert = fx.raw.prepare(
    `INSERT INTO tglTransaction (glTranKey, BatchKey, CreateType, CreateDate, CurrExchRate, CurrID, FiscPer, FiscYear, GLAcctKey, JrnlKey, JrnlNo,
       PostAmt, PostAmtHC, PostCmnt, PostDate, PostQty, SourceModuleNo, TranDate)
     VALUES (?, ?, 1, ?, 1, 'USD', ?, ?, ?, ?, ?, ?, ?, 'summarised', ?, 0, 3, ?)`,
  );
  sums.forEach(({ GLAcctKey, amount }, index) => insert.run(index + 1, batchKey, `${TODAY} 00:00:00`, period.FiscPer, period.FiscYear, GLAcctKey, jrnlKey, jrnlNo, amount, amount, `${TODAY} 00:00:00`, `${TODAY} 00:00:00`));
  fx.raw.prepare('DELETE FROM tglJournalDetl WHERE JrnlHdrKey = ?').run(jrnlHdrKey);
  fx.raw.prepare('UPDATE tciBatchLog SET Status = 6, PostStatus = 500 WHERE BatchKey = ?').run(batchKey);
}
