import { quoted } from '../text/quoted.js';

/**
 * Text for an unexpected value in an error message. `String(value)` itself throws for objects
 * whose toString is not a function, and a malformed Stripe payload must never turn a clear
 * per-record error into a crash.
 */
export function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return quoted(String(value));
  try {
    return quoted(JSON.stringify(value) ?? typeof value);
  } catch {
    return typeof value;
  }
}
