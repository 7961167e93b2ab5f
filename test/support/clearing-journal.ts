import type { JournalDocument } from '../../main/core/sage/documents.js';

/** A journal of `objectId` tracing `traceIds`, one clearing line (1050-00) and its counter line (6150-00) of `cents` each. */
export function clearingJournal(key: string, objectId: string, traceIds: readonly string[], cents = 100): JournalDocument {
  return {
    type: 'journal',
    key,
    postDate: '2026-03-10',
    stripeObjectId: objectId,
    description: key,
    lines: traceIds.flatMap((traceId) => [
      { acctNo: '1050-00', amount: (cents / 100).toFixed(3), comment: traceId, traceId },
      { acctNo: '6150-00', amount: (-cents / 100).toFixed(3), comment: traceId, traceId },
    ]),
  };
}
