import { describe, expect, it } from 'vitest';
import type { SyncTrigger } from '../../main/core/schedule/sync-scheduler.js';
import { startRunTriggers } from '../../main/shell/run-triggers.js';
import { applySettingsEffects } from '../../main/shell/settings-effects.js';
import type { SettingsView } from '../../preload/contract.js';
import { FakePowerMonitor } from './fakes/electron-fakes.js';

const harness = () => {
  const triggers: SyncTrigger[] = [];
  const powerMonitor = new FakePowerMonitor();
  let online = true;
  let sample: (() => void) | null = null;
  const stop = startRunTriggers({
    trigger: (trigger) => triggers.push(trigger),
    powerMonitor,
    isOnline: () => online,
    networkSampleMs: 30_000,
    setInterval: (callback: () => void) => {
      sample = callback;
      return 'timer';
    },
    clearInterval: () => (sample = null),
  });
  return {
    triggers,
    powerMonitor,
    stop,
    setOnline: (value: boolean) => {
      online = value;
      sample?.();
    },
    sampling: () => sample !== null,
  };
};

describe('startRunTriggers', () => {
  it('considers a run when the PC wakes and when the network comes back', () => {
    const { triggers, powerMonitor, setOnline } = harness();
    powerMonitor.resume();
    setOnline(false);
    setOnline(true);
    setOnline(true);
    expect(triggers).toEqual(['resume', 'network-return']);
  });

  it('stops every trigger on quit', () => {
    const { triggers, powerMonitor, stop, sampling } = harness();
    stop();
    powerMonitor.resume();
    expect(powerMonitor.resumeListeners.size).toBe(0);
    expect(sampling()).toBe(false);
    expect(triggers).toEqual([]);
  });
});

describe('applySettingsEffects', () => {
  const settings = {
    schedule: { pollIntervalMinutes: 7, quietHours: null },
    notifications: false,
    startAtLogin: true,
    logLevel: 'debug',
  } as unknown as SettingsView;

  it('restarts the schedule, switches notifications and registers start at login hidden', () => {
    const calls: unknown[] = [];
    const returned = applySettingsEffects(settings, {
      startSchedule: (schedule) => calls.push(['schedule', schedule]),
      setNotificationsEnabled: (enabled) => calls.push(['notifications', enabled]),
      setLoginItem: (item) => calls.push(['login', item]),
      setLogLevel: (level) => calls.push(['log level', level]),
    });
    expect(returned).toBe(settings);
    expect(calls).toEqual([
      ['schedule', { pollIntervalMinutes: 7, quietHours: null }],
      ['notifications', false],
      ['login', { openAtLogin: true, args: ['--hidden'] }],
      ['log level', 'debug'],
    ]);
  });

  it('leaves start at login alone in development', () => {
    const calls: string[] = [];
    applySettingsEffects(settings, { startSchedule: () => calls.push('schedule'), setNotificationsEnabled: () => calls.push('notifications'), setLoginItem: null, setLogLevel: () => calls.push('log level') });
    expect(calls).toEqual(['schedule', 'notifications', 'log level']);
  });
});
