import { SageWriteError } from '../../core/ports/sage-target.js';
import { AmountError, formatSageAmount, parseSageAmount, sumAmounts, type SageAmount } from '../../core/money/sage-amount.js';
import type { JournalDocument, SageRef } from '../../core/sage/documents.js';
import { checkAccount, checkFiscalPeriod, readCompany, type CompanyFacts } from './gl-checks.js';
import { PassedChecksCache } from './passed-checks-cache.js';
import { reserveSurrogateKey } from './reserve-key.js';
import { BATCH_TYPE_GL_JOURNAL, MODULE_GL, SEQ_NO_STEP, SPGETNEXTBATCH_OK } from './sage-codes.js';
import { checkLength } from './sage-errors.js';
import { datetime, int, money, numberColumn, smallint, varchar } from './sql-params.js';
import type { SagePort, SqlSession } from './sql-port.js';
import {
  INSERT_GL_BATCH,
  INSERT_JOURNAL_DETL,
  INSERT_JOURNAL_HDR,
  RESERVE_JOURNAL_NO,
  SELECT_JOURNAL,
  SELECT_PENDING_BATCH,
  SELECT_RESERVED_JOURNAL_NO,
  UPDATE_BATCH_LOG_COMMENT,
} from './statements.js';
import { findXref, insertXref } from './xref-store.js';

export interface JournalWriterOptions {
  companyId: string;
  userId: string;
  journalId: string;
}

interface PreparedLine {
  entryNo: number;
  glAcctKey: number;
  amount: SageAmount;
  comment: string;
}

/**
 * Writes a journal into a pending GL batch (reference §4.3): one batch per sync run and post
 * date, a tglJournalHdr with the next journal number, signed tglJournalDetl lines summing to
 * zero, and the xref row, all in one transaction. A Sage user reviews and posts the batch.
 */
export class JournalWriter {
  /** Batches this writer created, by run and post date; filled only after a commit. */
  private readonly batches = new Map<string, number>();
  private company: CompanyFacts | null = null;
  private readonly passedChecks = new PassedChecksCache(60_000);

  constructor(
    private readonly port: SagePort,
    private readonly options: JournalWriterOptions,
  ) {}

  async write(doc: JournalDocument, runId: number): Promise<SageRef> {
    const { companyId } = this.options;
    const existing = await findXref(this.port, companyId, doc.key);
    if (existing) return existing;
    const what = `Journal ${doc.key}`;
    checkLength(doc.key, 100, 'tciStripeXref_STRIPE.DocKey', what);
    checkLength(doc.stripeObjectId, 64, 'tciStripeXref_STRIPE.StripeObjectID', what);
    const lines = await this.prepareLines(doc, what);
    const jrnlKey = await this.journalKey();
    const jrnlHdrKey = await reserveSurrogateKey(this.port, 'tglJournalHdr');
    const batchSlot = `${runId}|${doc.postDate}`;

    const { ref, createdBatchKey } = await this.port.transaction(async (tx) => {
      const raced = await findXref(tx, companyId, doc.key);
      if (raced) return { ref: raced, createdBatchKey: null };
      const cachedBatch = this.batches.get(batchSlot);
      const reusable = cachedBatch !== undefined && (await tx.query(SELECT_PENDING_BATCH, { batchKey: int(cachedBatch) })).length > 0;
      const batchKey = reusable ? cachedBatch : await this.createBatch(tx, doc.postDate);
      await tx.execute(RESERVE_JOURNAL_NO, { jrnlKey: int(jrnlKey) });
      const jrnlNo = numberColumn((await tx.query(SELECT_RESERVED_JOURNAL_NO, { jrnlKey: int(jrnlKey) }))[0] ?? {}, 'JrnlNo');
      await tx.execute(INSERT_JOURNAL_HDR, {
        jrnlHdrKey: int(jrnlHdrKey),
        batchKey: int(batchKey),
        companyId: varchar(3, companyId),
        jrnlKey: int(jrnlKey),
        jrnlNo: int(jrnlNo),
        currId: varchar(3, (await this.companyFacts()).homeCurrId),
        nextEntryNo: int(lines.length + 1),
        userId: varchar(30, this.options.userId),
      });
      for (const line of lines) {
        await tx.execute(INSERT_JOURNAL_DETL, {
          jrnlHdrKey: int(jrnlHdrKey),
          entryNo: int(line.entryNo),
          seqNo: int(SEQ_NO_STEP * line.entryNo),
          glAcctKey: int(line.glAcctKey),
          postAmt: money(formatSageAmount(line.amount)),
          postCmnt: varchar(50, line.comment),
          companyId: varchar(3, companyId),
          tranDate: datetime(doc.postDate),
        });
      }
      const written: SageRef = { docKey: doc.key, sageTable: 'tglJournalHdr', sageKey: jrnlHdrKey, sageNumber: String(jrnlNo), batchKey };
      await insertXref(tx, { companyId, stripeObjectId: doc.stripeObjectId, stripeObjectType: 'journal' }, written);
      return { ref: written, createdBatchKey: reusable ? null : batchKey };
    });
    // Only a committed batch may be reused by the next journal of this run and date.
    if (createdBatchKey !== null) this.batches.set(batchSlot, createdBatchKey);
    return ref;
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
  private async prepareLines(doc: JournalDocument, what: string): Promise<PreparedLine[]> {
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
    const company = await this.companyFacts();
    await this.passedChecks.get(`period|${doc.postDate}`, async () => {
      const period = await checkFiscalPeriod(this.port, this.options.companyId, doc.postDate);
      if (!period.ok) throw new SageWriteError(`${what}: ${period.problem}`, 'configuration', period.sageField);
      return 1;
    });
    const accountKeys = new Map<string, number>();
    for (const acctNo of new Set(doc.lines.map((line) => line.acctNo))) {
      const glAcctKey = await this.passedChecks.get(`account|${acctNo}|${doc.postDate}`, async () => {
        const account = await checkAccount(this.port, company, acctNo, doc.postDate);
        if (!account.ok) throw new SageWriteError(account.problem, 'configuration', account.sageField);
        return account.value;
      });
      accountKeys.set(acctNo, glAcctKey);
    }
    return doc.lines.map((line, index) => ({
      entryNo: index + 1,
      glAcctKey: accountKeys.get(line.acctNo)!,
      amount: amounts[index]!,
      comment: line.comment,
    }));
  }

  /** spGetNextBatch creates tciBatchLog; for GL the caller adds tglBatch and the comment (S8). */
  private async createBatch(tx: SqlSession, postDate: string): Promise<number> {
    const { companyId, userId } = this.options;
    const batchCmnt = `Stripe sync ${postDate}`;
    const result = await tx.procedure('spGetNextBatch', [
      { name: '_iCompanyID', param: varchar(3, companyId) },
      { name: '_iModuleNo', param: smallint(MODULE_GL) },
      { name: '_iBatchType', param: int(BATCH_TYPE_GL_JOURNAL) },
      { name: '_iUserID', param: varchar(30, userId) },
      { name: '_iDefBatchCmnt', param: varchar(50, batchCmnt) },
      { name: '_iPostDate', param: datetime(postDate) },
      { name: '_oBatchKey', param: int(null), output: true },
      { name: '_oNextBatchNo', param: int(null), output: true },
      { name: '_oRetVal', param: smallint(null), output: true },
      { name: '_optHiddenBatch', param: smallint(null) },
      { name: '_optInvcDate', param: datetime(null) },
    ]);
    const batchKey = result['_oBatchKey'];
    if (result['_oRetVal'] !== SPGETNEXTBATCH_OK || typeof batchKey !== 'number') {
      throw new SageWriteError(
        `spGetNextBatch could not create a GL journal batch (batch type ${BATCH_TYPE_GL_JOURNAL}) in company ${companyId}: return value ${String(result['_oRetVal'])}` +
          (result['_oRetVal'] === 3 ? ' (no tciBatchTypCompany row for batch type 301)' : ''),
        'configuration',
        'tciBatchTypCompany',
      );
    }
    const batchParams = { batchKey: int(batchKey), batchCmnt: varchar(50, batchCmnt), postDate: datetime(postDate) };
    await tx.execute(INSERT_GL_BATCH, { ...batchParams, userId: varchar(30, userId) });
    await tx.execute(UPDATE_BATCH_LOG_COMMENT, batchParams);
    return batchKey;
  }
}
