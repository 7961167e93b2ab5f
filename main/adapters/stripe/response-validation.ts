import { createHash } from 'node:crypto';
import type { RejectedStripeObject, StripeListPath, StripePage } from '../../core/ports/stripe-api.js';
import { describeIssues, INVOICE_LINE, LIST_ENVELOPE, OBJECT_SCHEMAS } from './object-schemas.js';

/**
 * Checks Stripe's answers against object-schemas.ts. A list page keeps its valid objects and
 * names the others (each is parked by the engine with the reason, the page goes on); a page
 * that is not a list at all is malformed as a whole.
 */

export function validateListPage(path: StripeListPath, body: unknown): StripePage<unknown> | { malformed: string } {
  const envelope = LIST_ENVELOPE.safeParse(body);
  if (!envelope.success) return { malformed: describeIssues(envelope.error) };
  const data: unknown[] = [];
  const rejected: RejectedStripeObject[] = [];
  for (const item of envelope.data.data) {
    const problem = validateObject(path, item);
    if (problem === null) data.push(item);
    else rejected.push({ key: keyOf(path, item), path, reason: problem });
  }
  const last = envelope.data.data.at(-1);
  return {
    object: 'list',
    data,
    has_more: envelope.data.has_more,
    url: typeof envelope.data['url'] === 'string' ? envelope.data['url'] : `/v1/${path}`,
    rejected,
    lastId: idOf(last),
  };
}

/** Null when the object is valid, otherwise what is wrong with it. */
export function validateObject(path: StripeListPath, object: unknown): string | null {
  const result = OBJECT_SCHEMAS[path].safeParse(object);
  return result.success ? null : describeIssues(result.error);
}

export function validateInvoiceLines(body: unknown): string | null {
  const envelope = LIST_ENVELOPE.safeParse(body);
  if (!envelope.success) return describeIssues(envelope.error);
  for (const line of envelope.data.data) {
    const result = INVOICE_LINE.safeParse(line);
    if (!result.success) return `${idOf(line) ?? 'a line without id'}: ${describeIssues(result.error)}`;
  }
  return null;
}

function idOf(object: unknown): string | null {
  if (typeof object !== 'object' || object === null) return null;
  const id = (object as Record<string, unknown>)['id'];
  return typeof id === 'string' && id !== '' ? id : null;
}

/** The object's id, or a name derived from its content so the same bad object is parked once, not once per run. */
function keyOf(path: StripeListPath, object: unknown): string {
  const id = idOf(object);
  if (id !== null) return id;
  const digest = createHash('sha256').update(JSON.stringify(object) ?? String(object)).digest('hex').slice(0, 12);
  return `${path} object without id #${digest}`;
}
