import type { CustomerDocument } from '../sage/documents.js';

/**
 * Sage's text columns are varchar in the database's code page (SQL_Latin1_General_CP1_CI_AS,
 * Windows-1252, on a default install). The driver would turn any character that code page
 * cannot hold into '?' without a word, so such characters are transliterated here (Ł → L,
 * ő → o) and each change is noted on the record; text with nothing to transliterate to (e.g.
 * CJK) is reported instead of written. A field the site declares nvarchar (`unicodeFields`,
 * StgCustomer column names read by the writer) holds any text: it is kept as is, without a note.
 */

/** Sage's own schema: every customer text column is varchar. */
export const NO_UNICODE_FIELDS: ReadonlySet<string> = new Set();

/** Windows-1252's characters above ASCII (0x80–0x9F printable ones, then Latin-1 0xA0–0xFF). */
const CP1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

function inCodePage(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.includes(char);
}

/** Letters NFKD does not decompose to a base letter. */
const SPECIAL: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't', Ə: 'E', ə: 'e' };

/** The text with every character outside the code page transliterated, or null when one has no transliteration. */
export function transliterate(text: string): string | null {
  let result = '';
  for (const char of text) {
    if (inCodePage(char)) {
      result += char;
      continue;
    }
    const replacement = SPECIAL[char] ?? char.normalize('NFKD').replace(/\p{M}/gu, '');
    if (replacement === '' || ![...replacement].every(inCodePage)) return null;
    result += replacement;
  }
  return result;
}

const TEXT_FIELDS = [
  ['custName', 'CustName'],
  ['city', 'City'],
  ['stateId', 'StateID'],
  ['postalCode', 'PostalCode'],
  ['contactName', 'Name'],
  ['email', 'EMailAddr'],
  ['phone', 'Phone'],
] as const;

/**
 * The document with its text in Sage's code page, the notes saying what changed, and the
 * Sage fields whose text has no transliteration.
 */
export function toSageCodePage(
  document: CustomerDocument,
  unicodeFields: ReadonlySet<string>,
): { document: CustomerDocument; notes: string[]; unwritable: string[] } {
  const notes: string[] = [];
  const unwritable: string[] = [];
  const convert = (value: string, sageField: string): string => {
    if (unicodeFields.has(sageField)) return value;
    const converted = transliterate(value);
    if (converted === null) {
      unwritable.push(`${sageField} "${value}"`);
      return value;
    }
    if (converted !== value) notes.push(`${sageField} "${value}" written as "${converted}" (Sage's varchar text is code page 1252)`);
    return converted;
  };
  const next: CustomerDocument = { ...document, addrLines: document.addrLines.map((line, index) => convert(line, `AddrLine${index + 1}`)) };
  for (const [field, sageField] of TEXT_FIELDS) {
    const value = document[field];
    if (value !== null) next[field] = convert(value, sageField);
  }
  return { document: next, notes, unwritable };
}
