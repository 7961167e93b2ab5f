import { isDailySummary } from '../posting/daily-summary.js';
import type { SageDocument } from '../sage/documents.js';
import { explainRules } from './plan-with-rules.js';

/**
 * What the business rules did to a document, in words, as `s5sync preview` and the Activity
 * detail show it. A daily summary adds many transactions up per account, so its explanation
 * is each part's own, named by the Stripe object it books: "ch_123 (ch_123:txn_456): rule
 * "EU web shop" set revenue to 4030-00". Given `objectId`, only that object's parts are
 * explained (the rest of the day's summary is other objects' business).
 */
export function explainDocumentRules(document: SageDocument, objectId: string | null = null): string[] {
  if (!isDailySummary(document)) return explainRules(document.rules);
  return document.summary.parts
    .filter((part) => objectId === null || part.stripeObjectId === objectId)
    .flatMap((part) => explainRules(part.rules).map((line) => `${part.stripeObjectId} (${part.key}): ${line}`));
}
