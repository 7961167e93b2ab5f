import type { SyncConfig } from '../adapters/config/config-file.js';
import { cronMinuteTicker } from '../adapters/schedule/cron-ticker.js';
import { openRuntime } from '../app/open-runtime.js';
import { SyncScheduler } from '../core/schedule/sync-scheduler.js';
import { createProgressPrinter } from './progress-printer.js';

/**
 * `s5sync run`: the headless service. Syncs now, then on the configured poll interval
 * outside quiet hours, never two runs at once, until SIGINT/SIGTERM (Task Scheduler and
 * service wrappers stop it that way); a run in progress finishes before the process exits.
 */
export async function runCommand(config: SyncConfig, env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  const runtime = await openRuntime(config, env);
  runtime.engine.subscribe(createProgressPrinter(write));
  const scheduler = new SyncScheduler({
    ticker: cronMinuteTicker,
    now: () => new Date(),
    startRun: async () => {
      await runtime.engine.runOnce();
      return { started: true };
    },
    onError: (error) => write(`error: ${error instanceof Error ? error.message : String(error)}`),
  });
  write(`s5sync running: every ${config.schedule.pollIntervalMinutes} minute(s)${config.schedule.quietHours ? `, quiet ${config.schedule.quietHours.from}–${config.schedule.quietHours.to}` : ''}; Ctrl+C to stop`);
  scheduler.start(config.schedule);
  await scheduler.trigger('manual');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  scheduler.stop();
  write('stopping after the current run…');
  while (runtime.engine.running) await new Promise((resolve) => setTimeout(resolve, 200));
  await runtime.close();
  return 0;
}
