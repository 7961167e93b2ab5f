import { SALES_ORDER_METADATA_KEY } from '../posting/sales-order-plan.js';
import type { StoredDocument } from '../ports/ledger.js';
import { StripeRateLimitError, StripeTransientError, type StripeMetadataPath } from '../ports/stripe-api.js';
import { OWN_IDEMPOTENCY_PREFIX, type RunContext } from './engine-context.js';
import { forEachConcurrently } from './concurrently.js';

/**
 * Puts Sage numbers on Stripe objects: the CustID on a customer we created, the sales order
 * TranNo on the charge or invoice it came from. The ledger remembers which written documents
 * are done, so a crash between the Sage commit and the Stripe write-back is finished on the
 * next run; the idempotency key (our prefix + the document key) makes a repeat harmless and
 * marks the event it causes as ours.
 */

const PAGE = 200;
/** Write-backs in flight at once (one customer endpoint, paced by the StripeReader). */
const WRITE_BACKS_AT_ONCE = 8;
/** Done write-backs recorded in one ledger transaction (about a second of them at Stripe's pace). */
const DONE_BATCH = 20;

export interface MetadataWriteBack {
  path: StripeMetadataPath;
  id: string;
  key: string;
  value: string;
  /** For the warning, e.g. "Sage customer C0001". */
  what: string;
}

/** Metadata planning wants written to Stripe, applied by the engine's write-back step; `reason` makes the idempotency key. */
export interface IntendedWriteBack {
  target: MetadataWriteBack;
  reason: string;
}

/** Applies what planning asked for; a failure is a warning, as for every write-back. */
export async function applyWriteBacks(context: RunContext, writeBacks: readonly IntendedWriteBack[]): Promise<void> {
  await forEachConcurrently(writeBacks, WRITE_BACKS_AT_ONCE, async (writeBack) => {
    await writeBackMetadata(context, writeBack.target, writeBack.reason);
  });
}

/** Write-backs running beside the write pass, per run. */
const inFlight = new WeakMap<RunContext, Promise<void>>();

/**
 * Starts writing back what is pending, beside the write pass (unless already running): at
 * ~300 ms a request against Stripe, a backfill's thousands of CustIDs would otherwise hold up
 * writing to Sage. What is pending lives in the ledger, so a crash loses nothing.
 */
export function startPendingWriteBacks(context: RunContext): void {
  if (inFlight.has(context)) return;
  const running = writeBackPending(context).finally(() => inFlight.delete(context));
  // Handled here so a failure waits for finishPendingWriteBacks, which rethrows it, instead of crashing the process.
  running.catch(() => undefined);
  inFlight.set(context, running);
}

/** Waits for the write-backs started beside the write pass; nothing of a run may outlive it. */
export async function finishPendingWriteBacks(context: RunContext): Promise<void> {
  for (let running = inFlight.get(context); running; running = inFlight.get(context)) await running;
}

export async function writeBackPending(context: RunContext): Promise<void> {
  if (!context.options.writeBackMetadata || context.options.shadowMode) return;
  const mapping = context.ledger.mappings.currentMapping();
  if (!mapping) return;
  for (;;) {
    const pending = context.ledger.documents.pendingWriteBacks(PAGE);
    if (pending.length === 0) return;
    let unreachable = false;
    // Done write-backs are recorded a batch at a time: a commit per write-back cost more ledger
    // time than anything else it does. One lost with a crash is sent again under the same
    // idempotency key, which Stripe answers as before (and the value it sets is the same).
    const done: string[] = [];
    const recordDone = (): void => {
      const docKeys = done.splice(0);
      if (docKeys.length > 0) context.ledger.inTransaction(() => docKeys.forEach((docKey) => context.ledger.documents.markWrittenBack(docKey)));
    };
    try {
      await forEachConcurrently(pending, WRITE_BACKS_AT_ONCE, async (stored) => {
        if (unreachable) return;
        const target = writeBackTarget(stored, mapping.mapping.customers.metadataKey);
        const result = target ? await writeBackMetadata(context, target, stored.docKey) : 'done';
        // Stripe unreachable: start no more; the rest stays pending for the next run.
        if (result === 'unreachable') {
          unreachable = true;
          return;
        }
        // Stripe refused this one (e.g. the customer was deleted in Stripe): park it, the others go on.
        if (result !== 'done') context.ledger.objects.setObjectIssue({ objectId: `${stored.docKey} write-back`, errorClass: 'data', message: result.refused });
        done.push(stored.docKey);
        if (done.length >= DONE_BATCH) recordDone();
      });
    } finally {
      recordDone();
    }
    if (unreachable) return;
  }
}

function writeBackTarget(stored: StoredDocument, customerMetadataKey: string): MetadataWriteBack | null {
  const { document, ref } = stored;
  if (!ref) return null;
  // An update keeps the CustID its insert already wrote back.
  if (document.type === 'journal' || (document.type === 'customer' && document.action === 'update')) return null;
  return document.type === 'customer'
    ? { path: 'customers', id: document.stripeObjectId, key: customerMetadataKey, value: ref.sageNumber, what: `Sage customer ${ref.sageNumber}` }
    : {
        path: document.stripeObjectId.startsWith('in_') ? 'invoices' : 'charges',
        id: document.stripeObjectId,
        key: SALES_ORDER_METADATA_KEY,
        value: ref.sageNumber,
        what: `Sage sales order ${ref.sageNumber}`,
      };
}

/**
 * One metadata write to Stripe; a failure is a warning (Sage already holds the document).
 * `unreachable` (network, 429, 5xx, after the reader's retries): try again next run;
 * `refused` (Stripe answered no, e.g. 404 for a deleted customer): retrying cannot help.
 */
async function writeBackMetadata(
  context: RunContext,
  target: MetadataWriteBack,
  reason: string,
): Promise<'done' | 'unreachable' | { refused: string }> {
  try {
    await context.stripe.updateMetadata(target.path, target.id, { [target.key]: target.value }, `${OWN_IDEMPOTENCY_PREFIX}${reason}`);
    return 'done';
  } catch (error) {
    const message = `could not write ${target.what} back to Stripe ${target.id}: ${error instanceof Error ? error.message : String(error)}`;
    context.emit({ type: 'warning', code: 'metadata-write-back', message });
    const unreachable = error instanceof StripeTransientError || error instanceof StripeRateLimitError;
    return unreachable ? 'unreachable' : { refused: `${message}; the Sage document is written, only the link in Stripe is missing: add ${target.key} = ${target.value} to ${target.id} in the Stripe Dashboard if it still exists` };
  }
}
