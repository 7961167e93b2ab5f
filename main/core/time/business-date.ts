import { describeValue } from '../money/describe-value.js';

/**
 * Stripe timestamps are Unix seconds in UTC; Sage stores business dates as datetime values
 * without a time zone. A payment at 23:30 in the company's time zone belongs to that local
 * day, so every Stripe time is converted with the company's configured IANA time zone.
 */

export type BusinessDate = string; // YYYY-MM-DD

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export class TimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`"${timeZone}" is not a time zone this computer knows (use an IANA name such as America/Chicago)`);
    this.name = 'TimeZoneError';
  }
}

let canonicalTimeZones: ReadonlySet<string> | null = null;

export function isValidTimeZone(timeZone: string): boolean {
  // The first formatter loads ICU's calendar and pattern data (about 20 ms), the largest part of
  // validating a mapping when an idle `s5sync sync --once` starts: the list of canonical zone
  // names (3 ms) answers for the usual names; aliases (US/Eastern, UTC) and other spellings
  // the formatter accepts still go to the formatter.
  canonicalTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalTimeZones.has(timeZone)) return true;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar date in `timeZone` at Unix second `unixSeconds`. */
export function businessDate(unixSeconds: number, timeZone: string): BusinessDate {
  if (!Number.isFinite(unixSeconds)) throw new RangeError(`${describeValue(unixSeconds)} is not a Unix time`);
  if (!isValidTimeZone(timeZone)) throw new TimeZoneError(timeZone);
  const parts = formatterFor(timeZone).formatToParts(new Date(unixSeconds * 1000));
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isBusinessDate(text: string): boolean {
  const match = DATE_TEXT.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Adds whole days to a business date (calendar arithmetic, no time zone involved). */
export function addDays(date: BusinessDate, days: number): BusinessDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
