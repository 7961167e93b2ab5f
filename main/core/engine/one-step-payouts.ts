import type { Mapping } from '../mapping/mapping.js';
import { parseSageAmount } from '../money/sage-amount.js';
import type { StoredDocument } from '../ports/sage-document-ledger.js';
import { SageUnavailableError, type JournalInSage } from '../ports/sage-target.js';
import { arrivalJournalKey, creationJournalKey } from '../posting/payout-plan.js';
import { accountIdentity } from '../sage/account-number.js';
import type { JournalDocument, SageRef } from '../sage/documents.js';
import type { StripePayout } from '../stripe/objects.js';
import type { RunContext } from './engine-context.js';

/**
 * Payouts Sage holds in one journal from the release before payouts in transit, met by a
 * ledger that never knew them (lost and rebuilt: app/ledger-rebuild.ts). That release booked a
 * payout as one journal, clearing → bank on its arrival date, under the key
 * `<payout>:<its balance transaction>`, which today names the journal of creation (clearing →
 * payouts in transit), followed by the arrival `<payout>:arrived` (in transit → bank). The
 * writer adopts a journal whose key Sage's cross-reference holds instead of writing it, so
 * without this step a rebuilt ledger adopts the old journal as today's creation journal and
 * then writes the arrival: the bank debited twice, payouts in transit left credited.
 *
 * So before a chunk is written, every payout journal of creation in it is looked up in Sage
 * with its lines (SageTarget.journalsInSage). When Sage's journal under that key reaches the
 * bank and never touches payouts in transit, it is the one-step journal: the creation journal
 * is recorded as written with the body Sage holds, and the arrival as written with the same
 * Sage references and no lines of its own, in one ledger transaction, before anything is
 * written; that is what ledger migration 6 gives an upgraded ledger
 * (adapters/ledger/migration-one-step-payout-journals.ts), so the reports, drift checks and a
 * later failure of the payout read both the same way (a failure already planned from payouts in
 * transit is withdrawn and planned again, from the bank). A journal Sage holds through payouts in
 * transit is today's, adopted as before. A crash before the ledger transaction leaves both
 * planned and the next run looks again; nothing is written to Sage in between.
 *
 * A journal whose batch a user posted is read the same way from its posted lines
 * (tglTransaction, adapters/sage/journals-in-sage.ts). When Sage holds the key but none of its
 * lines pending or posted (a user deleted them), the journal cannot be told apart: the creation
 * is recorded as written with that finding (JournalDocument.unreadInSage) and its arrival, and
 * any failure journal taking the money back from payouts in transit, are parked for the user, who
 * looks the journal up in Sage, rather than risk a second deposit or a failure booked from where
 * the money never was; one planned in a later run (the tie-out passes, the payout fails) is parked
 * when it comes to be written.
 */
export interface OneStepSettlement {
  /** Documents not to be written in this pass: recorded as Sage holds them, parked, or not checked (Sage did not answer). */
  notToWrite: Set<string>;
  /** Journals parked because their payout's journal of creation could not be read back, with the reason in Sage terms. */
  parked: { doc: StoredDocument; reason: string }[];
}

export async function settleOneStepPayouts(context: RunContext, chunk: readonly StoredDocument[]): Promise<OneStepSettlement> {
  const current = context.ledger.mappings.currentMapping();
  const settlement: OneStepSettlement = { notToWrite: new Set(), parked: journalsOfUnreadCreations(context, chunk, current?.mapping ?? null) };
  for (const { doc } of settlement.parked) settlement.notToWrite.add(doc.docKey);
  if (!current) return settlement;
  const creations = creationJournals(context, chunk, current.mapping);
  if (creations.size === 0) return settlement;
  let inSage: Map<string, JournalInSage>;
  try {
    inSage = await context.sage.journalsInSage([...creations.keys()]);
  } catch (error) {
    if (error instanceof SageUnavailableError) throw error;
    // Unchecked, a journal of creation could be adopted with its arrival written beside it: both wait for the next run.
    for (const [docKey, payout] of creations) {
      settlement.notToWrite.add(docKey);
      settlement.notToWrite.add(arrivalJournalKey(payout.id));
    }
    context.emit({
      type: 'warning',
      code: 'sage-write',
      message: `${creations.size} payout journal(s) wait for the next run: Sage's cross-reference could not be read to tell whether they are in Sage already (${error instanceof Error ? error.message : String(error)})`,
    });
    return settlement;
  }
  const found: { document: JournalDocument; ref: SageRef }[] = [];
  const planned = { withdrawn: [] as string[], payouts: [] as string[] };
  for (const [docKey, payout] of creations) {
    const journal = inSage.get(docKey);
    if (!journal) continue;
    const arrivalKey = arrivalJournalKey(payout.id);
    if (journal.lines.length === 0) {
      // Recorded with the finding, so a journal planned in a later run is parked too (journalsOfUnreadCreations).
      const note = unreadableReason(payout, journal, current.mapping);
      const creation = chunk.find((stored) => stored.docKey === docKey)!.document as JournalDocument;
      found.push({ document: { ...creation, unreadInSage: { note } }, ref: journal.ref });
      settlement.notToWrite.add(docKey);
      // The arrival, and a failure planned to take the money back from in transit: either is wrong if the journal went to the bank.
      const fromInTransit = context.ledger.documents
        .documentsForObject(payout.id)
        .filter((stored) => stored.docKey !== docKey && (stored.state === 'planned' || stored.state === 'failed') && (stored.docKey === arrivalKey || touches(stored, current.mapping.accounts.payoutsInTransit)));
      for (const stored of fromInTransit) {
        settlement.notToWrite.add(stored.docKey);
        settlement.parked.push({ doc: stored, reason: note });
      }
      continue;
    }
    if (!isOneStepJournal(journal, current.mapping)) continue;
    const creation = oneStepCreation(docKey, payout, journal, current.mapping);
    found.push({ document: creation, ref: journal.ref });
    found.push({ document: recordedArrival(payout.id, docKey, creation.postDate, journal.posted), ref: journal.ref });
    settlement.notToWrite.add(docKey);
    settlement.notToWrite.add(arrivalKey);
    // A failure Stripe reported after the payout was paid was planned to take the money back from
    // in transit, before the arrival was known: it is planned again, from the bank.
    const fromInTransit = context.ledger.documents
      .documentsForObject(payout.id)
      .filter((stored) => stored.docKey !== docKey && stored.docKey !== arrivalKey && UNWRITTEN.has(stored.state) && touches(stored, current.mapping.accounts.payoutsInTransit));
    for (const stored of fromInTransit) {
      settlement.notToWrite.add(stored.docKey);
      planned.withdrawn.push(stored.docKey);
    }
    if (fromInTransit.length > 0) planned.payouts.push(payout.id);
  }
  context.ledger.inTransaction(() => {
    context.ledger.documents.recordFoundInSage(found, current.version);
    context.ledger.documents.withdrawDocuments(planned.withdrawn);
    context.ledger.objects.replanObjects(planned.payouts);
  });
  return settlement;
}

/**
 * The journals in this chunk that move a payout's money out of payouts in transit (its arrival,
 * a failure taking the money back to clearing) whose journal of creation was recorded as found
 * in Sage with no lines to read (unreadInSage), each with the note to park it with: the finding
 * outlives the run that made it, for a payout whose tie-out passes, or that fails, in a later
 * run. If Sage's journal was the earlier release's one-step journal, the money went to the bank
 * and never was in transit: the arrival would deposit it twice, the failure take it from where it
 * never was. A journal the user retried after reading the note (its last error is that note: a
 * retry keeps it) is written.
 */
function journalsOfUnreadCreations(context: RunContext, chunk: readonly StoredDocument[], mapping: Mapping | null): { doc: StoredDocument; reason: string }[] {
  const parked: { doc: StoredDocument; reason: string }[] = [];
  for (const stored of chunk) {
    const fromInTransit = stored.docKey === arrivalJournalKey(stored.stripeObjectId) || (mapping !== null && stored.stripeObjectId.startsWith('po_') && touches(stored, mapping.accounts.payoutsInTransit));
    if (!fromInTransit) continue;
    const unread = context.ledger.documents
      .documentsForObject(stored.stripeObjectId)
      .map((doc) => (doc.docKey !== stored.docKey && doc.state === 'written' && doc.document.type === 'journal' ? doc.document.unreadInSage : undefined))
      .find((finding) => finding !== undefined);
    if (unread && stored.lastError !== unread.note) parked.push({ doc: stored, reason: unread.note });
  }
  return parked;
}

const UNWRITTEN: ReadonlySet<string> = new Set(['planned', 'failed', 'dead']);

function touches(stored: StoredDocument, acctNo: string): boolean {
  return stored.document.type === 'journal' && stored.document.lines.some((line) => line.acctNo === acctNo);
}

/**
 * The chunk's payout journals of creation (by key: the payout and its balance transaction), with
 * their payout. Only journals with a line on payouts in transit can be one; the payout is read
 * from the ledger for those alone.
 */
function creationJournals(context: RunContext, chunk: readonly StoredDocument[], mapping: Mapping): Map<string, StripePayout> {
  const creations = new Map<string, StripePayout>();
  for (const stored of chunk) {
    const doc = stored.document;
    if (doc.type !== 'journal' || !doc.lines.some((line) => line.acctNo === mapping.accounts.payoutsInTransit)) continue;
    const object = context.ledger.objects.getObject(stored.stripeObjectId);
    if (object?.kind !== 'payout') continue;
    const payout = object.object as StripePayout;
    if (creationJournalKey(payout) === stored.docKey) creations.set(stored.docKey, payout);
  }
  return creations;
}

/** Sage's journal reaches the bank and never touches payouts in transit: the release before payouts in transit wrote it. */
export function isOneStepJournal(journal: JournalInSage, mapping: Mapping): boolean {
  const bank = accountIdentity(mapping.accounts.bank);
  const payoutsInTransit = accountIdentity(mapping.accounts.payoutsInTransit);
  return (
    journal.lines.some((line) => accountIdentity(line.acctNo) === bank && parseSageAmount(line.amount) !== 0n) &&
    !journal.lines.some((line) => accountIdentity(line.acctNo) === payoutsInTransit)
  );
}

/**
 * The journal of creation as Sage holds it: its lines, on their date, tracing the payout's
 * balance transaction as planned; each account named as the mapping names it (Sage's GLAcctNo
 * is unmasked), so the ledger's reports and drift checks find it.
 */
function oneStepCreation(docKey: string, payout: StripePayout, journal: JournalInSage, mapping: Mapping): JournalDocument {
  const bt = payout.balance_transaction;
  const traceId = typeof bt === 'string' ? bt : (bt?.id ?? '');
  const { bank, payoutsInTransit, clearing } = mapping.accounts;
  const mapped = new Map([bank, payoutsInTransit, clearing].map((acctNo) => [accountIdentity(acctNo), acctNo]));
  const first = journal.lines[0]!;
  return {
    type: 'journal',
    key: docKey,
    // The writer stamps every line's TranDate with the journal's post date; a posted row also carries
    // its batch's PostDate. A line with neither (a hand edit in Sage) leaves the date unknown, as Sage does.
    postDate: first.tranDate ?? first.postDate ?? '',
    stripeObjectId: payout.id,
    description: `Stripe payout ${payout.id}`,
    lines: journal.lines.map((line) => ({ acctNo: mapped.get(accountIdentity(line.acctNo)) ?? line.acctNo, amount: line.amount, comment: line.comment, traceId })),
  };
}

/** The arrival, recorded as ledger migration 6 records it: in Sage through the one journal, with no lines of its own; `posted`: found in posted GL. */
function recordedArrival(payoutId: string, creationKey: string, postDate: string, posted: boolean): JournalDocument {
  const key = arrivalJournalKey(payoutId);
  return {
    type: 'journal',
    key,
    postDate,
    stripeObjectId: payoutId,
    description: `Stripe payout ${payoutId} arrived: in the one journal ${creationKey} (clearing to the bank), booked before payouts in transit and found in Sage${posted ? ', posted (tglTransaction)' : ''}`,
    lines: [],
  };
}

function unreadableReason(payout: StripePayout, journal: JournalInSage, mapping: Mapping): string {
  const { sageNumber, batchKey, docKey } = journal.ref;
  return (
    `Sage already holds ${docKey} (journal ${sageNumber}, batch key ${String(batchKey)}) but none of its lines are pending in tglJournalDetl ` +
    `nor posted in tglTransaction under that batch and journal number (deleted, or posted where the sync cannot find them), ` +
    `so the sync cannot tell whether it took payout ${payout.id} to the bank ${mapping.accounts.bank} in one journal (the release before payouts in transit) ` +
    `or to payouts in transit ${mapping.accounts.payoutsInTransit}. Look the journal up in Sage: if it debits the bank, skip the arrival ` +
    `and any failure journal of the payout (a failure then takes the money back from the bank: book it by hand); otherwise retry them`
  );
}
