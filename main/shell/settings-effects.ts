import type { SettingsView } from '../../preload/contract.js';
import type { ScheduleSettings } from '../core/schedule/sync-scheduler.js';
import { loginItemSettingsFor } from './window-policy.js';

/**
 * Main process: what saved settings change outside the engine: the schedule, whether
 * notifications show, start at login, and how much main's own log records. Electron-free: main.ts passes the scheduler, the
 * notification center and app.setLoginItemSettings.
 */
export interface SettingsEffectTargets {
  startSchedule: (schedule: ScheduleSettings) => void;
  setNotificationsEnabled: (enabled: boolean) => void;
  /** Null in development, where it would register electron.exe itself to start at login. */
  setLoginItem: ((settings: { openAtLogin: boolean; args: string[] }) => void) | null;
  setLogLevel: (level: SettingsView['logLevel']) => void;
}

/** Applies the settings and hands them back, so it can wrap a service call that returns them. */
export const applySettingsEffects = (settings: SettingsView, targets: SettingsEffectTargets): SettingsView => {
  targets.startSchedule(settings.schedule);
  targets.setNotificationsEnabled(settings.notifications);
  targets.setLoginItem?.(loginItemSettingsFor(settings.startAtLogin));
  targets.setLogLevel(settings.logLevel);
  return settings;
};
