import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../main/app/progress-tracker.js';

describe('ProgressTracker', () => {
  it('carries the backfill count on across kinds instead of restarting, with no made-up total', () => {
    let now = 0;
    const tracker = new ProgressTracker(() => now);
    tracker.update({ phase: 'backfill', kind: 'charge', done: 300, total: 310 });
    now = 1_000;
    tracker.update({ phase: 'backfill', kind: 'charge', done: 600, total: 620 });
    now = 2_000;
    tracker.update({ phase: 'backfill', kind: 'refund', done: 40, total: 95 });
    expect(tracker.current).toEqual({ phase: 'backfill', kind: 'refund', done: 640, total: null, etaSeconds: null });
  });

  it('estimates time left only for a phase with a whole total, after enough samples, and starts over on a new phase', () => {
    let now = 0;
    const tracker = new ProgressTracker(() => now);
    tracker.update({ phase: 'refresh', kind: null, done: 0, total: 1_000 });
    now = 1_000;
    tracker.update({ phase: 'refresh', kind: null, done: 100, total: 1_000 });
    expect(tracker.current?.etaSeconds).toBeNull();
    now = 2_000;
    tracker.update({ phase: 'refresh', kind: null, done: 200, total: 1_000 });
    // 100 a second, 800 to go.
    expect(tracker.current).toMatchObject({ done: 200, total: 1_000, etaSeconds: 8 });
    tracker.update({ phase: 'planning', kind: null, done: 5, total: null });
    expect(tracker.current).toEqual({ phase: 'planning', kind: null, done: 5, total: null, etaSeconds: null });
  });
});
