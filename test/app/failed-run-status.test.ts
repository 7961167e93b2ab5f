import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { DEFAULT_APP_SETTINGS, saveAppSettings } from '../../main/app/app-settings.js';
import { switchableSage } from '../support/switchable-sage.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { DEFAULT_SIMULATED_NOW, startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { createMemoryCredentialStore } from '../ui/memory-credential-store.js';

/**
 * A run that fails because Sage went away is an outage, not a problem for the bookkeeper: while
 * the app asks Sage and Stripe whether they answer, no status may present the failed run as
 * "needs attention" (the tray would announce it beside "Cannot reach Sage 500").
 */

const SIMULATED_TODAY = new Date(DEFAULT_SIMULATED_NOW * 1000).toISOString().slice(0, 10);
/** Longer than the session's timed status updates (200 ms), so one is due while Sage is being asked. */
const SLOW_REFUSAL_MS = 600;

let workDir: string;
let simulator: StripeSimulator;
let service: ClosableAppService;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 's5sync-failed-run-status-'));
  simulator = await startStripeSimulator({ days: 2, now: DEFAULT_SIMULATED_NOW });
});

afterAll(async () => {
  await service?.close();
  await simulator.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('the status while a failed run is judged', () => {
  it('says "syncing" until Sage answers, then "offline", never "attention" in between', async () => {
    const sage = switchableSage({ refuseAfterMs: SLOW_REFUSAL_MS, cause: { message: 'connect ETIMEDOUT 10.0.0.5:1433', code: 'ETIMEOUT' } });
    const sandboxPath = join(workDir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: SIMULATED_TODAY });
    const dataDir = join(workDir, 'profile');
    mkdirSync(dataDir, { recursive: true });
    saveAppSettings(dataDir, { ...DEFAULT_APP_SETTINGS, configured: true, shadowMode: false, stripe: { ...DEFAULT_APP_SETTINGS.stripe, apiBase: simulator.apiBase }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } });
    const credentials = createMemoryCredentialStore();
    await credentials.set('stripeApiKey', ['sk', 'test', 'failedrunstatus1'].join('_'));
    const clock = { now: () => simulator.now() * 1000, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20))) };
    service = await createAppService({ dataDir, env: {}, credentials, reconnectDelaysMs: [60_000], runtimeOptions: { clock, wrapSage: sage.wrap } });
    await service.syncNow(undefined);
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 120_000 }).toBe('idle');

    // New Stripe activity to write, so the run needs Sage.
    simulator.advanceSeconds(6 * 3_600);
    sage.down = true;
    const seen: { state: string; attention: string[] }[] = [];
    const stop = service.onEvent('status', (status) => seen.push({ state: status.state, attention: status.attention.map((item) => item.id) }));
    await service.syncNow(undefined);
    // Asked every 20 ms, as the tray's periodic check or the window may ask at any moment.
    const deadline = Date.now() + 60_000;
    while (seen.at(-1)?.state !== 'offline' && Date.now() < deadline) {
      const status = await service.getStatus(undefined);
      seen.push({ state: status.state, attention: status.attention.map((item) => item.id) });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stop();
    const beforeOffline = seen.slice(0, seen.findIndex((status) => status.state === 'offline'));
    expect(beforeOffline.length).toBeGreaterThan(0);
    expect(beforeOffline.filter((status) => status.state !== 'syncing')).toEqual([]);
    const offline = await service.getStatus(undefined);
    expect(offline.connection?.kind).toBe('sage-unreachable');
    expect(offline.attention.map((item) => item.id)).not.toContain('last-run-failed');
  }, 180_000);
});
