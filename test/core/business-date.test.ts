import { describe, expect, it } from 'vitest';
import { addDays, businessDate, isBusinessDate, isValidTimeZone, TimeZoneError } from '../../main/core/time/business-date.js';
import { SeededRandom } from '../../main/simulators/stripe/seeded-random.js';

const at = (iso: string): number => Date.parse(iso) / 1000;
const CHICAGO = 'America/Chicago';
const AUCKLAND = 'Pacific/Auckland';

describe('businessDate', () => {
  it('books a payment at 23:30 Chicago time on that local day, not the UTC day', () => {
    const paidAt = at('2026-03-11T04:30:00Z'); // 23:30 CDT on 10 March
    expect(businessDate(paidAt, CHICAGO)).toBe('2026-03-10');
    expect(businessDate(paidAt, 'UTC')).toBe('2026-03-11');
    expect(businessDate(at('2026-01-15T05:30:00Z'), CHICAGO)).toBe('2026-01-14'); // 23:30 CST
  });

  it.each([
    // Spring forward (8 March 2026, 02:00 CST → 03:00 CDT): midnight moves from 06:00Z to 05:00Z.
    ['2026-03-08T05:59:59Z', '2026-03-07'],
    ['2026-03-08T06:00:00Z', '2026-03-08'],
    ['2026-03-08T07:59:59Z', '2026-03-08'],
    ['2026-03-08T08:00:00Z', '2026-03-08'],
    ['2026-03-09T04:59:59Z', '2026-03-08'],
    ['2026-03-09T05:00:00Z', '2026-03-09'],
    // Fall back (1 November 2026, 02:00 CDT → 01:00 CST): the repeated hour stays on 1 November.
    ['2026-11-01T04:59:59Z', '2026-10-31'],
    ['2026-11-01T05:00:00Z', '2026-11-01'],
    ['2026-11-01T06:30:00Z', '2026-11-01'],
    ['2026-11-01T07:30:00Z', '2026-11-01'],
    ['2026-11-02T05:59:59Z', '2026-11-01'],
    ['2026-11-02T06:00:00Z', '2026-11-02'],
  ])('Chicago DST edge %s is %s', (iso, date) => {
    expect(businessDate(at(iso), CHICAGO)).toBe(date);
  });

  it.each([
    // NZDT (UTC+13) in March, NZST (UTC+12) after 5 April 2026.
    ['2026-03-10T10:59:59Z', '2026-03-10'],
    ['2026-03-10T11:00:00Z', '2026-03-11'],
    ['2026-04-04T13:59:59Z', '2026-04-05'],
    ['2026-06-30T11:59:59Z', '2026-06-30'],
    ['2026-06-30T12:00:00Z', '2026-07-01'],
    ['2026-12-31T10:59:59Z', '2026-12-31'],
    ['2026-12-31T11:00:00Z', '2027-01-01'],
  ])('Auckland %s is %s', (iso, date) => {
    expect(businessDate(at(iso), AUCKLAND)).toBe(date);
  });

  it('in UTC the business date is the UTC calendar day', () => {
    expect(businessDate(at('2026-12-31T23:59:59Z'), 'UTC')).toBe('2026-12-31');
    expect(businessDate(at('2027-01-01T00:00:00Z'), 'UTC')).toBe('2027-01-01');
    expect(businessDate(0, 'UTC')).toBe('1970-01-01');
    expect(businessDate(at('2028-02-29T12:00:00Z'), 'UTC')).toBe('2028-02-29');
  });

  it('refuses a time zone the computer does not know, naming it', () => {
    expect(isValidTimeZone('America/Chicago')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    // Names outside the canonical list that the formatter, and so businessDate, accepts.
    for (const alias of ['UTC', 'US/Eastern', 'america/chicago', 'Etc/GMT+6']) {
      expect(isValidTimeZone(alias)).toBe(true);
      expect(businessDate(0, alias)).toMatch(/^19(69|70)-/);
    }
    expect(() => businessDate(0, 'Mars/Olympus_Mons')).toThrow(TimeZoneError);
    expect(() => businessDate(0, 'Central Time')).toThrow(/"Central Time" is not a time zone/);
  });

  it('gives the date ICU formats in the zone, across offset changes, odd offsets and midnight changes', () => {
    // The oracle formats each time directly; businessDate works from the zone's offset per hour.
    const zones = [
      CHICAGO,
      AUCKLAND,
      'Australia/Lord_Howe', // a half-hour daylight-saving change
      'Asia/Kathmandu', // +05:45
      'Pacific/Chatham', // +12:45 / +13:45
      'America/St_Johns', // -03:30 / -02:30
      'America/Havana', // changes at midnight
      'America/Santiago', // changes at 24:00
      'Africa/Casablanca', // daylight saving suspended for Ramadan
      'Pacific/Apia', // skipped 30 December 2011
      'Europe/Dublin', // negative daylight saving in tzdata
      'US/Eastern',
      'Etc/GMT+6',
    ];
    const random = new SeededRandom(19);
    for (const zone of zones) {
      const oracle = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
      const expected = (unixSeconds: number): string => oracle.format(new Date(unixSeconds * 1000));
      const times = [0, 1_325_203_200, 2 ** 32 - 1, 2 ** 32, -86_400, 1_790_000_000.5, ...Array.from({ length: 300 }, () => random.int(0, 2 ** 32 - 1))];
      // St John's fell back at 00:01 until 2011, inside the hour from 02:00Z: 02:30:59Z is 7 November 00:00, 02:45Z is 6 November 23:15.
      times.push(at('2010-11-07T02:00:00Z'), at('2010-11-07T02:30:59Z'), at('2010-11-07T02:45:00Z'), at('2010-11-07T02:59:59Z'));
      // The first, last and a random second of every third hour over 2011, 2026 and 2027.
      for (const [from, to] of [[1_293_840_000, 1_325_376_000], [1_767_225_600, 1_830_297_600]] as const) {
        for (let hour = from; hour < to; hour += 3 * 3_600) times.push(hour, hour + 3_599, hour + random.int(0, 3_599));
      }
      const wrong = times.filter((unixSeconds) => businessDate(unixSeconds, zone) !== expected(unixSeconds));
      expect(wrong.map((unixSeconds) => `${zone} ${unixSeconds}: ${businessDate(unixSeconds, zone)}, not ${expected(unixSeconds)}`)).toEqual([]);
    }
  });

  it('refuses a non-finite Unix time', () => {
    expect(() => businessDate(Number.NaN, 'UTC')).toThrow(RangeError);
    expect(() => businessDate(Number.POSITIVE_INFINITY, 'UTC')).toThrow(RangeError);
  });
});

describe('calendar helpers', () => {
  it('validates YYYY-MM-DD dates', () => {
    expect(isBusinessDate('2028-02-29')).toBe(true);
    expect(isBusinessDate('2026-02-29')).toBe(false);
    expect(isBusinessDate('2026-13-01')).toBe(false);
    expect(isBusinessDate('2026-3-1')).toBe(false);
  });

  it('adds days across month, year and DST boundaries without a time zone', () => {
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
