/**
 * Sage 500 GL account numbers are segmented by the company's account mask, e.g. `4000-10`
 * where `4000` is the natural account and `10` the department. A segment is the run of
 * letters and digits between separators (any other character: `-`, `.`, `/`), counted from 1.
 */

export function segmentCount(acctNo: string): number {
  return segmentsOf(acctNo).filter((part) => !isSeparator(part)).length;
}

/** The account with segment `segment` replaced by `value`, or null when the account has fewer segments. */
export function withSegment(acctNo: string, segment: number, value: string): string | null {
  const parts = segmentsOf(acctNo);
  let seen = 0;
  for (let index = 0; index < parts.length; index += 1) {
    if (isSeparator(parts[index]!)) continue;
    seen += 1;
    if (seen === segment) {
      parts[index] = value;
      return parts.join('');
    }
  }
  return null;
}

function segmentsOf(acctNo: string): string[] {
  return acctNo.match(/[A-Za-z0-9]+|[^A-Za-z0-9]+/g) ?? [];
}

function isSeparator(part: string): boolean {
  return !/^[A-Za-z0-9]/.test(part);
}
