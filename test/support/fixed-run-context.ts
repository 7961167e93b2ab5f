import { DEFAULT_ENGINE_OPTIONS, type RunContext } from '../../main/core/engine/engine-context.js';
import type { Ledger } from '../../main/core/ports/ledger.js';

/**
 * A run's context for driving one pass of the engine directly in a test: run 1 at a fixed
 * time (2023-11-14), default options, no listener, counters at zero; the test brings the ledger
 * and whatever Stripe and Sage the pass under test talks to.
 */
export function fixedRunContext(parts: { ledger: Ledger; stripe?: unknown; sage?: unknown }): RunContext {
  return {
    runId: 1,
    ledger: parts.ledger,
    stripe: parts.stripe ?? {},
    sage: parts.sage ?? {},
    clock: { now: () => 1_700_000_000_000, sleep: async () => undefined },
    options: DEFAULT_ENGINE_OPTIONS,
    emit: () => undefined,
    nowSeconds: () => 1_700_000_000,
    counters: { objectsSeen: 0, eventsApplied: 0, documentsWritten: 0, documentsFailed: 0 },
  } as unknown as RunContext;
}
