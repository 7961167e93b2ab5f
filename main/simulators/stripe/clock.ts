/**
 * The simulator's notion of "now", in Unix seconds. Everything time-dependent (event
 * retention, late-visible events, payout arrival) reads this clock instead of the wall
 * clock, so tests can move time deterministically.
 */
export class SimulatedClock {
  constructor(private seconds: number) {}

  now(): number {
    return this.seconds;
  }

  advanceTo(seconds: number): void {
    if (seconds < this.seconds) throw new Error('The simulated clock only moves forward');
    this.seconds = seconds;
  }
}

export const SECONDS_PER_DAY = 86_400;

/** Unix seconds of the UTC midnight at or before `seconds`. */
export function utcDayStart(seconds: number): number {
  return seconds - (((seconds % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY);
}
