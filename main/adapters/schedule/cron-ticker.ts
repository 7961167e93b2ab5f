import cron from 'node-cron';
import type { MinuteTicker } from '../../core/schedule/sync-scheduler.js';

/** The production MinuteTicker: node-cron at the top of every minute, overlapping ticks dropped. */
export const cronMinuteTicker: MinuteTicker = (tick) => {
  const task = cron.schedule('* * * * *', tick, { name: 's5sync-poll', noOverlap: true });
  return () => void task.destroy();
};
