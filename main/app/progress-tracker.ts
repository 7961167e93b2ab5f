import type { ProgressView } from '../../preload/contract.js';
import type { RunPhase, RunProgress } from '../core/engine/engine-events.js';

/**
 * Turns the engine's progress events into what the window shows: one count per phase of the
 * run (a backfill lists Stripe kind by kind, and the count carries on across kinds instead of
 * restarting at each), a total only where the engine knows the whole phase's total, and an ETA
 * from the rate over a sliding window of recent samples (the first seconds are not typical).
 */
const WINDOW_MS = 10_000;
/** An ETA from less than this much history is noise. */
const MIN_SAMPLE_SPAN_MS = 2_000;
/**
 * Listing phases report a per-kind estimate; the kinds still to come are unknown, so no total
 * (and no ETA) is shown for the phase as a whole rather than a percentage that would be wrong.
 */
const PER_KIND_PHASES: ReadonlySet<RunPhase> = new Set(['backfill', 'catch-up']);

export class ProgressTracker {
  private samples: { at: number; done: number }[] = [];
  private phase: RunPhase | null = null;
  /** The latest count of each kind within the current phase. */
  private perKind = new Map<string, number>();
  private latest: ProgressView | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  update(progress: RunProgress): void {
    if (progress.phase !== this.phase) {
      this.phase = progress.phase;
      this.perKind = new Map();
      this.samples = [];
    }
    this.perKind.set(progress.kind ?? '', progress.done);
    const done = [...this.perKind.values()].reduce((sum, count) => sum + count, 0);
    const total = PER_KIND_PHASES.has(progress.phase) || progress.total === null ? null : Math.max(progress.total, done);
    const at = this.now();
    this.samples.push({ at, done });
    this.samples = this.samples.filter((sample) => at - sample.at <= WINDOW_MS);
    this.latest = { phase: progress.phase, kind: progress.kind, done, total, etaSeconds: this.eta(done, total) };
  }

  private eta(done: number, total: number | null): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (total === null || !first || !last || last.at - first.at < MIN_SAMPLE_SPAN_MS) return null;
    const rate = (last.done - first.done) / ((last.at - first.at) / 1000);
    return rate > 0 ? Math.ceil((total - done) / rate) : null;
  }

  clear(): void {
    this.samples = [];
    this.phase = null;
    this.perKind = new Map();
    this.latest = null;
  }

  get current(): ProgressView | null {
    return this.latest;
  }
}
