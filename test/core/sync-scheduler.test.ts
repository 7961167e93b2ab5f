import cron from 'node-cron';
import { describe, expect, it, vi } from 'vitest';
import { cronMinuteTicker } from '../../main/adapters/schedule/cron-ticker.js';
import { isWithinQuietHours } from '../../main/core/schedule/quiet-hours.js';
import { decideSyncStart, SyncScheduler, type SchedulerFacts } from '../../main/core/schedule/sync-scheduler.js';

const at = (clock: string, day = '2026-03-02'): Date => new Date(`${day}T${clock}:00`);

const facts = (overrides: Partial<SchedulerFacts> = {}): SchedulerFacts => ({
  trigger: 'schedule',
  now: at('12:00'),
  settings: { pollIntervalMinutes: 10, quietHours: null },
  state: 'idle',
  requestInFlight: false,
  lastStartedAt: null,
  ...overrides,
});

describe('isWithinQuietHours', () => {
  it('handles same-day and overnight windows and ignores bad input', () => {
    expect(isWithinQuietHours({ from: '12:00', to: '13:00' }, at('12:30'))).toBe(true);
    expect(isWithinQuietHours({ from: '12:00', to: '13:00' }, at('13:00'))).toBe(false);
    expect(isWithinQuietHours({ from: '22:00', to: '06:00' }, at('23:30'))).toBe(true);
    expect(isWithinQuietHours({ from: '22:00', to: '06:00' }, at('05:59'))).toBe(true);
    expect(isWithinQuietHours({ from: '22:00', to: '06:00' }, at('06:00'))).toBe(false);
    expect(isWithinQuietHours({ from: '25:00', to: '06:00' }, at('23:00'))).toBe(false);
    expect(isWithinQuietHours({ from: '08:00', to: '08:00' }, at('08:00'))).toBe(false);
    expect(isWithinQuietHours(null, at('03:00'))).toBe(false);
  });
});

describe('decideSyncStart', () => {
  it('never starts a second run', () => {
    expect(decideSyncStart(facts({ trigger: 'manual', state: 'syncing' })).start).toBe(false);
    expect(decideSyncStart(facts({ trigger: 'manual', requestInFlight: true })).start).toBe(false);
  });

  it('runs "Sync now" immediately, even in quiet hours or before the interval is due', () => {
    const quiet = { pollIntervalMinutes: 10, quietHours: { from: '11:00', to: '13:00' } };
    expect(decideSyncStart(facts({ trigger: 'manual', settings: quiet, lastStartedAt: at('11:59') }))).toEqual({ start: true });
  });

  it('does nothing while paused', () => {
    expect(decideSyncStart(facts({ trigger: 'manual', state: 'paused' }))).toEqual({ start: false, reason: 'syncing is paused' });
  });

  it('holds automatic runs in quiet hours', () => {
    const quiet = { pollIntervalMinutes: 10, quietHours: { from: '11:00', to: '13:00' } };
    for (const trigger of ['schedule', 'resume', 'network-return'] as const) {
      expect(decideSyncStart(facts({ trigger, settings: quiet }))).toEqual({ start: false, reason: 'quiet hours' });
    }
  });

  it('polls at the configured interval', () => {
    expect(decideSyncStart(facts({ lastStartedAt: at('11:51') })).start).toBe(false);
    expect(decideSyncStart(facts({ lastStartedAt: at('11:50') })).start).toBe(true);
    expect(decideSyncStart(facts({ lastStartedAt: null })).start).toBe(true);
  });

  it('runs on resume from sleep and network return without waiting for the interval', () => {
    expect(decideSyncStart(facts({ trigger: 'resume', lastStartedAt: at('11:59') })).start).toBe(true);
    expect(decideSyncStart(facts({ trigger: 'network-return', lastStartedAt: at('11:59') })).start).toBe(true);
  });
});

describe('SyncScheduler', () => {
  const build = (startRun: () => Promise<{ started: boolean }>) => {
    let tick: () => void = () => undefined;
    const stopTicker = vi.fn();
    let now = at('12:00');
    const skipped: string[] = [];
    const scheduler = new SyncScheduler({
      ticker: (callback) => {
        tick = callback;
        return stopTicker;
      },
      now: () => now,
      startRun,
      onSkipped: (_trigger, reason) => skipped.push(reason),
    });
    return { scheduler, tick: () => tick(), setNow: (date: Date) => (now = date), stopTicker, skipped };
  };

  it('is single-flight while the engine has not answered', async () => {
    let answer: (value: { started: boolean }) => void = () => undefined;
    const startRun = vi.fn(() => new Promise<{ started: boolean }>((resolve) => (answer = resolve)));
    const { scheduler, skipped } = build(startRun);
    const first = scheduler.trigger('manual');
    await expect(scheduler.trigger('manual')).resolves.toBe(false);
    expect(skipped).toEqual(['a run is already in progress']);
    answer({ started: true });
    await expect(first).resolves.toBe(true);
    expect(startRun).toHaveBeenCalledOnce();
  });

  it('ticks on the poll interval, applies new settings at once, and stops', async () => {
    const startRun = vi.fn(async () => ({ started: true }));
    const { scheduler, tick, setNow, stopTicker } = build(startRun);
    scheduler.start({ pollIntervalMinutes: 10, quietHours: null });
    tick();
    await vi.waitFor(() => expect(startRun).toHaveBeenCalledTimes(1));
    setNow(at('12:05'));
    tick();
    scheduler.start({ pollIntervalMinutes: 5, quietHours: null });
    tick();
    await vi.waitFor(() => expect(startRun).toHaveBeenCalledTimes(2));
    scheduler.stop();
    expect(stopTicker).toHaveBeenCalledOnce();
  });

  it('follows engine state: no runs while the engine reports syncing or paused', async () => {
    const startRun = vi.fn(async () => ({ started: true }));
    const { scheduler } = build(startRun);
    scheduler.updateState('syncing');
    await expect(scheduler.trigger('resume')).resolves.toBe(false);
    scheduler.updateState('paused');
    await expect(scheduler.trigger('network-return')).resolves.toBe(false);
    scheduler.updateState('idle');
    await expect(scheduler.trigger('network-return')).resolves.toBe(true);
  });

  it('reports a failed start instead of throwing', async () => {
    const onError = vi.fn();
    const scheduler = new SyncScheduler({
      ticker: () => () => undefined,
      now: () => at('12:00'),
      startRun: async () => {
        throw new Error('engine down');
      },
      onError,
    });
    await expect(scheduler.trigger('manual')).resolves.toBe(false);
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe('cronMinuteTicker', () => {
  it('schedules one node-cron task and removes it on stop', () => {
    const before = cron.getTasks().size;
    const stop = cronMinuteTicker(() => undefined);
    expect(cron.getTasks().size).toBe(before + 1);
    stop();
    expect(cron.getTasks().size).toBe(before);
  });
});
