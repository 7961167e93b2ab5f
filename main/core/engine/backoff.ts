/**
 * Exponential backoff with full jitter, capped. Jitter keeps several installs (or a retry
 * storm after an outage) from hammering Stripe or SQL Server in step. `random` is injected
 * so tests are deterministic.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  maxAttempts: number;
}

export const STRIPE_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 60_000, maxAttempts: 8 };

/** Transient Sage failures are retried on later runs, not in a tight loop. */
export const SAGE_RETRY: BackoffPolicy = { baseMs: 30_000, capMs: 3_600_000, maxAttempts: 10 };

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
