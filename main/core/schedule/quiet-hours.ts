export interface QuietHours {
  /** Local wall-clock time "HH:MM". */
  from: string;
  to: string;
}

const minutesOfDay = (clock: string): number | null => {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(clock.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
};

/**
 * Whether `now` (local time of the finance PC) is inside quiet hours. Windows that cross
 * midnight (22:00 → 06:00) are supported; an unparsable or empty window is never quiet, so a
 * typo cannot silently stop syncing.
 */
export const isWithinQuietHours = (quietHours: QuietHours | null, now: Date): boolean => {
  if (quietHours === null) return false;
  const from = minutesOfDay(quietHours.from);
  const to = minutesOfDay(quietHours.to);
  if (from === null || to === null || from === to) return false;
  const current = now.getHours() * 60 + now.getMinutes();
  return from < to ? current >= from && current < to : current >= from || current < to;
};
