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
  if (Number.isInteger(unixSeconds) && unixSeconds >= 0 && unixSeconds < LAST_CACHED_SECOND) {
    const offset = hourOffsets(timeZone).offsetAt(unixSeconds);
    if (offset !== null) return utcDate(Math.floor((unixSeconds + offset) / SECONDS_PER_DAY));
  }
  return formattedDate(unixSeconds, timeZone);
}

/** The date as ICU gives it: the definition the shortcut of `businessDate` is checked against. */
function formattedDate(unixSeconds: number, timeZone: string): BusinessDate {
  const parts = formatterFor(timeZone).formatToParts(new Date(unixSeconds * 1000));
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const SECONDS_PER_HOUR = 3_600;
const SECONDS_PER_DAY = 86_400;
/** Whole seconds from 1970 to 2106: four-digit years, and far past any Stripe time. */
const LAST_CACHED_SECOND = 2 ** 32;
/** Hours remembered per zone before the memory starts over (about eleven years of them). */
const MAX_HOURS_PER_ZONE = 100_000;

/**
 * A zone's offset from UTC by hour of Unix time, asked of ICU once per hour instead of a
 * formatted date per call (about 4 µs each; 4,980 calls in a 10k backfill over 30 days). An hour
 * whose first and last second have the same offset has it throughout: a zone's offset changes
 * months apart, never twice within an hour. An hour with a change in it (or a wall-clock time
 * this ICU prints in another shape) gives null, and its times are formatted one by one as before.
 */
class HourOffsets {
  private readonly byHour = new Map<number, number | null>();
  private readonly formatter: Intl.DateTimeFormat;
  /** The order this ICU prints the fields in (en-US: month, day, year, hour, minute, second). */
  private readonly fields: readonly string[];

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    this.fields = this.formatter.formatToParts(new Date(0)).filter((part) => part.type !== 'literal').map((part) => part.type);
  }

  /** Seconds to add to `unixSeconds` for the local wall-clock time, or null to format it instead. */
  offsetAt(unixSeconds: number): number | null {
    const hour = Math.floor(unixSeconds / SECONDS_PER_HOUR);
    let offset = this.byHour.get(hour);
    if (offset === undefined) {
      const first = this.offsetOf(hour * SECONDS_PER_HOUR);
      offset = first !== null && first === this.offsetOf(hour * SECONDS_PER_HOUR + SECONDS_PER_HOUR - 1) ? first : null;
      if (this.byHour.size >= MAX_HOURS_PER_ZONE) this.byHour.clear();
      this.byHour.set(hour, offset);
    }
    return offset;
  }

  /** The offset at one second, from the wall-clock time ICU formats. */
  private offsetOf(unixSeconds: number): number | null {
    // format() and its digits: a third of formatToParts' cost.
    const digits = this.formatter.format(new Date(unixSeconds * 1000)).match(/\d+/g);
    if (digits?.length !== this.fields.length) return null;
    const field = (type: string): number => Number(digits[this.fields.indexOf(type)]);
    return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second')) / 1000 - unixSeconds;
  }
}

const hourOffsetsByZone = new Map<string, HourOffsets>();

function hourOffsets(timeZone: string): HourOffsets {
  let offsets = hourOffsetsByZone.get(timeZone);
  if (!offsets) hourOffsetsByZone.set(timeZone, (offsets = new HourOffsets(timeZone)));
  return offsets;
}

/** Days 1970–2106 as text, made once each (at most about 50,000). */
const dayTexts = new Map<number, BusinessDate>();

/** YYYY-MM-DD of a day counted from 1970-01-01 (years 1970–2106 have four digits). */
function utcDate(day: number): BusinessDate {
  let text = dayTexts.get(day);
  if (text === undefined) dayTexts.set(day, (text = new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10)));
  return text;
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
