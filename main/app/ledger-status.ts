import type { Ledger } from '../core/ports/ledger.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
import { readingPosition } from '../core/engine/run-cursors.js';

/** How many failed, dead and problem records the status lists (each kind). */
const LAST_ERRORS_PER_KIND = 10;

/**
 * What the ledger knows, without touching Stripe or Sage: counts, the last run, the reading
 * position, the last balance proof and the latest per-record errors. `s5sync status` prints
 * it; any other caller (the window) gets the same answer.
 */
export function ledgerStatus(ledger: Pick<Ledger, 'runs' | 'objects' | 'documents'>, ledgerPath: string) {
  const position = readingPosition(ledger.runs);
  return {
    ledger: ledgerPath,
    objects: ledger.objects.countObjects(),
    documents: ledger.documents.countDocuments(),
    lastRun: ledger.runs.lastRun(),
    cursor: {
      eventsHighWater: position.eventsReadUpTo === null ? null : new Date(position.eventsReadUpTo * 1000).toISOString(),
      backfillDone: position.backfillDone,
    },
    balanceProof: lastBalanceProof(ledger.runs),
    lastErrors: [
      ...ledger.documents.documentsInState('failed', LAST_ERRORS_PER_KIND).map((doc) => ({ record: doc.docKey, error: doc.lastError })),
      ...ledger.documents.documentsInState('dead', LAST_ERRORS_PER_KIND).map((doc) => ({ record: doc.docKey, error: doc.lastError })),
      ...ledger.objects
        .objectIssues()
        .filter((issue) => issue.errorClass !== 'waiting')
        .slice(0, LAST_ERRORS_PER_KIND)
        .map((issue) => ({ record: issue.objectId, error: issue.message })),
    ],
  };
}
