import { describe, expect, it } from 'vitest';
import { runCrashScenario } from '../reliability/crash-scenario.js';

/** Days of history and kills; S5_SOAK_DAYS and S5_SOAK_KILLS run a shorter form (the full soak takes about ten minutes). */
const DAYS = Number(process.env.S5_SOAK_DAYS ?? 60);
const KILLS = Number(process.env.S5_SOAK_KILLS ?? 200);

/** The long crash campaign: 200 SIGKILLs over 60 days of Stripe history plus the days added while it runs. */
describe('crash soak', () => {
  it('200 kills, 60 days: exactly the documents of an uninterrupted run', async () => {
    const report = await runCrashScenario({
      stripeSeed: 61,
      days: DAYS,
      seed: 20260202,
      kills: KILLS,
      maxDelayMs: 900,
      windowEvery: 3,
      windowMaxCommit: 300,
      writeDelayMs: 1,
      advanceHours: 24,
    });
    console.log(`SOAK crash: ${JSON.stringify({ ...report, finalSummary: report.finalSummary.outcome })}`);
    expect(report.randomKills + report.windowKills).toBeGreaterThanOrEqual(KILLS);
  });
});
