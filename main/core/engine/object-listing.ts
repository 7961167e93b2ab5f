import type { AnySyncedObject, StripeBalanceTransaction, StripeInvoicePayment, SyncedKind } from '../stripe/objects.js';
import { storeSpineTransactions, SPINE_LIST_EXPAND } from './balance-transaction-spine.js';
import type { StripeListPath } from '../ports/stripe-api.js';
import type { RunContext } from './engine-context.js';
import { LIST_SPECS } from './list-specs.js';
import { withCompleteInvoiceLines } from './invoice-lines.js';
import { storeInvoicePayments, storeObjects } from './object-store.js';

/**
 * Lists objects of each kind created in [from, to], newest first, 100 to a request with
 * everything expanded that planning needs. After each page the position is checkpointed
 * under `checkpoint`, so a stopped backfill resumes at the next page instead of starting
 * over. Invoice payments are listed first so charges that paid invoices are recognised, and
 * the balance-transaction history last (balance-transaction-spine.ts), so every transaction
 * in the range is known whichever object it belongs to.
 */

interface Checkpoint {
  after: string | null;
  done: boolean;
}

export type ListingStep = SyncedKind | 'invoice_payment' | 'balance_transaction';

export async function listObjectsInRange(
  context: RunContext,
  steps: readonly ListingStep[],
  range: { from: number | null; to: number },
  checkpoint: string,
  phase: 'backfill' | 'catch-up',
): Promise<void> {
  for (const step of steps) {
    const name = `${checkpoint}:${step}`;
    const saved = readCheckpoint(context.ledger.runs.getCursor(name));
    if (saved.done) continue;
    const { path, expand } = listingOf(step);
    const created = range.from === null ? { lte: range.to } : { gte: range.from, lte: range.to };
    let done = 0;
    await context.stripe.listEach<AnySyncedObject | StripeInvoicePayment | StripeBalanceTransaction>(
      path,
      { created, ...(expand.length ? { expand } : {}), ...(saved.after ? { starting_after: saved.after } : {}) },
      async (page) => {
        if (step === 'invoice_payment') storeInvoicePayments(context.ledger, page as StripeInvoicePayment[]);
        else if (step === 'balance_transaction') storeSpineTransactions(context.ledger, page as StripeBalanceTransaction[]);
        else storeObjects(context.ledger, await withCompleteInvoiceLines(context.stripe, page as AnySyncedObject[]));
        const last = page[page.length - 1]!;
        context.ledger.runs.setCursor(name, JSON.stringify({ after: last.id, done: false } satisfies Checkpoint));
        done += page.length;
        context.counters.objectsSeen += page.length;
        context.emit({
          type: 'progress',
          progress: {
            phase,
            kind: step === 'invoice_payment' || step === 'balance_transaction' ? null : step,
            done,
            total: estimateTotal(done, last.created, range),
          },
        });
      },
    );
    context.ledger.runs.setCursor(name, JSON.stringify({ after: null, done: true } satisfies Checkpoint));
  }
}

function listingOf(step: ListingStep): { path: StripeListPath; expand: string[] } {
  if (step === 'invoice_payment') return { path: 'invoice_payments', expand: [] };
  if (step === 'balance_transaction') return { path: 'balance_transactions', expand: SPINE_LIST_EXPAND };
  return LIST_SPECS[step];
}

/** Objects arrive newest first, so the share of the time range covered estimates the total. */
function estimateTotal(done: number, oldestCreated: number, range: { from: number | null; to: number }): number | null {
  if (range.from === null) return null;
  const span = range.to - range.from;
  const covered = range.to - oldestCreated;
  if (span <= 0 || covered <= 0) return null;
  return Math.max(done, Math.round((done * span) / covered));
}

function readCheckpoint(text: string | null): Checkpoint {
  if (!text) return { after: null, done: false };
  return JSON.parse(text) as Checkpoint;
}

export function clearCheckpoints(context: RunContext, checkpoint: string, steps: readonly ListingStep[]): void {
  for (const step of steps) context.ledger.runs.setCursor(`${checkpoint}:${step}`, null);
}
