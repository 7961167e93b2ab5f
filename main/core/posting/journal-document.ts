import { parseSageAmount, sumAmounts } from '../money/sage-amount.js';
import type { JournalDocument, JournalLine } from '../sage/documents.js';
import type { BusinessDate } from '../time/business-date.js';
import { PlanningError } from './planning-error.js';

/** Builds a journal document and proves it balances before anyone can write it. */
export function journalDocument(input: {
  key: string;
  postDate: BusinessDate;
  stripeObjectId: string;
  description: string;
  lines: JournalLine[];
}): JournalDocument {
  const total = sumAmounts(input.lines.map((line) => parseSageAmount(line.amount)));
  if (total !== 0n) {
    throw new PlanningError('data', `journal ${input.key} does not balance (off by ${total} thousandths)`);
  }
  if (input.lines.length === 0) {
    throw new PlanningError('data', `journal ${input.key} has no lines`);
  }
  return { type: 'journal', ...input };
}
