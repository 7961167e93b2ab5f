import { SageUnavailableError, SageWriteError, type SageErrorClass, type WriteOutcome } from '../ports/sage-target.js';
import type { StoredDocument } from '../ports/ledger.js';
import { isGlJournal, type SageRef } from '../sage/documents.js';
import { refuseFoundJournal } from '../sage/found-journal.js';
import { backoffDelay, SAGE_RETRY } from './backoff.js';
import type { RunContext } from './engine-context.js';
import { startPendingWriteBacks } from './metadata-write-back.js';
import { EventLoopTurns } from './event-loop-turns.js';
import { settleOneStepPayouts } from './one-step-payouts.js';
import { noteHeldReceipts, receiptsAndTheirInvoices } from './receipt-invoice-order.js';
import { noteHeldJournals, orderPayoutJournals } from './payout-journal-order.js';

/**
 * Writes planned documents to Sage, oldest first, customers before the journals and orders
 * that may name them. Each document goes planned → writing → written; the ledger records
 * "writing" before Sage is touched and "written" after Sage commits, and Sage holds the
 * cross-reference row in the same transaction as the document, so a crash at any point is
 * resolved on the next start (see recoverInterruptedWrites) without a duplicate.
 *
 * Failures follow the error's class: transient (Sage unreachable, deadlock, timeout) retry
 * later with backoff and stop this pass (store and forward); data problems park the one
 * record; configuration problems pause that kind of document (e.g. refund journals) for the
 * run and say what to fix. When Sage cannot take anything (connection lost, disk or log
 * full) writing stops for the whole run: the chunk goes back to planned, never to failed or
 * dead (it is not the documents' fault), and the run says once what to fix.
 */

const PAGE = 200;

/** Documents of one kind: refunds' journals pause without holding back charges' journals. */
function pauseKey(doc: StoredDocument): string {
  return `${doc.type}:${doc.stripeObjectId.slice(0, doc.stripeObjectId.indexOf('_') + 1)}`;
}

/**
 * Documents go to Sage a chunk at a time: the ledger commits "writing" for the whole chunk
 * before Sage is touched and "written" after, and the writer puts the chunk's journals in one
 * Sage transaction and its new customers in one staging session, a few round trips per group
 * whatever its size (about 0.1 per document at 200). A crash in between leaves documents in
 * "writing", which recoverInterruptedWrites settles from Sage's cross-reference table, so
 * batching never risks a duplicate.
 */
export const WRITE_CHUNK = 200;

/**
 * Writes what is due, and starts the Stripe write-backs of what it wrote. With `onlyCustomers`
 * (the customers written early in a backfill, early-customers.ts), only the customers, which
 * are due before everything else, so the pass ends at the first other document; their
 * write-backs are then left queued in the ledger for the engine to start when reading is done.
 *
 * The engine works while Sage does (SentChunk): once a chunk is sent, the next page of due
 * documents is read, and once the next chunk is sent, the one before has its outcome recorded.
 * Sage still sees one chunk after another: a chunk is sent only after the chunk before it
 * answered, and only if that answer lets it go (nothing stopped the pass, its kind was not
 * paused). A chunk that may depend on the outcome of the one before (a payout's journals, a
 * receipt applied to its own invoice) is prepared only after that outcome is recorded, as when
 * the chunks took turns.
 */
export async function writePlannedDocuments(context: RunContext, onlyCustomers = false): Promise<void> {
  if (context.sageUnavailable !== null) return;
  const paused = new Set<string>();
  // Documents settled without a write (one-step-payouts.ts) or held back (a receipt's invoice, a payout's creation): a later chunk of the same page still lists them.
  const settled = new Set<string>();
  // Payout journals held back for their journal of creation (payout-journal-order.ts), with its key.
  const heldForCreation = new Map<string, string>();
  // Cash receipts held back for their own AR invoice (receipt-invoice-order.ts), with its key.
  const heldForInvoice = new Map<string, string>();
  const noteHeld = (): void => {
    noteHeldJournals(context, heldForCreation);
    noteHeldReceipts(context, heldForInvoice);
  };
  const readPage = (after: string | null): StoredDocument[] => context.ledger.documents.documentsToWrite(new Date(context.clock.now()).toISOString(), PAGE, after);
  const turns = new EventLoopTurns(context.clock);
  const sent = new SentChunk(context, paused, !onlyCustomers);
  try {
    let due = readPage(null);
    for (;;) {
      if (due.length === 0) {
        if ((await sent.record()) === 'stop') return noteHeld();
        // A creation (an invoice) a later chunk wrote frees what waited for it: once more from the start, for those.
        const freed = [heldForCreation, heldForInvoice].flatMap((held) =>
          [...held].filter(([, awaitedKey]) => context.ledger.documents.getDocument(awaitedKey)?.state === 'written').map(([docKey]) => ({ held, docKey })),
        );
        if (freed.length === 0) return noteHeld();
        for (const { held, docKey } of freed) {
          held.delete(docKey);
          settled.delete(docKey);
        }
        due = readPage(null);
        continue;
      }
      const wanted = onlyCustomers ? due.filter((doc) => doc.type === 'customer') : due;
      for (let start = 0; start < wanted.length; start += WRITE_CHUNK) {
        const next = wanted.slice(start, start + WRITE_CHUNK);
        if ((await sent.answered(mayDependOnEarlierChunks(next))) === 'stop') return noteHeld();
        const chunk = next.filter((doc) => !paused.has(pauseKey(doc)) && !settled.has(doc.docKey));
        const ready = await prepareChunk(context, chunk, settled, { heldForCreation, heldForInvoice });
        if (ready === 'stop') {
          await sent.record();
          return noteHeld();
        }
        if (ready.length > 0) await sent.send(ready);
        await turns.maybe();
      }
      if (wanted.length < due.length) {
        await sent.record();
        return noteHeld();
      }
      // Read while Sage works on the chunk just sent: what is due after it does not hang on its outcome (its documents sort before).
      due = readPage(due[due.length - 1]!.sortKey);
      context.emit({ type: 'progress', progress: { phase: 'writing', kind: null, done: context.counters.documentsWritten, total: null } });
    }
  } finally {
    // Only when something threw: the chunk in Sage's hands is waited for (nothing of a run may outlive it) and its documents stay "writing" for recovery.
    await sent.abandon();
  }
}

/**
 * Whether a chunk holds a document whose place in the pass hangs on what became of an earlier
 * chunk: a payout's journal (its creation may have been in that chunk, payout-journal-order.ts,
 * one-step-payouts.ts) or a cash receipt applied to its own AR invoice (receipt-invoice-order.ts).
 * Such a chunk is prepared only after the chunk before it is recorded. Stripe's payout ids start
 * `po_` (https://docs.stripe.com/api/payouts/object); the checks that read the ledger for the
 * others find nothing to hold.
 */
function mayDependOnEarlierChunks(chunk: readonly StoredDocument[]): boolean {
  return chunk.some(
    (doc) => doc.stripeObjectId.startsWith('po_') || (doc.document.type === 'journal' && doc.document.arReceipt?.applyToOwnInvoice !== undefined),
  );
}

/**
 * The chunk's documents that go to Sage now, in order, after the checks that settle, park or
 * hold some back; 'stop' when Sage could not be asked (the pass stops as for a chunk).
 */
async function prepareChunk(
  context: RunContext,
  due: readonly StoredDocument[],
  settled: Set<string>,
  { heldForCreation, heldForInvoice }: { heldForCreation: Map<string, string>; heldForInvoice: Map<string, string> },
): Promise<StoredDocument[] | 'stop'> {
  let settlement;
  try {
    settlement = await settleOneStepPayouts(context, due);
  } catch (error) {
    if (!(error instanceof SageUnavailableError)) throw error;
    context.sageUnavailable ??= error.message;
    return 'stop';
  }
  for (const docKey of settlement.notToWrite) settled.add(docKey);
  for (const { doc, reason } of settlement.parked) recordFailure(context, doc, new SageWriteError(reason, 'data', 'tglJournalDetl'));
  const receipts = receiptsAndTheirInvoices(context, due);
  for (const [docKey, invoiceKey] of receipts.waiting) {
    settled.add(docKey);
    heldForInvoice.set(docKey, invoiceKey);
  }
  for (const { doc, reason } of receipts.parked) {
    settled.add(doc.docKey);
    recordFailure(context, doc, new SageWriteError(reason, 'data', 'tarPendInvoice'));
  }
  if (receipts.replan.length > 0) context.ledger.objects.replanObjects(receipts.replan);
  // The chunk came without anything settled before, so what is settled now was settled just above.
  const payoutOrder = orderPayoutJournals(
    context,
    due.filter((doc) => !settled.has(doc.docKey)),
  );
  for (const [docKey, creationKey] of payoutOrder.waiting) {
    settled.add(docKey);
    heldForCreation.set(docKey, creationKey);
  }
  return payoutOrder.inOrder;
}

/**
 * A turn of the event loop: every pending microtask runs (a writer awaiting only settled
 * promises gets as far as its next request to Sage), and an immediate scheduled from the check
 * phase, where this resumes, waits for the next poll phase (an answer that arrived meanwhile).
 */
const eventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What a chunk's answer from Sage says, before any of it is recorded. */
interface Verdict {
  written: { doc: StoredDocument; ref: SageRef }[];
  failed: { doc: StoredDocument; error: unknown }[];
  /** Back to planned: Sage could take nothing (not the documents' fault). */
  waiting: string[];
  outcome: 'continue' | 'stop';
}

/**
 * The chunk Sage is writing, or has answered without its outcome recorded yet. At most one:
 * the next is sent only after this one answered (`answered`), and recording it (`record`) is
 * left until the next is in Sage's hands (`send`), so the ledger work of one chunk overlaps
 * Sage's work on the next. The ledger still commits a chunk's "writing" before Sage is sent it
 * and its "written" only after Sage answered.
 */
class SentChunk {
  private current: { chunk: readonly StoredDocument[]; answer: Promise<WriteOutcome[]> } | null = null;
  private verdict: Verdict | null = null;

  constructor(
    private readonly context: RunContext,
    private readonly paused: Set<string>,
    private readonly startWriteBacks: boolean,
  ) {}

  /**
   * Waits for Sage's answer to the chunk sent, and says whether the pass may go on; the kinds
   * it paused are paused from here on. With `recordNow`, its outcome is recorded too.
   */
  async answered(recordNow: boolean): Promise<'continue' | 'stop'> {
    if (!this.current) return 'continue';
    if (!this.verdict) this.verdict = this.judge(this.current.chunk, await this.current.answer);
    if (recordNow || this.verdict.outcome === 'stop') return this.record();
    return 'continue';
  }

  /** Waits for Sage's answer and records it: nothing is in Sage's hands afterwards. */
  async record(): Promise<'continue' | 'stop'> {
    if (!this.current) return 'continue';
    const verdict = this.verdict ?? this.judge(this.current.chunk, await this.current.answer);
    this.current = null;
    this.verdict = null;
    this.recordVerdict(verdict);
    return verdict.outcome;
  }

  /**
   * Marks the chunk "writing" (committed before Sage is touched) and sends it; then, while Sage
   * works on it, records the chunk before. Called only after `answered` said 'continue' (the
   * chunk before, if any, has its verdict then).
   */
  async send(chunk: readonly StoredDocument[]): Promise<void> {
    const before = this.verdict;
    this.context.ledger.documents.markWritingAll(chunk.map((doc) => doc.docKey));
    const answer = this.context.sage.writeMany(
      chunk.map((doc) => doc.document),
      { runId: this.context.runId, warn: (message) => this.context.emit({ type: 'warning', code: 'sage-write', message }) },
    );
    // Observed at once, so a failure while the chunk before is recorded is not an unhandled rejection; it is awaited below.
    answer.catch(() => undefined);
    this.current = { chunk, answer };
    this.verdict = null;
    if (!before) return;
    // The writer runs up to its first request to Sage before the ledger work starts, and takes an answer that came meanwhile after it.
    await eventLoopTurn();
    this.recordVerdict(before);
    await eventLoopTurn();
  }

  /** After a throw: waits for Sage's answer to the chunk in its hands, recording nothing. */
  async abandon(): Promise<void> {
    const current = this.current;
    this.current = null;
    await current?.answer.catch(() => undefined);
  }

  private judge(chunk: readonly StoredDocument[], outcomes: readonly WriteOutcome[]): Verdict {
    const verdict: Verdict = { written: [], failed: [], waiting: [], outcome: 'continue' };
    chunk.forEach((doc, index) => {
      const result = outcomes[index];
      if (result && 'ref' in result) {
        verdict.written.push({ doc, ref: result.ref });
        return;
      }
      if (result?.error instanceof SageUnavailableError) {
        this.context.sageUnavailable ??= result.error.message;
        verdict.waiting.push(doc.docKey);
        verdict.outcome = 'stop';
        return;
      }
      const error = result?.error ?? new Error('the Sage writer returned no outcome');
      verdict.failed.push({ doc, error });
      const { errorClass } = classify(error);
      if (errorClass === 'transient') verdict.outcome = 'stop';
      if (errorClass === 'configuration') this.paused.add(pauseKey(doc));
    });
    return verdict;
  }

  private recordVerdict({ written, failed, waiting }: Verdict): void {
    const { context } = this;
    const { ledger } = context;
    for (const { doc, error } of failed) recordFailure(context, doc, error);
    ledger.inTransaction(() => {
      ledger.documents.markWrittenAll(written.map(({ doc, ref }) => ({ docKey: doc.docKey, ref })));
      ledger.documents.requeue(waiting);
    });
    context.counters.documentsWritten += written.length;
    if (this.startWriteBacks) startPendingWriteBacks(context);
  }
}

function recordFailure(context: RunContext, stored: StoredDocument, error: unknown): SageErrorClass {
  const failure = classify(error);
  const attempts = stored.attempts + 1;
  const dead = failure.errorClass === 'transient' && attempts >= SAGE_RETRY.maxAttempts;
  const nextAttemptAt =
    failure.errorClass === 'transient' && !dead ? new Date(context.clock.now() + backoffDelay(SAGE_RETRY, attempts)).toISOString() : null;
  context.ledger.documents.markFailed(stored.docKey, { errorClass: failure.errorClass, errorCode: failure.code, message: failure.message, nextAttemptAt, dead });
  context.counters.documentsFailed++;
  context.emit({
    type: 'document-failed',
    docKey: stored.docKey,
    stripeObjectId: stored.stripeObjectId,
    errorClass: failure.errorClass,
    message: failure.message,
  });
  return failure.errorClass;
}

function classify(error: unknown): { errorClass: SageErrorClass; code: string | null; message: string } {
  if (error instanceof SageWriteError) return { errorClass: error.errorClass, code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { errorClass: 'data', code: null, message: `unexpected error while writing to Sage: ${message}` };
}

/**
 * On start, documents left "writing" by a crash are settled by asking Sage: if the
 * cross-reference row exists the document was committed, otherwise it goes back to planned
 * and is written again (the writer's transaction guarantees there is nothing half-written).
 * A GL journal found there is recorded as written only if Sage holds its lines
 * (core/sage/found-journal.ts), as the writer adopts one: the body in flight may not be the one
 * Sage holds when a power cut took back the marks of an earlier write and the writer's refusal
 * of the new body was itself lost (a kill before it was recorded). Then it fails with the
 * writer's refusal, for the user.
 */
export async function recoverInterruptedWrites(context: RunContext): Promise<number> {
  let recovered = 0;
  for (;;) {
    const stuck = context.ledger.documents.documentsInState('writing', PAGE);
    if (stuck.length === 0) return recovered;
    const written = await context.sage.findWritten(stuck.map((doc) => doc.docKey));
    const refused = await refusedFoundJournals(context, stuck.filter((doc) => written.has(doc.docKey)));
    for (const doc of stuck) {
      const ref = written.get(doc.docKey);
      const refusal = refused.get(doc.docKey);
      if (refusal) recordFailure(context, doc, refusal);
      else if (ref) context.ledger.documents.markWritten(doc.docKey, ref);
      else context.ledger.documents.requeue([doc.docKey]);
      recovered++;
    }
  }
}

/** The GL journals among documents found in Sage's cross-reference whose lines Sage does not hold, with the refusal (one query for all). */
async function refusedFoundJournals(context: RunContext, found: readonly StoredDocument[]): Promise<Map<string, SageWriteError>> {
  const journals = found.map(({ document }) => document).filter(isGlJournal);
  const refused = new Map<string, SageWriteError>();
  if (journals.length === 0) return refused;
  const inSage = await context.sage.journalsInSage(journals.map((journal) => journal.key));
  for (const journal of journals) {
    const held = inSage.get(journal.key);
    const refusal = held ? refuseFoundJournal(journal, held) : null;
    if (refusal) refused.set(journal.key, refusal);
  }
  return refused;
}
