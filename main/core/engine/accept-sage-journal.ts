import type { SageDocumentLedger, StoredDocument } from '../ports/sage-document-ledger.js';
import type { SageTarget } from '../ports/sage-target.js';
import { FOUND_JOURNAL_REFUSED } from '../sage/found-journal.js';

/**
 * "Accept Sage's journal": the user's answer to a GL journal the writer refused because Sage's
 * cross-reference (tciStripeXref_STRIPE) already holds its key as a journal whose lines are not
 * the document's (core/sage/found-journal.ts: posted since, or its lines gone), after a power
 * cut took back the ledger's record of the write, a ledger rebuild, or a mapping change between
 * the write and its record. Posted GL cannot be corrected, so the user enters in Sage what the
 * document holds that Sage's journal does not (the difference, as a journal entry of its own)
 * and accepts: the document is recorded as written under Sage's journal, so the payout tie-out
 * and the balance proof count its transactions as booked, as they are in Sage. Skip would say
 * the opposite (kept out of Sage on purpose) and block its payouts for good.
 *
 * Refused, with nothing recorded, unless every document named is a GL journal whose last error
 * is that refusal (its error code, not its words), the reason says something (500 characters at
 * most), and Sage's cross-reference still holds each key as a GL journal (asked again now: a
 * user may have deleted the row, and then Retry writes the document instead). A journal Sage
 * holds unposted in an open batch has its own code (FOUND_JOURNAL_OPEN) and is not accepted:
 * its lines can still change, so the user corrects them and retries.
 */
export class AcceptRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AcceptRefused';
  }
}

/** True when Accept applies to the document: a GL journal failed (or given up) with the refusal's code. */
export function isSageJournalAcceptable(stored: Pick<StoredDocument, 'type' | 'state' | 'errorCode'>): boolean {
  return stored.type === 'journal' && (stored.state === 'failed' || stored.state === 'dead') && stored.errorCode === FOUND_JOURNAL_REFUSED;
}

/** The shortest reason taken, as for Skip (preload/contract.ts). */
export const ACCEPT_REASON_MIN_LENGTH = 3;

/** The longest reason taken after trimming, as the window's request allows (preload/contract.ts): the CLI is held to it too. */
export const ACCEPT_REASON_MAX_LENGTH = 500;

/** The table of a GL journal's header, the only Sage document Accept records (tciStripeXref_STRIPE.SageTable). */
const JOURNAL_HEADER_TABLE = 'tglJournalHdr';

/** Returns the keys recorded as written (a document a run changed meanwhile is left out). */
export async function acceptSageJournals(
  ledger: Pick<SageDocumentLedger, 'getDocument' | 'acceptFoundJournals'>,
  sage: Pick<SageTarget, 'findWritten'>,
  docKeys: readonly string[],
  reason: string,
): Promise<string[]> {
  const why = reason.trim();
  if (why.length < ACCEPT_REASON_MIN_LENGTH) {
    throw new AcceptRefused("say why Sage's journal is accepted (what you entered in Sage for the difference): the reason is kept with the document");
  }
  if (why.length > ACCEPT_REASON_MAX_LENGTH) {
    throw new AcceptRefused(`the reason is ${why.length} characters long: keep it to ${ACCEPT_REASON_MAX_LENGTH} (say what you entered in Sage for the difference): nothing was recorded`);
  }
  if (docKeys.length === 0) throw new AcceptRefused('name the documents whose journal in Sage to accept');
  const notRefused = docKeys.filter((docKey) => {
    const stored = ledger.getDocument(docKey);
    return stored === null || !isSageJournalAcceptable(stored);
  });
  if (notRefused.length > 0) {
    throw new AcceptRefused(
      `${notRefused.join(', ')}: Accept Sage's journal applies only to a GL journal refused because Sage's cross-reference already holds its key as another journal, and this is not (or no longer) one: nothing was recorded`,
    );
  }
  const inSage = await sage.findWritten(docKeys);
  const gone = docKeys.filter((docKey) => !inSage.has(docKey));
  if (gone.length > 0) {
    throw new AcceptRefused(
      `${gone.join(', ')}: Sage's cross-reference (tciStripeXref_STRIPE) no longer holds this key, so there is no journal in Sage to accept (a user may have deleted it): nothing was recorded. Retry the document to write it to Sage`,
    );
  }
  const notJournals = docKeys.flatMap((docKey) => {
    const ref = inSage.get(docKey)!;
    return ref.sageTable === JOURNAL_HEADER_TABLE ? [] : [`${docKey} (${ref.sageTable} key ${ref.sageKey})`];
  });
  if (notJournals.length > 0) {
    throw new AcceptRefused(
      `${notJournals.join(', ')}: Sage's cross-reference (tciStripeXref_STRIPE) holds this key as another kind of Sage document, not a GL journal (${JOURNAL_HEADER_TABLE}), so there is no journal in Sage to accept: nothing was recorded`,
    );
  }
  return ledger.acceptFoundJournals(
    docKeys.map((docKey) => ({ docKey, ref: inSage.get(docKey)! })),
    FOUND_JOURNAL_REFUSED,
    why,
  );
}
