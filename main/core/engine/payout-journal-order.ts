import type { DocumentState } from './engine-events.js';
import type { StoredDocument } from '../ports/sage-document-ledger.js';
import { creationJournalKey } from '../posting/payout-plan.js';
import type { StripePayout } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';

/**
 * A payout's other journals (its arrival `<payout>:arrived`, its failure `<payout>:<failure
 * balance transaction>`) go to Sage only after its journal of creation `<payout>:<its balance
 * transaction>`. Documents come due in `1|postDate|docKey` order, so for a payout created and
 * arriving (or failing) on one day the arrival, and a failure whose `txn_` id sorts first, come
 * before the creation, and a chunk boundary between them sent them alone. That is wrong twice
 * over for a rebuilt ledger: the creation may be the earlier release's one-step journal
 * (one-step-payouts.ts), which is recognised only when the creation is in the chunk being
 * written, so an arrival sent first deposited the payout a second time, and a failure sent first
 * took the money back from payouts in transit, where it never was.
 *
 * So, in a chunk about to be written: a payout's other journal whose creation is still to be
 * written (planned, failed, dead, shadow), in this chunk or not, waits, left as it is, and comes
 * due again after its creation (write-pass.ts goes over it again in the same pass once the
 * creation is written). Sent in the creation's own chunk, after it, it was written even when Sage
 * refused the creation: an arrival then credited payouts in transit for money never put there.
 * A creation written, skipped, or not in the ledger holds nothing back.
 *
 * A journal held back says so on itself (noteHeldJournals): the key of the creation it waits for
 * and what became of that creation (Sage's refusal, in Sage's words), kept as the planned
 * journal's last error, where the Activity view, the Payouts view and the payouts report show a
 * document's trouble. It stays planned: the note changes nothing of when it is written.
 */
export interface PayoutJournalOrder {
  /** Journals held back, by key, with their creation's key: it is not written yet. */
  waiting: Map<string, string>;
  /** The chunk without them, in its order. */
  inOrder: StoredDocument[];
}

/** States in which a journal of creation may still be written. */
const STILL_TO_WRITE: ReadonlySet<DocumentState> = new Set(['planned', 'failed', 'dead', 'shadow', 'writing']);

export function orderPayoutJournals(context: RunContext, chunk: readonly StoredDocument[]): PayoutJournalOrder {
  const waiting = new Map<string, string>();
  const creationOf = new Map<string, string | null>();
  const inOrder: StoredDocument[] = [];
  for (const doc of chunk) {
    const creationKey = creationKeyOf(context, doc, creationOf);
    // Its creation in this chunk is not written yet either: Sage may refuse it, and the journal would go alone.
    if (creationKey !== null && creationKey !== doc.docKey && STILL_TO_WRITE.has(context.ledger.documents.getDocument(creationKey)?.state ?? 'written')) {
      waiting.set(doc.docKey, creationKey);
      continue;
    }
    inOrder.push(doc);
  }
  return { waiting, inOrder };
}

/**
 * The key of the journal of creation of the payout this journal belongs to, or null when it is
 * not a payout's. Stripe's payout ids start `po_` (https://docs.stripe.com/api/payouts/object),
 * which spares reading the object of every other journal; the stored object decides.
 */
function creationKeyOf(context: RunContext, doc: StoredDocument, known: Map<string, string | null>): string | null {
  if (doc.type !== 'journal' || !doc.stripeObjectId.startsWith('po_')) return null;
  let key = known.get(doc.stripeObjectId);
  if (key === undefined) {
    const object = context.ledger.objects.getObject(doc.stripeObjectId);
    key = object?.kind === 'payout' ? creationJournalKey(object.object as StripePayout) : null;
    known.set(doc.stripeObjectId, key);
  }
  return key;
}

/**
 * Notes on each journal held back why it waits (SageDocumentLedger.noteWaiting): without it a
 * held arrival sat planned in silence while only its creation showed as refused in Errors.
 */
export function noteHeldJournals(context: RunContext, held: ReadonlyMap<string, string>): void {
  // One whose creation got written before the pass stopped waits for nothing: it is written next run.
  const notes = [...held].flatMap(([docKey, creationKey]) => (context.ledger.documents.getDocument(creationKey)?.state === 'written' ? [] : [{ docKey, note: waitingNote(context, creationKey) }]));
  context.ledger.documents.noteWaiting(notes);
}

/** "waits for <creation>, which …": what became of the payout's journal of creation, in the user's words. */
export function waitingNote(context: RunContext, creationKey: string): string {
  const creation = context.ledger.documents.getDocument(creationKey);
  const error = creation?.lastError ?? 'see the Errors view';
  const why =
    creation?.state === 'dead'
      ? `which Sage refused and the sync stopped retrying: ${error}`
      : creation?.state === 'failed'
        ? creation.errorClass === 'transient'
          ? `which could not be written yet and is retried: ${error}`
          : `which Sage refused: ${error}`
        : creation?.state === 'shadow'
          ? 'which is a preview only (shadow mode)'
          : 'which is not written yet';
  return `waits for ${creationKey}, ${why}; it is written as soon as that journal of creation is`;
}

/** What a payout's journals held back for its journal of creation say (noteHeldJournals), each after its key: for the Payouts view and report. */
export function heldNotes(documents: readonly StoredDocument[]): string[] {
  return documents.filter((doc) => doc.state === 'planned' && doc.errorClass === 'waiting').map((doc) => `${doc.docKey} ${doc.lastError ?? ''}.`);
}
