import type { ProgressView } from '../../preload/contract.js';
import type { RunProgress } from '../core/engine/engine-events.js';

/**
 * Turns the engine's progress events into what the window shows, with an ETA from the rate
 * over a sliding window of recent samples (the first seconds of a backfill are not typical).
 */
const WINDOW_MS = 10_000;

export class ProgressTracker {
  private samples: { at: number; done: number }[] = [];
  private key = '';
  private latest: ProgressView | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  update(progress: RunProgress): void {
    const key = `${progress.phase}:${progress.kind ?? ''}`;
    if (key !== this.key) {
      this.key = key;
      this.samples = [];
    }
    const at = this.now();
    this.samples.push({ at, done: progress.done });
    this.samples = this.samples.filter((sample) => at - sample.at <= WINDOW_MS);
    this.latest = { phase: progress.phase, kind: progress.kind, done: progress.done, total: progress.total, etaSeconds: this.eta(progress) };
  }

  private eta(progress: RunProgress): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (progress.total === null || !first || !last || last.at === first.at) return null;
    const rate = (last.done - first.done) / ((last.at - first.at) / 1000);
    return rate > 0 ? Math.max(0, Math.round((progress.total - progress.done) / rate)) : null;
  }

  clear(): void {
    this.samples = [];
    this.key = '';
    this.latest = null;
  }

  get current(): ProgressView | null {
    return this.latest;
  }
}
