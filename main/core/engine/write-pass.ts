import { SageUnavailableError, SageWriteError, type SageErrorClass } from '../ports/sage-target.js';
import type { StoredDocument } from '../ports/ledger.js';
import type { SageRef } from '../sage/documents.js';
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
  let after: string | null = null;
  const turns = new EventLoopTurns(context.clock);
  for (;;) {
    const due = context.ledger.documents.documentsToWrite(new Date(context.clock.now()).toISOString(), PAGE, after);
    if (due.length === 0) {
      // A creation (an invoice) a later chunk wrote frees what waited for it: once more from the start, for those.
      const freed = [heldForCreation, heldForInvoice].flatMap((held) =>
        [...held].filter(([, awaitedKey]) => context.ledger.documents.getDocument(awaitedKey)?.state === 'written').map(([docKey]) => ({ held, docKey })),
      );
      if (freed.length === 0) return noteHeld();
      for (const { held, docKey } of freed) {
        held.delete(docKey);
        settled.delete(docKey);
      }
      after = null;
      continue;
    }
    const wanted = onlyCustomers ? due.filter((doc) => doc.type === 'customer') : due;
    for (let start = 0; start < wanted.length; start += WRITE_CHUNK) {
      const chunk = wanted.slice(start, start + WRITE_CHUNK).filter((doc) => !paused.has(pauseKey(doc)) && !settled.has(doc.docKey));
      if ((await writeChunk(context, chunk, paused, settled, { heldForCreation, heldForInvoice }, !onlyCustomers)) === 'stop') return noteHeld();
      await turns.maybe();
    }
    if (wanted.length < due.length) return noteHeld();
    after = due[due.length - 1]!.sortKey;
    context.emit({ type: 'progress', progress: { phase: 'writing', kind: null, done: context.counters.documentsWritten, total: null } });
  }
}

async function writeChunk(
  context: RunContext,
  due: readonly StoredDocument[],
  paused: Set<string>,
  settled: Set<string>,
  { heldForCreation, heldForInvoice }: { heldForCreation: Map<string, string>; heldForInvoice: Map<string, string> },
  startWriteBacks: boolean,
): Promise<'continue' | 'stop'> {
  const { ledger } = context;
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
  const chunk = payoutOrder.inOrder;
  if (chunk.length === 0) return 'continue';
  ledger.documents.markWritingAll(chunk.map((doc) => doc.docKey));
  const outcomes = await context.sage.writeMany(
    chunk.map((doc) => doc.document),
    { runId: context.runId, warn: (message) => context.emit({ type: 'warning', code: 'sage-write', message }) },
  );
  const written: { doc: StoredDocument; ref: SageRef }[] = [];
  let outcome: 'continue' | 'stop' = 'continue';
  const waiting: string[] = [];
  chunk.forEach((doc, index) => {
    const result = outcomes[index];
    if (result && 'ref' in result) {
      written.push({ doc, ref: result.ref });
      return;
    }
    if (result?.error instanceof SageUnavailableError) {
      context.sageUnavailable ??= result.error.message;
      waiting.push(doc.docKey);
      outcome = 'stop';
      return;
    }
    const failure = recordFailure(context, doc, result?.error ?? new Error('the Sage writer returned no outcome'));
    if (failure === 'transient') outcome = 'stop';
    if (failure === 'configuration') paused.add(pauseKey(doc));
  });
  ledger.inTransaction(() => {
    ledger.documents.markWrittenAll(written.map(({ doc, ref }) => ({ docKey: doc.docKey, ref })));
    ledger.documents.requeue(waiting);
  });
  context.counters.documentsWritten += written.length;
  if (startWriteBacks) startPendingWriteBacks(context);
  return outcome;
}

function recordFailure(context: RunContext, stored: StoredDocument, error: unknown): SageErrorClass {
  const failure = classify(error);
  const attempts = stored.attempts + 1;
  const dead = failure.errorClass === 'transient' && attempts >= SAGE_RETRY.maxAttempts;
  const nextAttemptAt =
    failure.errorClass === 'transient' && !dead ? new Date(context.clock.now() + backoffDelay(SAGE_RETRY, attempts)).toISOString() : null;
  context.ledger.documents.markFailed(stored.docKey, { errorClass: failure.errorClass, message: failure.message, nextAttemptAt, dead });
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

function classify(error: unknown): { errorClass: SageErrorClass; message: string } {
  if (error instanceof SageWriteError) return { errorClass: error.errorClass, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { errorClass: 'data', message: `unexpected error while writing to Sage: ${message}` };
}

/**
 * On start, documents left "writing" by a crash are settled by asking Sage: if the
 * cross-reference row exists the document was committed, otherwise it goes back to planned
 * and is written again (the writer's transaction guarantees there is nothing half-written).
 */
export async function recoverInterruptedWrites(context: RunContext): Promise<number> {
  let recovered = 0;
  for (;;) {
    const stuck = context.ledger.documents.documentsInState('writing', PAGE);
    if (stuck.length === 0) return recovered;
    const written = await context.sage.findWritten(stuck.map((doc) => doc.docKey));
    for (const doc of stuck) {
      const ref = written.get(doc.docKey);
      if (ref) context.ledger.documents.markWritten(doc.docKey, ref);
      else context.ledger.documents.requeue([doc.docKey]);
      recovered++;
    }
  }
}
