import type { AppService } from '../../preload/contract.js';

/**
 * `--self-test`: the packaged app proves it runs (issue #17): the main process starts, creates the
 * tray, loads the window with the preload bridge, makes contract round trips to the engine's
 * utility process, syncs the demo (Stripe simulator into a Sage sandbox, in a throwaway data
 * folder), writes a short report and exits 0, or 1 naming the step that failed. CI runs it on the
 * built app (.github/workflows/windows.yml). Electron-free: main.ts passes the steps as closures
 * over the real tray, window and engine; test/shell/self-test.test.ts runs them as fakes.
 */

export const SELF_TEST_FLAG = '--self-test';
const REPORT_FLAG = '--self-test-report=';
/** Per step: a demo backfill on a slow CI runner takes well under this. */
export const SELF_TEST_STEP_TIMEOUT_MS = 180_000;

export const isSelfTest = (argv: readonly string[]): boolean => argv.includes(SELF_TEST_FLAG);

/** Where the report goes: `--self-test-report=PATH`, else `fallback`. */
export const selfTestReportPath = (argv: readonly string[], fallback: string): string =>
  argv.find((argument) => argument.startsWith(REPORT_FLAG))?.slice(REPORT_FLAG.length) || fallback;

export interface SelfTestStep {
  name: string;
  /** Resolves to what it saw ("status: idle, 0 documents"); rejects with why it failed. */
  run: () => Promise<string>;
}

export interface SelfTestReport {
  ok: boolean;
  failedStep: string | null;
  steps: { name: string; ok: boolean; detail: string; ms: number }[];
}

export interface SelfTestClock {
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

/** Runs the steps in order; the first that fails or outlasts its timeout ends the test. */
export async function runSelfTest(steps: readonly SelfTestStep[], clock: SelfTestClock, timeoutMs = SELF_TEST_STEP_TIMEOUT_MS): Promise<SelfTestReport> {
  const report: SelfTestReport = { ok: true, failedStep: null, steps: [] };
  for (const step of steps) {
    const started = clock.now();
    let handle: unknown = null;
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        handle = clock.setTimeout(() => reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      });
      const detail = await Promise.race([step.run(), timeout]);
      report.steps.push({ name: step.name, ok: true, detail, ms: clock.now() - started });
    } catch (error) {
      report.steps.push({ name: step.name, ok: false, detail: error instanceof Error ? error.message : String(error), ms: clock.now() - started });
      return { ...report, ok: false, failedStep: step.name };
    } finally {
      clock.clearTimeout(handle);
    }
  }
  return report;
}

export const selfTestExitCode = (report: SelfTestReport): number => (report.ok ? 0 : 1);

/** The report as the CI step uploads it and a person reads it. */
export function selfTestReportText(report: SelfTestReport, header: string): string {
  const lines = [header, report.ok ? 'Self-test passed.' : `Self-test FAILED at step "${report.failedStep ?? '?'}".`, ''];
  for (const step of report.steps) lines.push(`${step.ok ? 'ok  ' : 'FAIL'} ${step.name} (${step.ms} ms): ${step.detail}`);
  return `${lines.join('\n')}\n`;
}

/** Waits until `check` returns a value (not null), polling the status the engine pushes; rejects with the last reason. */
export function waitFor<T>(check: () => Promise<T | null>, pollMs: number, clock: Pick<SelfTestClock, 'setTimeout'>): Promise<T> {
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      check().then(
        (value) => (value === null ? clock.setTimeout(poll, pollMs) : resolve(value)),
        reject,
      );
    };
    poll();
  });
}

/** What the steps look at: the real tray, window and engine service in main.ts, fakes in tests. */
export interface SelfTestPorts {
  trayAlive: () => boolean;
  window: () => { isLoading(): boolean; getURL(): string; executeJavaScript(code: string): Promise<unknown> } | null;
  service: Pick<AppService, 'getStatus' | 'startDemo'>;
}

/** The steps, in order: tray, window, the bridge from the page through IPC to the engine, the engine, a demo sync. */
export function selfTestSteps(ports: SelfTestPorts, clock: Pick<SelfTestClock, 'setTimeout'>, pollMs = 250): SelfTestStep[] {
  const window = () => {
    const current = ports.window();
    if (!current) throw new Error('the window is gone');
    return current;
  };
  return [
    { name: 'tray', run: async () => (ports.trayAlive() ? 'tray icon created' : Promise.reject(new Error('the tray icon was destroyed'))) },
    { name: 'window', run: () => waitFor(async () => (window().isLoading() ? null : `loaded ${window().getURL()}`), pollMs, clock) },
    {
      name: 'preload bridge and IPC',
      run: async () => {
        const answer = await window().executeJavaScript("window.s5sync.request('getStatus', undefined).then((result) => result.ok && result.value.state)");
        if (typeof answer !== 'string') throw new Error(`window.s5sync did not answer getStatus (${String(answer)})`);
        return `the window asked the engine through the preload: ${answer}`;
      },
    },
    { name: 'engine round trip', run: async () => `engine status ${(await ports.service.getStatus(undefined)).state}` },
    {
      name: 'demo sync (simulator into sandbox)',
      run: async () => {
        await ports.service.startDemo(undefined);
        const status = await waitFor(async () => {
          const current = await ports.service.getStatus(undefined);
          return current.lastRun?.finishedAt && current.state !== 'syncing' ? current : null;
        }, pollMs, clock);
        if (status.lastRun?.outcome === 'failed' || status.counts.written === 0) throw new Error(`the demo run wrote nothing: ${status.lastRun?.message ?? 'no message'}`);
        return `${status.counts.written} documents written to the Sage sandbox; balance proof ${status.balanceProof?.holds ? 'holds' : 'does not hold'}`;
      },
    },
  ];
}
