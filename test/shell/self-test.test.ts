import { describe, expect, it } from 'vitest';
import { isSelfTest, runSelfTest, selfTestExitCode, selfTestReportPath, selfTestReportText, selfTestSteps, waitFor, type SelfTestClock } from '../../main/shell/self-test.js';

/** A clock whose timers fire only when the test says. */
function fakeClock() {
  let now = 0;
  const timers = new Map<number, () => void>();
  let next = 0;
  const clock: SelfTestClock = {
    now: () => now,
    setTimeout: (callback) => {
      next += 1;
      timers.set(next, callback);
      return next;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
  };
  const fireAll = (advance: number): void => {
    now += advance;
    const due = [...timers.values()];
    timers.clear();
    due.forEach((callback) => callback());
  };
  return { clock, fireAll, pending: () => timers.size };
}

describe('--self-test', () => {
  it('is asked for on the command line, with an optional report path', () => {
    expect(isSelfTest(['app.exe', '--self-test'])).toBe(true);
    expect(isSelfTest(['app.exe', '--hidden'])).toBe(false);
    expect(selfTestReportPath(['app.exe', '--self-test', '--self-test-report=C:\\ci\\report.txt'], 'fallback.txt')).toBe('C:\\ci\\report.txt');
    expect(selfTestReportPath(['app.exe', '--self-test'], 'fallback.txt')).toBe('fallback.txt');
  });

  it('runs every step in order and passes with exit code 0 when all do', async () => {
    const { clock } = fakeClock();
    const order: string[] = [];
    const step = (name: string) => ({ name, run: async () => (order.push(name), `${name} fine`) });
    const report = await runSelfTest([step('tray'), step('window'), step('engine round trip')], clock);
    expect(order).toEqual(['tray', 'window', 'engine round trip']);
    expect(report).toMatchObject({ ok: true, failedStep: null });
    expect(selfTestExitCode(report)).toBe(0);
    expect(selfTestReportText(report, 'Stripe Sync 0.1.0')).toMatch(/^Stripe Sync 0\.1\.0\nSelf-test passed\.\n\nok {3}tray \(0 ms\): tray fine\n/);
  });

  it('stops at the first failing step, names it, and exits 1', async () => {
    const { clock } = fakeClock();
    let ranAfter = false;
    const report = await runSelfTest(
      [
        { name: 'tray', run: async () => 'ok' },
        { name: 'preload bridge', run: async () => Promise.reject(new Error('window.s5sync is missing')) },
        { name: 'demo sync', run: async () => ((ranAfter = true), 'ok') },
      ],
      clock,
    );
    expect(ranAfter).toBe(false);
    expect(report.failedStep).toBe('preload bridge');
    expect(selfTestExitCode(report)).toBe(1);
    expect(selfTestReportText(report, 'x')).toContain('Self-test FAILED at step "preload bridge".\n\nok   tray (0 ms): ok\nFAIL preload bridge (0 ms): window.s5sync is missing');
  });

  it('fails a step that never answers, after its timeout', async () => {
    const { clock, fireAll } = fakeClock();
    const running = runSelfTest([{ name: 'engine round trip', run: () => new Promise<string>(() => undefined) }], clock, 5_000);
    await Promise.resolve();
    fireAll(5_000);
    const report = await running;
    expect(report.steps[0]).toMatchObject({ ok: false, detail: 'no answer within 5 s', ms: 5_000 });
  });

  it('waits for a condition by polling, and passes a rejection through', async () => {
    const { clock, fireAll, pending } = fakeClock();
    let calls = 0;
    const waiting = waitFor(async () => (++calls >= 3 ? 'written' : null), 500, clock);
    for (let round = 0; round < 5 && pending() === 0; round += 1) await Promise.resolve();
    fireAll(500);
    for (let round = 0; round < 5 && pending() === 0; round += 1) await Promise.resolve();
    fireAll(500);
    expect(await waiting).toBe('written');
    expect(calls).toBe(3);
    await expect(waitFor(async () => Promise.reject(new Error('engine gone')), 500, clock)).rejects.toThrow('engine gone');
  });
});

describe('the self-test steps over fakes of the tray, window and engine', () => {
  const immediate = { setTimeout: (callback: () => void) => (queueMicrotask(callback), 0) };
  const clock = { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined };

  function ports(overrides: { bridgeAnswer?: unknown; written?: number; outcome?: 'succeeded' | 'failed' } = {}) {
    let runs = 0;
    let demo = false;
    const page = { isLoading: () => false, getURL: () => 'app://renderer/index.html', executeJavaScript: async () => overrides.bridgeAnswer ?? 'idle' };
    const service = {
      getStatus: async () => {
        // The demo's run finishes on the second look after it started.
        if (demo) runs += 1;
        const finished = demo && runs >= 2;
        return {
          state: demo && !finished ? 'syncing' : 'idle',
          lastRun: finished ? { finishedAt: '2026-11-02T12:00:00Z', outcome: overrides.outcome ?? 'succeeded', message: 'wrote nothing' } : null,
          counts: { written: finished ? (overrides.written ?? 42) : 0 },
          balanceProof: finished ? { holds: true } : null,
        } as never;
      },
      startDemo: async () => {
        demo = true;
        return {} as never;
      },
    };
    return { trayAlive: () => true, window: () => page, service };
  }

  it('passes on a working app and says what each step saw', async () => {
    const report = await runSelfTest(selfTestSteps(ports(), immediate, 1), clock);
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => `${step.name}: ${step.detail}`)).toEqual([
      'tray: tray icon created',
      'window: loaded app://renderer/index.html',
      'preload bridge and IPC: the window asked the engine through the preload: idle',
      'engine round trip: engine status idle',
      'demo sync (simulator into sandbox): 42 documents written to the Sage sandbox; balance proof holds',
    ]);
  });

  it('fails at the bridge when the page has no window.s5sync', async () => {
    const report = await runSelfTest(selfTestSteps(ports({ bridgeAnswer: false }), immediate, 1), clock);
    expect(report.failedStep).toBe('preload bridge and IPC');
  });

  it('fails the demo step when the run wrote nothing to the sandbox', async () => {
    const report = await runSelfTest(selfTestSteps(ports({ written: 0 }), immediate, 1), clock);
    expect(report.failedStep).toBe('demo sync (simulator into sandbox)');
    expect(report.steps.at(-1)?.detail).toBe('the demo run wrote nothing: wrote nothing');
  });
});
