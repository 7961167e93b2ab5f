import type { StripeCustomer } from '../stripe/objects.js';
import { shortenAtWordBoundary } from './shorten-text.js';
import { fitted, SAGE_ADDRESS_LIMITS, splitAddress, wrap, type FieldProblem, type SageAddressFields } from './sage-address.js';
import { quoted } from '../text/quoted.js';

/**
 * A Stripe customer's text in Sage's columns. Two modes (mapping `customers.longText`):
 * - `fit` (default): text too long for its column is fitted the way Sage integrations do it,
 *   and every change is written down as a note on the record. Long address text flows across
 *   the five 40-character address lines; a city, state or postal code too long for its column
 *   is shortened there and written in full on an address line, so the printed address is
 *   whole; a name is shortened at a word boundary and the rest continues on the first address
 *   line when a line is free; a phone number is written without its punctuation.
 * - `park`: any text that does not fit stops the customer with a data error naming the field
 *   (nothing is shortened), for sites that want to fix the Stripe record instead.
 * An e-mail address longer than Sage's 256 characters is never shortened: the address is
 * how customers are matched, and a shortened one would match the wrong customer or none.
 */
export type LongTextMode = 'fit' | 'park';

export interface FittedCustomerText extends SageAddressFields {
  custName: string;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  /** What was shortened or moved, in words for the bookkeeper. */
  notes: string[];
  /** Text that cannot be fitted; non-empty means the customer is not written. */
  problems: FieldProblem[];
}

const L = SAGE_ADDRESS_LIMITS;

export function fitCustomerText(customer: StripeCustomer, mode: LongTextMode): FittedCustomerText {
  return mode === 'park' ? parkedText(customer) : fittedText(customer);
}

function displayName(customer: StripeCustomer): string {
  return customer.name?.trim() || customer.email?.trim() || customer.id;
}

function parkedText(customer: StripeCustomer): FittedCustomerText {
  const { fields, problems } = splitAddress(customer.address);
  const name = displayName(customer);
  return {
    ...fields,
    custName: fitted(name, L.name, 'CustName', problems) ?? name,
    contactName: fitted(customer.name, L.name, 'Name', problems),
    email: fitted(customer.email, L.email, 'EMailAddr', problems),
    phone: fitted(customer.phone, L.phone, 'Phone', problems),
    notes: [],
    problems,
  };
}

function fittedText(customer: StripeCustomer): FittedCustomerText {
  const notes: string[] = [];
  const problems: FieldProblem[] = [];
  const address = customer.address;

  const streetLines = [address?.line1, address?.line2].flatMap((part) => (part?.trim() ? wrap(part.trim(), L.addrLine) : []));
  const city = fitColumn(address?.city, L.city, 'City', notes);
  const stateId = fitColumn(address?.state, L.stateId, 'StateID', notes);
  const postalCode = fitColumn(address?.postal_code, L.postalCode, 'PostalCode', notes);
  const countryId = fitColumn(address?.country, L.countryId, 'CountryID', notes);
  // When a column lost text, the whole locality goes on an address line so nothing is lost in print.
  const localityLines =
    city.shortened || stateId.shortened || postalCode.shortened
      ? wrap([address?.city, address?.state, address?.postal_code].map((part) => part?.trim()).filter(Boolean).join(' '), L.addrLine)
      : [];

  const name = displayName(customer);
  const custName = shortenAtWordBoundary(name, L.name);
  const nameLines = custName.rest ? wrap(custName.rest, L.addrLine) : [];
  if (custName.rest) notes.push(`Sage customer name shortened to "${custName.kept}" (40 characters); the full name is "${quoted(name)}"`);

  const addrLines = arrangeLines(nameLines, streetLines, localityLines, notes);

  const contact = customer.name?.trim() ? shortenAtWordBoundary(customer.name, L.name) : null;
  if (contact?.rest) notes.push(`contact name shortened to "${contact.kept}" (40 characters)`);

  return {
    addrLines,
    city: city.value,
    stateId: stateId.value,
    postalCode: postalCode.value,
    countryId: countryId.value,
    custName: custName.kept,
    contactName: contact?.kept ?? null,
    email: fitted(customer.email, L.email, 'EMailAddr', problems),
    phone: fitPhone(customer.phone, notes),
    notes,
    problems,
  };
}

/**
 * Street lines always; then the locality line and the name's continuation while lines are
 * free (the name line prints first). Street text beyond five lines is shortened on the fifth.
 */
function arrangeLines(nameLines: string[], streetLines: string[], localityLines: string[], notes: string[]): string[] {
  const max = L.addrLines;
  let street = streetLines;
  if (street.length > max) {
    const overflow = shortenAtWordBoundary(street.slice(max - 1).join(' '), L.addrLine);
    street = [...street.slice(0, max - 1), overflow.kept];
    // Quote what Sage lost, not the whole street: the kept part is on the record already.
    notes.push(`the street address needs more than ${max} lines of ${L.addrLine} characters; the end was left out: "${quoted(overflow.rest)}"`);
  }
  const locality = street.length + localityLines.length <= max ? localityLines : [];
  const continuation = street.length + locality.length + nameLines.length <= max ? nameLines : [];
  const lines = [...continuation, ...street, ...locality];
  if (localityLines.length > 0) {
    notes.push(
      locality.length > 0
        ? `the full "${quoted(locality.join(' '))}" is on address line ${lines.length - locality.length + 1}`
        : 'no address line was free for the full city, state and postal code',
    );
  }
  if (continuation.length > 0) notes.push(`the rest of the name ("${quoted(continuation.join(' '))}") is on address line 1`);
  return lines;
}

function fitColumn(value: string | null | undefined, limit: number, column: string, notes: string[]): { value: string | null; shortened: boolean } {
  const text = value?.trim();
  if (!text) return { value: null, shortened: false };
  if ([...text].length <= limit) return { value: text, shortened: false };
  // A code column (StateID, CountryID) holds a code or nothing: a cut "Hok" would be a wrong code.
  const isCode = limit <= 3;
  const kept = isCode ? null : shortenAtWordBoundary(text, limit).kept;
  notes.push(isCode ? `"${quoted(text)}" is too long for ${column} (${limit} characters); ${column} left empty` : `${column} shortened to "${kept}" (${limit} characters)`);
  return { value: kept, shortened: true };
}

/** "+1 (555) 010-2030 ext. 44" is 25 characters; its digits fit the 17 of Phone. */
function fitPhone(value: string | null, notes: string[]): string | null {
  const text = value?.trim();
  if (!text) return null;
  if ([...text].length <= L.phone) return text;
  const compact = text.replace(/[^\d+]/g, '');
  if (compact.length > 0 && compact.length <= L.phone) {
    notes.push(`phone "${quoted(text)}" written as "${compact}" (Sage has ${L.phone} characters)`);
    return compact;
  }
  notes.push(`phone "${quoted(text)}" does not fit Sage's ${L.phone} characters even without punctuation; it was left out`);
  return null;
}
