import { describe, expect, it } from 'vitest';
import { businessDateRange, businessDayStart } from '../../main/core/time/business-day-start.js';

describe('businessDayStart', () => {
  it('is local midnight, as the UTC instant written out by hand', () => {
    // Chicago is UTC−6 in November (CST) and UTC−5 in July (CDT).
    expect(businessDayStart('2026-11-02', 'America/Chicago')).toBe(Date.parse('2026-11-02T06:00:00Z') / 1000);
    expect(businessDayStart('2026-07-01', 'America/Chicago')).toBe(Date.parse('2026-07-01T05:00:00Z') / 1000);
    expect(businessDayStart('2026-11-02', 'Asia/Kolkata')).toBe(Date.parse('2026-11-01T18:30:00Z') / 1000);
    expect(businessDayStart('2026-11-02', 'Pacific/Kiritimati')).toBe(Date.parse('2026-11-01T10:00:00Z') / 1000);
  });

  it('handles the daylight-saving days: a 23-hour and a 25-hour day', () => {
    expect(businessDayStart('2026-03-09', 'America/Chicago') - businessDayStart('2026-03-08', 'America/Chicago')).toBe(23 * 3600);
    expect(businessDayStart('2026-11-02', 'America/Chicago') - businessDayStart('2026-11-01', 'America/Chicago')).toBe(25 * 3600);
  });

  it('turns an inclusive date range into a half-open range of seconds', () => {
    expect(businessDateRange('2026-11-01', '2026-11-02', 'UTC')).toEqual({
      createdFrom: Date.parse('2026-11-01T00:00:00Z') / 1000,
      createdBefore: Date.parse('2026-11-03T00:00:00Z') / 1000,
    });
    expect(businessDateRange(undefined, undefined, 'UTC')).toEqual({});
  });
});
