import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../preload/contract.js';
import { createAppService, type AppServiceOptions, type ClosableAppService } from '../../main/app/app-service.js';
import { DEFAULT_APP_SETTINGS, saveAppSettings, type AppSettings } from '../../main/app/app-settings.js';
import { switchableSage } from '../support/switchable-sage.js';
import { decideNotifications, initialNotificationState, type NotificationPolicyState } from '../../main/shell/notification-policy.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { DEFAULT_SIMULATED_NOW, startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { launchChromium, TRAY_WINDOW } from './browser.js';
import { createMemoryCredentialStore } from './memory-credential-store.js';
import { buildRenderer, serveDirectory } from './renderer-server.js';
import { connectPage } from './service-bridge.js';

/**
 * Sage or Stripe going away and coming back, in headless Chromium against the real AppService
 * and engine: at start (the Sage sandbox file not at its path, as a share not connected yet)
 * and mid-day after a good run (Stripe behind a switchable TCP relay that refuses connections
 * while off; Sage behind a port that fails as the mssql driver does when the server is gone).
 * Every wait polls the window or the service; nothing sleeps a fixed time.
 */

const stripeKey = (tail: string) => ['rk', 'test', tail].join('_');
const SIMULATED_TODAY = '2026-11-02';

let workDir: string;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };
const cleanups: (() => Promise<void> | void)[] = [];

/** A TCP relay to the simulator that can be switched off (connections refused, open ones cut) and on again on the same port. */
async function switchableRelay(targetPort: number): Promise<{ port: number; off: () => Promise<void>; on: () => Promise<void>; close: () => Promise<void> }> {
  let relay: Server | null = null;
  const open = new Set<Socket>();
  let port = 0;
  const on = async (): Promise<void> => {
    const listening = createServer((incoming) => {
      const outgoing = connect(targetPort, '127.0.0.1');
      open.add(incoming).add(outgoing);
      incoming.pipe(outgoing).pipe(incoming);
      const drop = () => {
        incoming.destroy();
        outgoing.destroy();
        open.delete(incoming);
        open.delete(outgoing);
      };
      incoming.on('error', drop).on('close', drop);
      outgoing.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => listening.listen(port, '127.0.0.1', resolve));
    const address = listening.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    port = address.port;
    relay = listening;
  };
  const off = async (): Promise<void> => {
    const closing = relay;
    relay = null;
    for (const socket of open) socket.destroy();
    open.clear();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  await on();
  return { port, on, off, close: off };
}

/** The Sage port as the engine gets it, failing every call while `down` as the mssql driver does when the server is gone. */
interface Window {
  page: Page;
  service: ClosableAppService;
}

async function openWindow(name: string, settings: Partial<AppSettings>, runtimeOptions: AppServiceOptions['runtimeOptions']): Promise<Window> {
  const dataDir = join(workDir, name);
  mkdirSync(dataDir, { recursive: true });
  saveAppSettings(dataDir, { ...DEFAULT_APP_SETTINGS, configured: true, shadowMode: false, ...settings });
  const credentials = createMemoryCredentialStore();
  await credentials.set('stripeApiKey', stripeKey(`${name.replace(/\W/g, '')}1`));
  const service = await createAppService({ dataDir, env: {}, credentials, reconnectDelaysMs: [300], runtimeOptions });
  const page = await browser.newPage({ viewport: TRAY_WINDOW });
  const disconnect = await connectPage(page, service);
  cleanups.push(async () => {
    disconnect();
    await page.close();
    await service.close();
  });
  await page.goto(server.url);
  return { page, service };
}

/** The engine on the simulator's clock; its backoff pauses kept short so a refused Stripe fails the run in seconds. */
const simulatorClock = (simulator: StripeSimulator) => ({ now: () => simulator.now() * 1000, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20))) });

const journalLines = (sandboxPath: string): number => {
  const sage = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    return (sage.prepare('SELECT COUNT(*) AS n FROM tglJournalDetl').get() as { n: number }).n;
  } finally {
    sage.close();
  }
};

/** Notifications as the tray would show them, status by status. */
function notices(): { seen: string[]; follow: (status: StatusSnapshot) => void } {
  let policy: NotificationPolicyState = initialNotificationState;
  const seen: string[] = [];
  return {
    seen,
    follow: (status) => {
      const decision = decideNotifications(policy, status, Date.now(), { enabled: true });
      policy = decision.state;
      seen.push(...decision.notifications.map((notice) => notice.title));
    },
  };
}

const settled = async (service: ClosableAppService, runs: number): Promise<StatusSnapshot> => {
  await expect.poll(async () => (await service.getStatus(undefined)).lastRun?.runId ?? 0, { timeout: 120_000 }).toBeGreaterThanOrEqual(runs);
  await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 120_000 }).not.toBe('syncing');
  return service.getStatus(undefined);
};

describe('offline and back: Sage and Stripe out of reach at start and mid-day', () => {
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 's5sync-outage-ui-'));
    await buildRenderer(join(workDir, 'renderer'));
    server = await serveDirectory(join(workDir, 'renderer'));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await browser?.close();
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('says "Cannot reach Sage 500" while the Sage file is away, then "Connected to Sage 500 again", and the missed run writes to Sage', async () => {
    const simulator = await startStripeSimulator({ days: 3, now: DEFAULT_SIMULATED_NOW });
    cleanups.push(() => simulator.close());
    const sandboxPath = join(workDir, 'sage-away.sqlite');
    createSandbox(sandboxPath, { today: SIMULATED_TODAY });
    renameSync(sandboxPath, `${sandboxPath}.away`);
    const { page, service } = await openWindow('sage-away', { stripe: { apiBase: simulator.apiBase }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } }, { clock: simulatorClock(simulator) });
    const tray = notices();
    const offline = page.getByRole('alert', { name: 'Cannot reach Sage 500' });
    await offline.waitFor();
    expect(await offline.textContent()).toContain(`The Sage sandbox file ${sandboxPath} is not there`);
    expect(await offline.textContent()).toMatch(/Trying again on its own at/);
    const down = await service.getStatus(undefined);
    expect(down.state).toBe('offline');
    tray.follow(down);
    tray.follow(await service.getStatus(undefined));
    expect(tray.seen).toEqual(['Cannot reach Sage 500']);

    renameSync(`${sandboxPath}.away`, sandboxPath);
    await page.getByRole('status', { name: 'Connected to Sage 500 again' }).waitFor({ timeout: 60_000 });
    expect(await offline.count()).toBe(0);
    tray.follow(await service.getStatus(undefined));
    expect(tray.seen).toEqual(['Cannot reach Sage 500', 'Connected to Sage 500 again']);
    const after = await settled(service, 1);
    expect(after.lastRun?.outcome).not.toBe('failed');
    // The simulated payouts still on their way arrive after the engine's clock: nothing to announce
    // once the run has settled (judged by the wall clock instead, they read as "past the arrival date").
    expect(after.notInSage.payoutsNotTiedOut).toBe(0);
    tray.follow(after);
    expect(tray.seen).toEqual(['Cannot reach Sage 500', 'Connected to Sage 500 again']);
    expect(after.counts.written).toBeGreaterThan(0);
    expect(journalLines(sandboxPath)).toBeGreaterThan(0);
  }, 240_000);

  it('goes offline when Stripe stops answering after a good run: banner, tray state, one notice naming Stripe; retries on its own and syncs when it is back', async () => {
    const simulator = await startStripeSimulator({ days: 3, now: DEFAULT_SIMULATED_NOW });
    cleanups.push(() => simulator.close());
    const relay = await switchableRelay(Number(new URL(simulator.apiBase).port));
    cleanups.push(() => relay.close());
    const sandboxPath = join(workDir, 'stripe-midday.sqlite');
    createSandbox(sandboxPath, { today: SIMULATED_TODAY });
    const { page, service } = await openWindow('stripe-midday', { stripe: { apiBase: `http://127.0.0.1:${relay.port}` }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } }, { clock: simulatorClock(simulator) });
    await service.syncNow(undefined);
    const good = await settled(service, 1);
    expect(good.lastRun?.outcome).not.toBe('failed');
    expect(good.connection).toBeNull();
    const tray = notices();
    tray.follow(good);
    const seenBefore = tray.seen.length;
    cleanups.push(service.onEvent('status', tray.follow));

    await relay.off();
    simulator.advanceSeconds(3_600);
    await service.syncNow(undefined);
    const offline = page.getByRole('alert', { name: 'Cannot reach Stripe' });
    await offline.waitFor({ timeout: 120_000 });
    const down = await service.getStatus(undefined);
    expect(down.state).toBe('offline');
    expect(down.lastRun?.outcome).toBe('failed');
    // The failed run is the outage, not a second problem: one notice, naming Stripe.
    expect(down.attention.map((item) => item.id)).not.toContain('last-run-failed');
    expect(tray.seen.slice(seenBefore)).toEqual(['Cannot reach Stripe']);

    await relay.on();
    await page.getByRole('status', { name: 'Connected to Stripe again' }).waitFor({ timeout: 60_000 });
    const back = await settled(service, (down.lastRun?.runId ?? 0) + 1);
    expect(back.lastRun?.outcome).not.toBe('failed');
    expect(back.connection).toBeNull();
    // The outage is announced once and its end once; the run after it leaves nothing needing attention.
    expect(tray.seen.slice(seenBefore)).toEqual(['Cannot reach Stripe', 'Connected to Stripe again']);
  }, 240_000);

  it('goes offline when Sage stops answering mid-day with documents to write, and writes the new activity when Sage is back', async () => {
    const simulator = await startStripeSimulator({ days: 3, now: DEFAULT_SIMULATED_NOW });
    cleanups.push(() => simulator.close());
    const sage = switchableSage();
    const sandboxPath = join(workDir, 'sage-midday.sqlite');
    createSandbox(sandboxPath, { today: SIMULATED_TODAY });
    const { page, service } = await openWindow('sage-midday', { stripe: { apiBase: simulator.apiBase }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } }, { clock: simulatorClock(simulator), wrapSage: sage.wrap });
    await service.syncNow(undefined);
    const good = await settled(service, 1);
    expect(good.lastRun?.outcome).not.toBe('failed');
    const writtenBefore = journalLines(sandboxPath);
    expect(writtenBefore).toBeGreaterThan(0);
    // The tray's policy follows every status the window gets, as the shell does.
    const tray = notices();
    tray.follow(good);
    const seenBefore = tray.seen.length;
    cleanups.push(service.onEvent('status', tray.follow));

    // New Stripe activity to write, and the SQL Server gone.
    sage.down = true;
    simulator.advanceSeconds(6 * 3_600);
    await service.syncNow(undefined);
    const offline = page.getByRole('alert', { name: 'Cannot reach Sage 500' });
    await offline.waitFor({ timeout: 120_000 });
    expect(await offline.textContent()).toContain('ECONNREFUSED');
    const down = await service.getStatus(undefined);
    expect(down.state).toBe('offline');
    expect(journalLines(sandboxPath)).toBe(writtenBefore);
    expect(down.attention.map((item) => item.id)).not.toContain('last-run-failed');
    expect(tray.seen.slice(seenBefore)).toEqual(['Cannot reach Sage 500']);

    sage.down = false;
    await page.getByRole('status', { name: 'Connected to Sage 500 again' }).waitFor({ timeout: 60_000 });
    const back = await settled(service, (down.lastRun?.runId ?? 0) + 1);
    expect(back.lastRun?.outcome).not.toBe('failed');
    expect(journalLines(sandboxPath)).toBeGreaterThan(writtenBefore);
    expect(tray.seen.slice(seenBefore)).toEqual(['Cannot reach Sage 500', 'Connected to Sage 500 again']);
  }, 240_000);
});
