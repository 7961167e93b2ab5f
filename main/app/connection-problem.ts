import type { ConnectionProblemView } from '../../preload/contract.js';
import { StripeAuthError, StripeRateLimitError, StripeTransientError } from '../core/ports/stripe-api.js';
import type { AppSettings } from './app-settings.js';
import { errorChain, explainSqlConnectionError } from './sql-connection-problem.js';
import { SandboxMissingError } from './runtime-preconditions.js';

/**
 * Why the saved setup could not start, and whether waiting helps. Sage or Stripe out of reach
 * (the PC started before the VPN, the server is rebooting, the internet is down) is "offline":
 * the app keeps its window, retries on its own with growing pauses and says when it is back.
 * Anything else (a wrong company, a refused login, a lock held by another copy) needs a fix,
 * so the window says what and sends the bookkeeper to Settings.
 */

/** Codes the mssql/tedious chain carries when the server could not be reached at all (tedious lib/connection.js). */
const UNREACHABLE_CODES = new Set(['ESOCKET', 'ETIMEOUT', 'EINSTLOOKUP', 'ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const CERTIFICATE = /CERT|certificate/i;

/** Pauses between automatic tries: quick at first (a VPN that comes up a minute after sign-in), then every five minutes. */
export const RECONNECT_DELAYS_MS: readonly number[] = [15_000, 30_000, 60_000, 120_000, 300_000];

export function reconnectDelay(attempt: number, delays: readonly number[] = RECONNECT_DELAYS_MS): number {
  return delays[Math.min(attempt, delays.length - 1)] ?? 300_000;
}

/** Whether a Sage open failed because the server could not be reached (a certificate problem is not that: it needs a fix). */
export function isSageUnreachable(error: unknown): boolean {
  const { codes, text } = errorChain(error);
  if (CERTIFICATE.test(text)) return false;
  if (error !== null && typeof error === 'object' && 'kind' in error && (error.kind === 'unavailable' || error.kind === 'transient')) return true;
  return codes.some((code) => UNREACHABLE_CODES.has(code)) || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.test(text);
}

export function sageProblem(error: unknown, settings: AppSettings, since: Date, nextAttemptAt: Date | null): ConnectionProblemView {
  const sage = settings.sage;
  const address = { server: sage.server ?? sage.sandboxPath ?? '', port: sage.port, database: sage.database ?? '', user: sage.user ?? '' };
  const explained = sage.kind === 'mssql' ? explainSqlConnectionError(error, address) : null;
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = (reason: string): ConnectionProblemView => ({ kind: 'sage-unreachable', title: 'Cannot reach Sage 500', reason, since: since.toISOString(), nextAttemptAt: nextAttemptAt?.toISOString() ?? null });
  if (sage.kind === 'mssql' && isSageUnreachable(error)) return unreachable(`${explained!.title}. ${explained!.fix}`);
  if (error instanceof SandboxMissingError) {
    return unreachable(`The Sage sandbox file ${error.path} is not there: moved, renamed, or on a drive that is not connected yet. Put it back or choose another file in Settings.`);
  }
  // The sandbox answers as SQL Server would when the database goes away mid-day (a fault suite's port, a file on a share).
  if (isSageUnreachable(error)) return unreachable(`${message}.`.replace(/\.\.$/, '.'));
  const { codes, text } = errorChain(error);
  // A refused login or an untrusted certificate has a plain explanation; anything else is the app's own message.
  const explainable = explained !== null && (codes.includes('ELOGIN') || CERTIFICATE.test(text));
  return {
    kind: 'cannot-start',
    title: 'Stripe Sync cannot start',
    reason: explainable ? `${explained.title}. ${explained.fix}` : `${message}. Fix it in Settings, or run the setup again.`,
    since: since.toISOString(),
    nextAttemptAt: null,
  };
}

/** Stripe at start: out of reach is offline; a key Stripe refuses needs a new key. Null when neither. */
export function stripeProblem(error: unknown, since: Date, nextAttemptAt: Date | null): ConnectionProblemView | null {
  if (error instanceof StripeTransientError || error instanceof StripeRateLimitError) {
    return {
      kind: 'stripe-unreachable',
      title: 'Cannot reach Stripe',
      reason: `${error.message}. Check that this PC is online and may reach api.stripe.com over HTTPS.`,
      since: since.toISOString(),
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    };
  }
  if (error instanceof StripeAuthError && error.status === 401) {
    return { kind: 'cannot-start', title: 'Stripe Sync cannot start', reason: 'Stripe does not accept the saved key (deleted or rolled?). Enter a new key in Settings.', since: since.toISOString(), nextAttemptAt: null };
  }
  return null;
}
