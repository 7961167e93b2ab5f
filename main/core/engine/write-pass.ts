import { SageWriteError } from '../ports/sage-target.js';
import type { StoredDocument } from '../ports/ledger.js';
import { backoffDelay, SAGE_RETRY } from './backoff.js';
import { OWN_IDEMPOTENCY_PREFIX, type RunContext } from './engine-context.js';

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
 * run and say what to fix.
 */

const PAGE = 200;

/** Documents of one kind: refunds' journals pause without holding back charges' journals. */
function pauseKey(doc: StoredDocument): string {
  return `${doc.type}:${doc.stripeObjectId.slice(0, doc.stripeObjectId.indexOf('_') + 1)}`;
}

export async function writePlannedDocuments(context: RunContext): Promise<void> {
  const paused = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const due = context.ledger.documentsToWrite(new Date(context.clock.now()).toISOString(), PAGE, after);
    if (due.length === 0) return;
    for (const stored of due) {
      if (paused.has(pauseKey(stored))) continue;
      const outcome = await writeOne(context, stored);
      if (outcome === 'stop') return;
      if (outcome === 'pause-kind') paused.add(pauseKey(stored));
    }
    after = due[due.length - 1]!.sortKey;
    context.emit({ type: 'progress', progress: { phase: 'writing', kind: null, done: context.counters.documentsWritten, total: null } });
  }
}

async function writeOne(context: RunContext, stored: StoredDocument): Promise<'ok' | 'parked' | 'pause-kind' | 'stop'> {
  context.ledger.markWriting(stored.docKey);
  try {
    const ref = await context.sage.write(stored.document, { runId: context.runId });
    context.ledger.markWritten(stored.docKey, ref);
    context.counters.documentsWritten++;
    if (stored.document.type === 'customer' && context.options.writeBackMetadata) {
      await writeBackCustomerId(context, stored.document.stripeObjectId, ref.sageNumber, stored.docKey);
    }
    return 'ok';
  } catch (error) {
    const failure = classify(error);
    const attempts = stored.attempts + 1;
    const dead = failure.errorClass === 'transient' && attempts >= SAGE_RETRY.maxAttempts;
    const nextAttemptAt =
      failure.errorClass === 'transient' && !dead ? new Date(context.clock.now() + backoffDelay(SAGE_RETRY, attempts)).toISOString() : null;
    context.ledger.markFailed(stored.docKey, { errorClass: failure.errorClass, message: failure.message, nextAttemptAt, dead });
    context.counters.documentsFailed++;
    context.counters.errors.push(failure.message);
    context.emit({
      type: 'document-failed',
      docKey: stored.docKey,
      stripeObjectId: stored.stripeObjectId,
      errorClass: failure.errorClass,
      message: failure.message,
    });
    if (failure.errorClass === 'transient') return 'stop';
    return failure.errorClass === 'configuration' ? 'pause-kind' : 'parked';
  }
}

function classify(error: unknown): { errorClass: 'transient' | 'data' | 'configuration'; message: string } {
  if (error instanceof SageWriteError) return { errorClass: error.errorClass, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { errorClass: 'data', message: `unexpected error while writing to Sage: ${message}` };
}

/** Puts the Sage CustID on the Stripe customer; our idempotency prefix marks the event it causes as ours. */
async function writeBackCustomerId(context: RunContext, customerId: string, custId: string, docKey: string): Promise<void> {
  const mapping = context.ledger.currentMapping();
  if (!mapping) return;
  try {
    await context.stripe.updateMetadata('customers', customerId, { [mapping.mapping.customers.metadataKey]: custId }, `${OWN_IDEMPOTENCY_PREFIX}${docKey}`);
  } catch (error) {
    context.emit({
      type: 'warning',
      code: 'metadata-write-back',
      message: `could not write Sage customer ${custId} back to Stripe customer ${customerId}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/**
 * On start, documents left "writing" by a crash are settled by asking Sage: if the
 * cross-reference row exists the document was committed, otherwise it goes back to planned
 * and is written again (the writer's transaction guarantees there is nothing half-written).
 */
export async function recoverInterruptedWrites(context: RunContext): Promise<number> {
  let recovered = 0;
  for (;;) {
    const stuck = context.ledger.documentsInState('writing', PAGE);
    if (stuck.length === 0) return recovered;
    const written = await context.sage.findWritten(stuck.map((doc) => doc.docKey));
    for (const doc of stuck) {
      const ref = written.get(doc.docKey);
      if (ref) context.ledger.markWritten(doc.docKey, ref);
      else context.ledger.requeue([doc.docKey]);
      recovered++;
    }
  }
}
