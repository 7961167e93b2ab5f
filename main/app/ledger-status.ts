import type { Ledger } from '../core/ports/ledger.js';
import { lastBalanceProof } from '../core/engine/balance-proof-step.js';
import { readingPosition } from '../core/engine/run-cursors.js';
import { listErrorGroups } from './error-groups.js';
import { heldBackDocuments } from './held-back-documents.js';

/** How many records of each error group the status names as examples. */
const EXAMPLES_PER_GROUP = 3;

/**
 * What the ledger knows, without touching Stripe or Sage: counts, the last run, the reading
 * position, the last balance proof, the errors grouped by cause exactly as the Errors view
 * groups them (error-groups.ts), and the documents held back for another one with their notes.
 * `s5sync status` prints it; any other caller gets the same answer.
 */
export function ledgerStatus(ledger: Pick<Ledger, 'runs' | 'objects' | 'documents' | 'reconciliation'>) {
  const position = readingPosition(ledger.runs);
  return {
    objects: ledger.objects.countObjects(),
    documents: ledger.documents.countDocuments(),
    lastRun: ledger.runs.lastRun(),
    cursor: {
      eventsHighWater: position.eventsReadUpTo === null ? null : new Date(position.eventsReadUpTo * 1000).toISOString(),
      backfillDone: position.backfillDone,
    },
    balanceProof: lastBalanceProof(ledger.runs),
    driftFindings: ledger.reconciliation.driftFindings().length,
    errorGroups: listErrorGroups(ledger).map((group) => ({
      errorClass: group.errorClass,
      cause: group.cause,
      records: group.items.length,
      examples: group.items.slice(0, EXAMPLES_PER_GROUP).map((item) => item.docKey),
    })),
    heldBack: heldBackDocuments(ledger.documents, EXAMPLES_PER_GROUP),
  };
}

export type LedgerStatus = ReturnType<typeof ledgerStatus>;
