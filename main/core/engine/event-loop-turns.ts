import type { Clock } from '../ports/clock.js';

/**
 * Gives the event loop a turn now and then during long CPU work. Planning, and writing to the
 * Sage sandbox, await only promises that are already settled, which never lets timers and I/O
 * run: a whole plan pass (seconds at 10k objects, longer on a busy machine) would hold up the
 * Stripe CustID write-backs running beside it, and the window's requests, for its full length.
 */
export class EventLoopTurns {
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly everyMs = 50,
  ) {
    this.last = clock.now();
  }

  /** Yields to the event loop when `everyMs` have passed since the last turn. */
  async maybe(): Promise<void> {
    if (this.clock.now() - this.last < this.everyMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.last = this.clock.now();
  }
}
