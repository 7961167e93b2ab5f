import type { SyncTrigger } from '../core/schedule/sync-scheduler.js';
import { watchNetworkReturn } from './network-watch.js';

/**
 * Main process: the moments besides the poll tick when a run is considered: waking from sleep
 * and the network coming back (the scheduler still decides whether it starts). Electron-free:
 * main.ts passes powerMonitor and net.isOnline.
 */

export interface PowerMonitorLike {
  on(event: 'resume', listener: () => void): unknown;
  removeListener(event: 'resume', listener: () => void): unknown;
}

export interface RunTriggerOptions<Handle> {
  trigger: (trigger: SyncTrigger) => void;
  powerMonitor: PowerMonitorLike;
  isOnline: () => boolean;
  networkSampleMs: number;
  setInterval: (callback: () => void, ms: number) => Handle;
  clearInterval: (handle: Handle) => void;
}

/** Starts listening; the returned function stops every trigger (on quit). */
export const startRunTriggers = <Handle>(options: RunTriggerOptions<Handle>): (() => void) => {
  const onResume = (): void => options.trigger('resume');
  options.powerMonitor.on('resume', onResume);
  const stopNetworkWatch = watchNetworkReturn({
    isOnline: options.isOnline,
    onReturn: () => options.trigger('network-return'),
    everyMs: options.networkSampleMs,
    setInterval: options.setInterval,
    clearInterval: options.clearInterval,
  });
  return () => {
    options.powerMonitor.removeListener('resume', onResume);
    stopNetworkWatch();
  };
};
