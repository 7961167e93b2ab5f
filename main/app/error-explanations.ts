import { FOUND_JOURNAL_OPEN, FOUND_JOURNAL_REFUSED } from '../core/sage/found-journal.js';

/**
 * Plain-words explanations of document failures, in Sage terms, for a bookkeeper. Matched on
 * the Sage table/column names the writer puts in its messages; the fallback still says what
 * to do for each error class.
 */

export interface ErrorExplanation {
  explanation: string;
  fix: string;
}

const RULES: { pattern: RegExp; explanation: string; fix: string }[] = [
  {
    pattern: /longer than Sage's \d+ characters|lines of 40 characters/i,
    explanation:
      "A Stripe customer's details do not fit Sage's customer fields (Accounts Receivable → Maintain Customers: state 3 characters, city 20, postal code 10, name 40, five address lines of 40). Nothing is cut short behind your back, so the customer waits and is not created in Sage.",
    fix: 'Shorten the value in the Stripe Dashboard (Customers → the customer → Edit), e.g. the 2- or 3-letter state or province code. The change is picked up on the next sync; Retry plans it again now.',
  },
  {
    pattern: /only the home currency/i,
    explanation: 'This record is in a currency other than the Sage company’s home currency, which the sync cannot book.',
    fix: 'Book it by hand in Sage. If it is in the wrong currency in Stripe, correct it there; then retry.',
  },
  {
    pattern: /creating customers is turned off/i,
    explanation: 'No Sage customer matches this Stripe customer, and the mapping says not to create customers.',
    fix: 'Add the Sage customer ID to the Stripe customer’s metadata, or allow creating customers in Mapping; then retry.',
  },
  {
    pattern: /tglAccount\.Status|inactive|deleted/i,
    explanation: 'A GL account in the mapping is inactive in Sage, so Sage would refuse the journal line (General Ledger → Maintain Accounts shows it as Inactive).',
    fix: 'Make the account active again in Sage (Maintain Accounts), or choose another account in Mapping; then retry.',
  },
  {
    pattern: /does not exist in company|tglAccount\.GLAcctNo/i,
    explanation: 'A GL account in the mapping does not exist in this Sage company (General Ledger → Maintain Accounts).',
    fix: 'Create the account in Sage or correct the account number in Mapping; then retry.',
  },
  {
    pattern: /fiscal period|tglFiscalPeriod/i,
    explanation: 'The posting date falls in a fiscal period that is closed or missing in Sage (General Ledger → Set Up Fiscal Calendar).',
    fix: 'Ask whoever closes the books to reopen the period, or skip these if they were booked by hand; then retry.',
  },
  {
    pattern: /customer|tarCustomer|StgCustomer/i,
    explanation: 'Sage did not accept the customer record (Accounts Receivable → Maintain Customers), so documents for that customer wait.',
    fix: 'Check the customer class and address in Mapping or in Sage, then retry.',
  },
  {
    pattern: /timeout|deadlock|connect|ECONN|network/i,
    explanation: 'Sage (SQL Server) did not answer in time or the network dropped. Nothing was written half-way.',
    fix: 'Nothing to fix if it passes: it is retried automatically. Retry now once the finance PC reaches the server.',
  },
];

/**
 * By the error's code (SageWriteError.code), before any pattern: a message that quotes Sage's
 * lines or says "a user may have deleted the batch" would otherwise match a rule about another
 * problem.
 */
const BY_CODE: Record<string, ErrorExplanation> = {
  [FOUND_JOURNAL_REFUSED]: {
    explanation:
      "Sage already holds a journal under this document's key (tciStripeXref_STRIPE), written before the sync lost its record of it (a power cut, a rebuilt ledger, a mapping change since), with other lines than this document. The message names Sage's journal, its batch and the lines that differ. Nothing was written.",
    fix: "While Sage's batch is unposted: correct that journal in Sage so its lines are this document's, then retry. Once posted (or when its lines are gone): enter the difference in Sage as a journal entry of its own, then Accept Sage's journal with that as the reason. Do not skip it: its payouts would then wait for it for good.",
  },
  [FOUND_JOURNAL_OPEN]: {
    explanation:
      "Sage already holds a journal under this document's key (tciStripeXref_STRIPE), unposted in an open batch, written before the sync lost its record of it (a power cut, a rebuilt ledger, a mapping change since), with other lines than this document. The message names Sage's journal, its batch and the lines that differ. Nothing was written.",
    fix: "Correct that journal in Sage (its batch is open, so its lines can still be changed) so its lines are this document's, then retry: the sync then records Sage's journal as this document. Do not skip it: its payouts would then wait for it for good.",
  },
};

const BY_CLASS: Record<string, ErrorExplanation> = {
  transient: {
    explanation: 'A temporary problem reaching Sage or Stripe. Nothing was written half-way.',
    fix: 'It is retried automatically; you can also retry now.',
  },
  data: {
    explanation: 'Sage rejected this record because of its content.',
    fix: 'Read the message, correct the record in Stripe or Sage, then retry; or skip it with a reason if it was booked by hand.',
  },
  configuration: {
    explanation: 'A setting or mapping does not match this Sage company.',
    fix: 'Correct the mapping or the Sage setup named in the message, then retry all of this cause.',
  },
};

export function explainError(errorClass: string, message: string, errorCode: string | null = null): ErrorExplanation {
  const byCode = errorCode === null ? undefined : BY_CODE[errorCode];
  if (byCode) return byCode;
  const rule = RULES.find((candidate) => candidate.pattern.test(message));
  if (rule) return { explanation: rule.explanation, fix: rule.fix };
  return BY_CLASS[errorClass] ?? BY_CLASS.data!;
}
