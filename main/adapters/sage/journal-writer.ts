import { SageWriteError, type JournalInSage } from '../../core/ports/sage-target.js';
import { refuseFoundJournal } from '../../core/sage/found-journal.js';
import { AmountError, formatSageAmount, parseSageAmount, sumAmounts, type SageAmount } from '../../core/money/sage-amount.js';
import type { JournalDocument, SageRef } from '../../core/sage/documents.js';
import { checkFiscalPeriod, readCompany, type CompanyFacts } from './gl-checks.js';
import { PassedAccountChecks } from './passed-account-checks.js';
import { PassedChecksCache } from './passed-checks-cache.js';
import { getNextBatch } from './next-batch.js';
import { reserveSurrogateKeys } from './reserve-key.js';
import { multiRowInserts } from './many-rows.js';
import { BATCH_TYPE_GL_JOURNAL, GIVE_NEXT_JOURNAL_NO_PROCEDURE, MODULE_GL, SEQ_NO_STEP } from './sage-codes.js';
import { codeParam, type JournalCodes } from './journal-codes.js';
import { checkLength } from './sage-errors.js';
import { datetime, int, money, numberColumn, smallint, varchar } from './sql-params.js';
import { runBatch, type BatchStep, type SagePort, type SqlParam, type SqlParams, type SqlSession } from './sql-port.js';
import {
  INSERT_GL_BATCH,
  INSERT_JOURNAL_DETL,
  INSERT_JOURNAL_HDR,
  INSERT_JOURNAL_LOG,
  INSERT_XREF,
  SELECT_JOURNAL,
  SELECT_PENDING_BATCH,
  UPDATE_BATCH_LOG_COMMENT,
} from './statements.js';
import { siteText, type SiteUnicodeColumns } from './unicode-columns.js';
import { xrefParams } from './xref-store.js';
import { findJournalsInSage } from './journals-in-sage.js';

export interface JournalWriterOptions {
  companyId: string;
  userId: string;
  journalId: string;
  /** The site's code values (journal-codes.ts): from its golden batch, or the public defaults. */
  codes: JournalCodes;
}

export type JournalOutcome = { ref: SageRef } | { error: unknown };

interface PreparedJournal {
  doc: JournalDocument;
  lines: PreparedLine[];
  jrnlHdrKey: number;
}

interface PreparedLine {
  entryNo: number;
  glAcctKey: number;
  amount: SageAmount;
  /** PostCmnt as the site's column takes it (unicode-columns.ts). */
  comment: SqlParam;
}

/**
 * Writes a journal into a pending GL batch (source S8, docs/sage-sources.md): one batch per sync run and post
 * date, the journal-log row and a tglJournalHdr with Sage's next journal number, signed
 * tglJournalDetl lines summing to zero, and the xref row, all in one transaction. A Sage user reviews and posts the batch.
 */
export class JournalWriter {
  /** Batches this writer created, by run and post date; filled only after a commit. */
  private readonly batches = new Map<string, number>();
  private company: CompanyFacts | null = null;
  private readonly passedChecks = new PassedChecksCache(60_000);
  private readonly passedAccounts = new PassedAccountChecks(60_000);

  constructor(
    private readonly port: SagePort,
    private readonly options: JournalWriterOptions,
    private readonly unicode: SiteUnicodeColumns,
  ) {}

  async write(doc: JournalDocument, runId: number, warn?: (message: string) => void): Promise<SageRef> {
    const existing = await this.foundInSage(this.port, [doc]);
    const found = existing.get(doc.key);
    if (found) return adoptOrRefuse(doc, found);
    const [jrnlHdrKey] = await reserveSurrogateKeys(this.port, 'tglJournalHdr', 1);
    const [outcome] = await this.writeGroup([{ ...(await this.prepare(doc, warn)), jrnlHdrKey: jrnlHdrKey! }], runId);
    if (!outcome || 'error' in outcome) throw outcome?.error ?? new Error(`journal ${doc.key} was not written`);
    return outcome.ref;
  }

  /**
   * Writes several journals in ONE transaction and a handful of round trips, whatever their
   * number: keys reserved together before it; inside it one lookup of their xref rows (with a
   * found journal's lines, compared with the document's before it is adopted), their
   * journal numbers together, and multi-row inserts of log rows, headers, lines and xref rows
   * (many-rows.ts). Each journal is validated first; one that fails validation is reported
   * alone, unless Sage holds it already (settleInvalidFoundInSage). If the shared transaction
   * fails, nothing of it stays and each journal is written on its own, so one bad journal never
   * holds back the others.
   */
  async writeMany(docs: readonly JournalDocument[], runId: number, warn?: (message: string) => void): Promise<JournalOutcome[]> {
    const outcomes = new Map<string, JournalOutcome>();
    const valid: Omit<PreparedJournal, 'jrnlHdrKey'>[] = [];
    const invalid: JournalDocument[] = [];
    for (const doc of docs) {
      try {
        valid.push(await this.prepare(doc, warn));
      } catch (error) {
        outcomes.set(doc.key, { error });
        invalid.push(doc);
      }
    }
    await this.settleInvalidFoundInSage(invalid, outcomes);
    try {
      const keys = await reserveSurrogateKeys(this.port, 'tglJournalHdr', valid.length);
      const ready = valid.map((journal, index) => ({ ...journal, jrnlHdrKey: keys[index]! }));
      for (const [index, outcome] of (await this.writeGroup(ready, runId)).entries()) outcomes.set(ready[index]!.doc.key, outcome);
    } catch (error) {
      // The shared transaction rolled back as a whole; say why before each journal is tried alone.
      warn?.(`writing ${valid.length} journal(s) in one Sage transaction failed (${error instanceof Error ? error.message : String(error)}); writing each on its own`);
      for (const journal of valid) {
        try {
          outcomes.set(journal.doc.key, { ref: await this.write(journal.doc, runId) });
        } catch (error) {
          outcomes.set(journal.doc.key, { error });
        }
      }
    }
    return docs.map((doc) => outcomes.get(doc.key)!);
  }

  /**
   * The journals Sage's cross-reference holds under these documents' keys, with their lines and
   * batch, in the one query per thousand keys the plain xref lookup took (journals-in-sage.ts):
   * nothing found costs no more round trips than before; a found journal whose lines are no
   * longer pending costs one more, for its posted lines.
   */
  private foundInSage(session: SqlSession, docs: readonly JournalDocument[]): Promise<Map<string, JournalInSage>> {
    return findJournalsInSage(session, this.options.companyId, docs.map((doc) => doc.key));
  }

  /**
   * A journal that fails validation on Sage's configuration may be in Sage already, written
   * before its period closed or an account was made inactive (a Retry after the user corrected it
   * in Sage, a rebuilt ledger): it is looked up as `write` looks up every journal before
   * validating it, and one Sage holds is adopted or refused like any journal found. A journal
   * whose own data is wrong (an amount, its balance, a length) keeps that error: it was never
   * the journal Sage holds. One query, only when some journal failed validation on the
   * configuration; when Sage cannot answer it, the validation errors stand as they are.
   */
  private async settleInvalidFoundInSage(invalid: readonly JournalDocument[], outcomes: Map<string, JournalOutcome>): Promise<void> {
    const lookable = invalid.filter((doc) => {
      const outcome = outcomes.get(doc.key);
      return outcome !== undefined && 'error' in outcome && outcome.error instanceof SageWriteError && outcome.error.errorClass === 'configuration';
    });
    if (lookable.length === 0) return;
    let found: Map<string, JournalInSage>;
    try {
      found = await this.foundInSage(this.port, lookable);
    } catch {
      return;
    }
    for (const doc of lookable) {
      const journal = found.get(doc.key);
      if (!journal) continue;
      const refused = refuseFoundJournal(doc, journal);
      outcomes.set(doc.key, refused ? { error: refused } : { ref: journal.ref });
    }
  }

  /** Validation before any transaction; keys are reserved outside it too (Sage does the same). */
  private async prepare(doc: JournalDocument, warn?: (message: string) => void): Promise<Omit<PreparedJournal, 'jrnlHdrKey'>> {
    const what = `Journal ${doc.key}`;
    checkLength(doc.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(doc.stripeObjectId, 64, 'tciStripeXref_STRIPE.StripeObjectID', what);
    const lines = await this.prepareLines(doc, what, warn);
    return { doc, lines };
  }

  private async writeGroup(journals: readonly PreparedJournal[], runId: number): Promise<JournalOutcome[]> {
    if (journals.length === 0) return [];
    const { companyId, userId, codes } = this.options;
    const jrnlKey = await this.journalKey();
    const currId = (await this.companyFacts()).homeCurrId;
    const created = new Map<string, number>();
    const outcomes = await this.port.transaction(async (tx) => {
      // A journal another writer (or a run before a crash) committed is returned, not written twice, if Sage holds its lines.
      const raced = await this.foundInSage(tx, journals.map((journal) => journal.doc));
      const todo = journals.filter((journal) => !raced.has(journal.doc.key));
      const checked = new Map<string, number>();
      const batchKeys: number[] = [];
      for (const { doc } of todo) batchKeys.push(await this.batchFor(tx, `${runId}|${doc.postDate}`, doc.postDate, checked, created));
      const numbers = await this.nextJournalNos(tx, jrnlKey, todo.length);
      const logRows: SqlParams[] = [];
      const headerRows: SqlParams[] = [];
      const lineRows: SqlParams[] = [];
      const xrefRows: SqlParams[] = [];
      const written = new Map<string, SageRef>();
      todo.forEach(({ doc, lines, jrnlHdrKey }, index) => {
        const jrnlNo = numbers[index]!;
        const batchKey = batchKeys[index]!;
        // S8 inserts the journal-log row (TranStatus 2) before the header; all log rows go first.
        logRows.push({ companyId: varchar(3, companyId), jrnlKey: int(jrnlKey), jrnlNo: int(jrnlNo), postDate: datetime(doc.postDate) });
        headerRows.push({
          jrnlHdrKey: int(jrnlHdrKey),
          batchKey: int(batchKey),
          companyId: varchar(3, companyId),
          jrnlKey: int(jrnlKey),
          jrnlNo: int(jrnlNo),
          currId: varchar(3, currId),
          nextEntryNo: int(lines.length + 1),
          userId: varchar(30, userId),
          offsetPost: codeParam(codes.offsetPost),
          sourceModule: codeParam(codes.sourceModule),
          journalStatus: codeParam(codes.journalStatus),
          createType: codeParam(codes.createType),
        });
        for (const line of lines) {
          lineRows.push({
            jrnlHdrKey: int(jrnlHdrKey),
            entryNo: int(line.entryNo),
            seqNo: int(SEQ_NO_STEP * line.entryNo),
            glAcctKey: int(line.glAcctKey),
            postAmt: money(formatSageAmount(line.amount)),
            postCmnt: line.comment,
            companyId: varchar(3, companyId),
            tranDate: datetime(doc.postDate),
          });
        }
        const ref: SageRef = { docKey: doc.key, sageTable: 'tglJournalHdr', sageKey: jrnlHdrKey, sageNumber: String(jrnlNo), batchKey };
        xrefRows.push(xrefParams({ companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'journal' }, ref));
        written.set(doc.key, ref);
      });
      if (todo.length > 0) {
        await runBatch(tx, [
          ...multiRowInserts(INSERT_JOURNAL_LOG, logRows),
          ...multiRowInserts(INSERT_JOURNAL_HDR, headerRows),
          ...multiRowInserts(INSERT_JOURNAL_DETL, lineRows),
          ...multiRowInserts(INSERT_XREF, xrefRows),
        ]);
      }
      return journals.map(({ doc }): JournalOutcome => {
        const found = raced.get(doc.key);
        if (!found) return { ref: written.get(doc.key)! };
        const refused = refuseFoundJournal(doc, found);
        return refused ? { error: refused } : { ref: found.ref };
      });
    });
    // Only a committed batch may be reused by later journals of this run and date.
    for (const [slot, batchKey] of created) this.batches.set(slot, batchKey);
    return outcomes;
  }

  /**
   * The run's pending batch for a post date: the cached one while Sage still has it pending
   * (a user may have posted it meanwhile; checked once per transaction), else a new one.
   */
  private async batchFor(tx: SqlSession, slot: string, postDate: string, checked: Map<string, number>, created: Map<string, number>): Promise<number> {
    const known = checked.get(slot);
    if (known !== undefined) return known;
    const cached = this.batches.get(slot);
    const reusable = cached !== undefined && (await tx.query(SELECT_PENDING_BATCH, { batchKey: int(cached) })).length > 0;
    const batchKey = reusable ? cached : await this.createBatch(tx, postDate);
    if (!reusable) created.set(slot, batchKey);
    checked.set(slot, batchKey);
    return batchKey;
  }

  private async companyFacts(): Promise<CompanyFacts> {
    if (this.company) return this.company;
    const company = await readCompany(this.port, this.options.companyId);
    if (!company) throw new SageWriteError(`Company ${this.options.companyId} does not exist in Sage (tsmCompany)`, 'configuration', 'tsmCompany.CompanyID');
    this.company = company;
    return company;
  }

  private journalKey(): Promise<number> {
    return this.passedChecks.get('journal', () => this.readJournalKey());
  }

  private async readJournalKey(): Promise<number> {
    const row = (await this.port.query(SELECT_JOURNAL, { companyId: varchar(3, this.options.companyId), jrnlId: varchar(15, this.options.journalId) }))[0];
    if (!row) {
      throw new SageWriteError(
        `Journal ${this.options.journalId} does not exist in company ${this.options.companyId} (tglJournal)`,
        'configuration',
        'tglJournal.JrnlID',
      );
    }
    return numberColumn(row, 'JrnlKey');
  }

  /** Validates amounts, balance, comments, accounts and the period before anything is written. */
  private async prepareLines(doc: JournalDocument, what: string, warn?: (message: string) => void): Promise<PreparedLine[]> {
    if (doc.lines.length === 0) throw new SageWriteError(`${what} has no lines (tglJournalDetl)`, 'data', 'tglJournalDetl');
    const amounts = doc.lines.map((line, index) => {
      try {
        return parseSageAmount(line.amount);
      } catch (error) {
        if (error instanceof AmountError) throw new SageWriteError(`${what} line ${index + 1}: ${error.message}`, 'data', 'tglJournalDetl.PostAmt');
        throw error;
      }
    });
    const balance = sumAmounts(amounts);
    if (balance !== 0n) {
      const debits = sumAmounts(amounts.filter((amount) => amount > 0n));
      throw new SageWriteError(
        `${what} does not balance: debits ${formatSageAmount(debits)}, credits ${formatSageAmount(debits - balance)}, difference ${formatSageAmount(balance)} (tglJournalDetl.PostAmt must sum to 0)`,
        'data',
        'tglJournalDetl.PostAmt',
      );
    }
    doc.lines.forEach((line) => checkLength(line.comment, 50, 'tglJournalDetl.PostCmnt', what));
    const unicode = await this.unicode.get();
    const comments = doc.lines.map((line) => {
      const text = siteText(unicode, ['tglJournalDetl.PostCmnt'], 50, line.comment, what);
      if (text.note) warn?.(`${what}: ${text.note}`);
      return text.param;
    });
    const company = await this.companyFacts();
    await this.passedChecks.get(`period|${doc.postDate}`, async () => {
      const period = await checkFiscalPeriod(this.port, this.options.companyId, doc.postDate);
      if (!period.ok) throw new SageWriteError(`${what}: ${period.problem}`, 'configuration', period.sageField);
      return 1;
    });
    const accountKeys = new Map<string, number>();
    for (const acctNo of new Set(doc.lines.map((line) => line.acctNo))) {
      const account = await this.passedAccounts.check(this.port, company, acctNo, doc.postDate);
      if (!account.ok) throw new SageWriteError(account.problem, 'configuration', account.sageField);
      accountKeys.set(acctNo, account.value);
    }
    return doc.lines.map((line, index) => ({
      entryNo: index + 1,
      glAcctKey: accountKeys.get(line.acctNo)!,
      amount: amounts[index]!,
      comment: comments[index]!,
    }));
  }

  /**
   * The journal numbers the way Sage's screen takes them: S8 calls GiveNextJrnlNo(CompanyID,
   * JrnlKey, 1, out JrnlNo, out RetVal) once per journal. Its parameter names are not public, so
   * it is called by position, one call per journal (what a block of numbers would do is not
   * public either), all sent together inside the journals' transaction so a rollback cannot
   * leave a number half used.
   */
  private async nextJournalNos(tx: SqlSession, jrnlKey: number, count: number): Promise<number[]> {
    const call: BatchStep = {
      kind: 'procedure',
      name: GIVE_NEXT_JOURNAL_NO_PROCEDURE,
      args: [
        { name: 'iCompanyID', param: varchar(3, this.options.companyId) },
        { name: 'iJrnlKey', param: int(jrnlKey) },
        { name: 'iNumbers', param: smallint(1) },
        { name: 'oJrnlNo', param: int(null), output: true },
        { name: 'oRetVal', param: int(null), output: true },
      ],
    };
    return (await runBatch(tx, Array.from({ length: count }, () => call))).map((result) => {
      const jrnlNo = result['oJrnlNo'];
      if (typeof jrnlNo !== 'number' || jrnlNo <= 0) {
        throw new SageWriteError(
          `${GIVE_NEXT_JOURNAL_NO_PROCEDURE} gave no journal number for journal ${this.options.journalId} (return value ${String(result['oRetVal'])})`,
          'configuration',
          'tglJournal.JrnlID',
        );
      }
      return jrnlNo;
    });
  }

  /**
   * spGetNextBatch creates tciBatchLog; for GL the caller adds tglBatch and the comment (S8).
   */
  private async createBatch(tx: SqlSession, postDate: string): Promise<number> {
    const { companyId, userId } = this.options;
    const batchCmnt = `Stripe sync ${postDate}`;
    const batch = await getNextBatch(tx, { companyId, moduleNo: MODULE_GL, batchType: BATCH_TYPE_GL_JOURNAL, userId, batchCmnt, postDate });
    if (!batch.ok) {
      throw new SageWriteError(
        `spGetNextBatch could not create a GL journal batch (batch type ${BATCH_TYPE_GL_JOURNAL}) in company ${companyId}: return value ${String(batch.retVal)}` +
          (batch.retVal === 3 ? ' (no tciBatchTypCompany row for batch type 301)' : ''),
        'configuration',
        'tciBatchTypCompany',
      );
    }
    const batchParams = { batchKey: int(batch.batchKey), batchCmnt: varchar(50, batchCmnt), postDate: datetime(postDate) };
    await tx.execute(INSERT_GL_BATCH, { ...batchParams, userId: varchar(30, userId), generalJrnlType: codeParam(this.options.codes.generalJrnlType) });
    await tx.execute(UPDATE_BATCH_LOG_COMMENT, batchParams);
    return batch.batchKey;
  }
}

/** A journal found in Sage under the document's key: its reference when Sage holds the document's lines, else the refusal. */
function adoptOrRefuse(doc: JournalDocument, found: JournalInSage): SageRef {
  const refused = refuseFoundJournal(doc, found);
  if (refused) throw refused;
  return found.ref;
}
