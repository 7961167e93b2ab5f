import type { JournalDocument } from '../../main/core/sage/documents.js';

/** A journal of 10.00 on the clearing and revenue accounts, tracing `traceId`, keyed `key` (its object is the key's first part): the ledger tests' plain document. */
export function twoLineJournal(key: string, traceId: string, extra: Partial<JournalDocument> = {}): JournalDocument {
  return {
    type: 'journal',
    key,
    postDate: '2026-03-10',
    stripeObjectId: key.split(':')[0]!,
    description: `Stripe ${key}`,
    lines: [
      { acctNo: '1050-00', amount: '10.000', comment: 'net', traceId },
      { acctNo: '4000-00', amount: '-10.000', comment: 'sale', traceId },
    ],
    ...extra,
  };
}
