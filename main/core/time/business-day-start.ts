import { addDays, businessDate, type BusinessDate } from './business-date.js';

/** Time zones are at most 14 hours from UTC (Pacific/Kiritimati +14); one hour more keeps the bounds strict. */
const MAX_OFFSET_SECONDS = 15 * 3600;

/**
 * The first Unix second of a business date in `timeZone`: the inverse of businessDate, found
 * by bisection so daylight-saving days (23 or 25 hours) and odd offsets need no table.
 */
export function businessDayStart(date: BusinessDate, timeZone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`) / 1000;
  let low = utcMidnight - MAX_OFFSET_SECONDS; // still the day before everywhere
  let high = utcMidnight + MAX_OFFSET_SECONDS; // already this date everywhere
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (businessDate(middle, timeZone) >= date) high = middle;
    else low = middle;
  }
  return high;
}

/** The Unix-second range [start, end) of the business dates from `from` to `to`, both included. */
export function businessDateRange(from: BusinessDate | undefined, to: BusinessDate | undefined, timeZone: string): { createdFrom?: number; createdBefore?: number } {
  return {
    ...(from ? { createdFrom: businessDayStart(from, timeZone) } : {}),
    ...(to ? { createdBefore: businessDayStart(addDays(to, 1), timeZone) } : {}),
  };
}
