import type { TraceOnAccount, TracedAmount } from '../../main/core/ports/ledger.js';
import type { StripeBalanceTransaction } from '../../main/core/stripe/objects.js';

/**
 * The balance proof's input from plain lists, as a test states them: each transaction with the
 * lines that carry its id, then the lines no transaction explains, grouped by trace.
 */
export function tracesOnAccount(transactions: readonly StripeBalanceTransaction[], lines: readonly TracedAmount[]): TraceOnAccount[] {
  const byTrace = new Map<string, string[]>();
  for (const line of lines) byTrace.set(line.traceId, [...(byTrace.get(line.traceId) ?? []), line.amount]);
  const traces: TraceOnAccount[] = transactions.map((transaction) => ({ traceId: transaction.id, transaction, booked: byTrace.get(transaction.id) ?? [] }));
  const ids = new Set(transactions.map((transaction) => transaction.id));
  for (const [traceId, booked] of byTrace) if (!ids.has(traceId)) traces.push({ traceId, transaction: null, booked });
  return traces;
}
