/**
 * Removes secrets from anything about to be logged or put in a diagnostics bundle. Patterns cover
 * what can leak through error messages and free text; key names cover structured objects.
 */

export const REDACTED = '[REDACTED]';

const textPatterns: { pattern: RegExp; replacement: string }[] = [
  // Stripe secret, restricted and publishable keys (live and test), plus webhook secrets; the
  // prefix is kept because "which kind of key" is useful to support and not secret.
  { pattern: /\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]+/g, replacement: `$1_$2_${REDACTED}` },
  { pattern: /\bwhsec_[A-Za-z0-9]+/g, replacement: `whsec_${REDACTED}` },
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, replacement: `Bearer ${REDACTED}` },
  { pattern: /\bBasic\s+[A-Za-z0-9+/=]{8,}/g, replacement: `Basic ${REDACTED}` },
  // Connection-string style: Password=...; Pwd="..."; password={...}
  {
    pattern: /\b(password|pwd)(\s*=\s*)("[^"]*"|'[^']*'|\{[^}]*\}|[^;"'\s]*)/gi,
    replacement: `$1$2${REDACTED}`,
  },
  // JSON text embedded in messages: "password": "..."
  {
    pattern: /("(?:password|pwd|secret|apiKey|api_key|token|authorization)"\s*:\s*")(?:[^"\\]|\\.)*"/gi,
    replacement: `$1${REDACTED}"`,
  },
  // URL credentials: mssql://user:secret@host
  { pattern: /(\/\/[^:/\s@]+:)[^@/\s]+@/g, replacement: `$1${REDACTED}@` },
];

/** Keys whose string values are secrets wherever they appear. Booleans (e.g. `passwordSet`) survive. */
const secretKey = /pass(word)?|pwd|secret|token|api[-_]?key|authorization|credential|cookie/i;

export const redactText = (text: string): string =>
  textPatterns.reduce((result, { pattern, replacement }) => result.replace(pattern, replacement), text);

const redactError = (error: Error, seen: WeakSet<object>): Error => {
  const copy = new Error(redactText(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redactText(error.stack);
  for (const [key, value] of Object.entries(error)) {
    (copy as unknown as Record<string, unknown>)[key] = redactEntry(key, value, seen);
  }
  if (error.cause !== undefined) copy.cause = redactInner(error.cause, seen);
  return copy;
};

const redactEntry = (key: string, value: unknown, seen: WeakSet<object>): unknown =>
  secretKey.test(key) && (typeof value === 'string' || typeof value === 'number') ? REDACTED : redactInner(value, seen);

const redactInner = (value: unknown, seen: WeakSet<object>): unknown => {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return redactError(value, seen);
  if (Array.isArray(value)) return value.map((item) => redactInner(item, seen));
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) copy[key] = redactEntry(key, entry, seen);
  return copy;
};

/** Returns a redacted deep copy; the input is never mutated. Errors stay Errors. */
export const redactValue = <T>(value: T): T => redactInner(value, new WeakSet()) as T;
