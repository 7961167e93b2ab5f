/**
 * Sage invoice references a Stripe payment may carry: what a customer or a web shop copied
 * from the Sage invoice into the payment's metadata or description. Sage stores TranNo zero-
 * padded to 10 characters (varchar(10), sources S4, S8) and shows TranID (varchar(13), S7), so
 * a reference is compared both ways: "1234" and "0000001234" name TranNo 0000001234, and
 * "0000001234-IN" names that TranID. A token without a digit is never a reference, and in free
 * text a number shorter than four digits is not one either ("3 months", "2 seats").
 */

const SHORTEST_NUMBER_IN_TEXT = 4;

const TRAN_ID_LENGTH = 13;
const TRAN_NO_LENGTH = 10;

/** The forms a reference can take in Sage: itself upper-cased, and the zero-padded TranNo when it is all digits. */
export function referenceForms(reference: string): string[] {
  const trimmed = reference.trim().replace(/^#/, '').toUpperCase();
  if (trimmed.length === 0 || trimmed.length > TRAN_ID_LENGTH || !/\d/.test(trimmed)) return [];
  if (/^\d+$/.test(trimmed) && trimmed.length <= TRAN_NO_LENGTH) return [...new Set([trimmed, trimmed.padStart(TRAN_NO_LENGTH, '0')])];
  return [trimmed];
}

/** Candidate references in free text (a charge description): words with a digit, at most as long as a TranID. */
export function referencesInText(text: string | null): string[] {
  if (!text) return [];
  const words = text
    .split(/[^A-Za-z0-9#-]+/)
    .map((word) => word.replace(/^[-#]+|-+$/g, ''))
    .filter((word) => !/^\d+$/.test(word) || word.length >= SHORTEST_NUMBER_IN_TEXT);
  return [...new Set(words.flatMap(referenceForms))];
}

/** Whether a reference form names this invoice. */
export function namesInvoice(form: string, invoice: { tranId: string; tranNo: string }): boolean {
  return form === invoice.tranId.trim().toUpperCase() || form === invoice.tranNo.trim().toUpperCase();
}
