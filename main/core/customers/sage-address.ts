import type { StripeAddress } from '../stripe/objects.js';
import { quoted } from '../text/quoted.js';

/**
 * Splits a Stripe address into Sage's fixed-length fields without silently losing data:
 * text that does not fit a 40-character address line flows to the next line (up to five),
 * and whatever still does not fit is reported so the record can be fixed rather than
 * truncated behind the bookkeeper's back.
 */

export const SAGE_ADDRESS_LIMITS = {
  addrLine: 40,
  addrLines: 5,
  city: 20,
  stateId: 3,
  postalCode: 10,
  countryId: 3,
  name: 40,
  phone: 17,
  email: 256,
} as const;

export interface SageAddressFields {
  addrLines: string[];
  city: string | null;
  stateId: string | null;
  postalCode: string | null;
  countryId: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export function splitAddress(address: StripeAddress | null): { fields: SageAddressFields; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const source = [address?.line1, address?.line2].filter((part): part is string => Boolean(part?.trim()));
  const addrLines = source.flatMap((part) => wrap(part.trim(), SAGE_ADDRESS_LIMITS.addrLine));
  if (addrLines.length > SAGE_ADDRESS_LIMITS.addrLines) {
    problems.push({ field: 'AddrLine5', message: `address needs ${addrLines.length} lines of 40 characters; Sage has 5` });
  }
  return {
    fields: {
      addrLines: addrLines.slice(0, SAGE_ADDRESS_LIMITS.addrLines),
      city: fitted(address?.city, SAGE_ADDRESS_LIMITS.city, 'City', problems),
      stateId: fitted(address?.state, SAGE_ADDRESS_LIMITS.stateId, 'StateID', problems),
      postalCode: fitted(address?.postal_code, SAGE_ADDRESS_LIMITS.postalCode, 'PostalCode', problems),
      countryId: fitted(address?.country, SAGE_ADDRESS_LIMITS.countryId, 'CountryID', problems),
    },
    problems,
  };
}

/** Word-wraps text into lines of at most `width` characters, breaking long words. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    // Split into characters once: re-splitting the remainder per line made a long word quadratic (a 1 MB name took hours).
    const characters = [...word];
    let start = 0;
    while (characters.length - start > width) {
      if (current) {
        lines.push(current);
        current = '';
      }
      lines.push(characters.slice(start, start + width).join(''));
      start += width;
    }
    const rest = start === 0 ? word : characters.slice(start).join('');
    const candidate = current ? `${current} ${rest}` : rest;
    if ([...candidate].length > width) {
      lines.push(current);
      current = rest;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines;
}

export function fitted(value: string | null | undefined, limit: number, field: string, problems: FieldProblem[]): string | null {
  const text = value?.trim();
  if (!text) return null;
  if ([...text].length > limit) {
    problems.push({ field, message: `"${quoted(text)}" is longer than Sage's ${limit} characters for ${field}` });
    return null;
  }
  return text;
}
