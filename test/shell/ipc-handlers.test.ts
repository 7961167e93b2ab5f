import { describe, expect, it, vi } from 'vitest';
import { requestChannel, requestNames } from '../../preload/contract.js';
import { CodedError } from '../../main/shell/error-result.js';
import { registerRequestHandlers } from '../../main/shell/ipc-handlers.js';
import { RENDERER_ROOT_URL } from '../../main/shell/renderer-protocol.js';
import { createTrustedSenders, isTrustedRendererUrl } from '../../main/shell/trusted-sender.js';
import { FakeIpcMain, invokeEvent } from './fakes/electron-fakes.js';
import { createFakeAppService, snapshot } from './fakes/fake-app-service.js';

const rendererRoot = RENDERER_ROOT_URL;
const pageUrl = `${rendererRoot}index.html`;
const WINDOW_ID = 7;

const setup = (overrides: Parameters<typeof createFakeAppService>[0] = {}) => {
  const ipcMain = new FakeIpcMain();
  const fake = createFakeAppService(overrides);
  const trusted = createTrustedSenders(rendererRoot);
  trusted.add(WINDOW_ID);
  const log = { warn: vi.fn() };
  const unregister = registerRequestHandlers(ipcMain, fake.service, trusted, log);
  const invoke = (name: string, ...args: unknown[]) =>
    ipcMain.invoke(`s5sync:request:${name}`, invokeEvent(WINDOW_ID, pageUrl), ...args);
  return { ipcMain, fake, trusted, log, unregister, invoke };
};

describe('trusted renderer URLs', () => {
  it('accepts our renderer files and nothing else', () => {
    expect(isTrustedRendererUrl(pageUrl, rendererRoot)).toBe(true);
    expect(isTrustedRendererUrl(`${pageUrl}#/errors`, rendererRoot)).toBe(true);
    // The app:// host serves only the renderer folder (renderer-protocol.ts), so its whole origin is ours; file:// is not.
    expect(isTrustedRendererUrl('file:///opt/s5sync/resources/app.asar/dist/renderer/index.html', rendererRoot)).toBe(false);
    expect(isTrustedRendererUrl('app://renderer-other/index.html', rendererRoot)).toBe(false);
    expect(isTrustedRendererUrl('app://other/index.html', rendererRoot)).toBe(false);
    expect(isTrustedRendererUrl('https://example.com/index.html', rendererRoot)).toBe(false);
    expect(isTrustedRendererUrl('not a url', rendererRoot)).toBe(false);
  });
});

describe('registerRequestHandlers', () => {
  it('registers exactly one handler per contract request and removes them all', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(requestNames.map(requestChannel).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('calls the service with the validated payload and wraps the value', async () => {
    const { invoke, fake } = setup({ setPaused: async ({ paused }) => ({ paused }) });
    await expect(invoke('setPaused', { paused: true })).resolves.toEqual({ ok: true, value: { paused: true } });
    expect(fake.calls).toEqual([{ name: 'setPaused', payload: { paused: true } }]);
  });

  it('answers void requests sent with an undefined payload', async () => {
    const { invoke } = setup({ getStatus: async () => snapshot() });
    await expect(invoke('getStatus', undefined)).resolves.toMatchObject({ ok: true, value: { state: 'idle' } });
  });

  it('refuses invalid payloads with invalid-request before the service runs', async () => {
    const { invoke, fake } = setup({ setPaused: async ({ paused }) => ({ paused }) });
    await expect(invoke('setPaused', { paused: 'yes' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await expect(invoke('listActivity', { limit: 100000, offset: 0 })).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await expect(invoke('setPaused', { paused: true }, 'extra')).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(fake.calls).toEqual([]);
  });

  it('validates the requests the CLI shares with the window (preview, rules test, period payout report) before the service runs', async () => {
    const report = { from: '2026-11-01', to: '2026-11-30', payouts: [], payoutTotal: '0.000', sageTotalsByAccount: {}, sageTotal: '0.000', waiting: 0 };
    const { invoke, fake } = setup({ getPeriodPayoutReport: async () => report });
    const refused = { ok: false, error: { code: 'invalid-request' } };
    await expect(invoke('previewObject', { stripeObjectId: '' })).resolves.toMatchObject(refused);
    await expect(invoke('testRules', {})).resolves.toMatchObject(refused);
    await expect(invoke('getPeriodPayoutReport', { from: '2026-11-30', to: '2026-11-01' })).resolves.toMatchObject(refused);
    await expect(invoke('getPeriodPayoutReport', { from: 'last month', to: '2026-11-30' })).resolves.toMatchObject(refused);
    expect(fake.calls).toEqual([]);
    await expect(invoke('getPeriodPayoutReport', { from: '2026-11-01', to: '2026-11-30' })).resolves.toEqual({ ok: true, value: report });
    expect(fake.calls).toEqual([{ name: 'getPeriodPayoutReport', payload: { from: '2026-11-01', to: '2026-11-30' } }]);
  });

  it('refuses untrusted senders: unknown WebContents, subframes, foreign pages, missing frames', async () => {
    const { ipcMain, fake, log } = setup({ getStatus: async () => snapshot() });
    const channel = requestChannel('getStatus');
    const refused = { ok: false, error: { code: 'untrusted-sender' } };
    await expect(ipcMain.invoke(channel, invokeEvent(99, pageUrl))).resolves.toMatchObject(refused);
    await expect(ipcMain.invoke(channel, invokeEvent(WINDOW_ID, pageUrl, false))).resolves.toMatchObject(refused);
    await expect(ipcMain.invoke(channel, invokeEvent(WINDOW_ID, 'https://evil.example/'))).resolves.toMatchObject(refused);
    await expect(ipcMain.invoke(channel, { sender: { id: WINDOW_ID }, senderFrame: null })).resolves.toMatchObject(refused);
    expect(fake.calls).toEqual([]);
    expect(log.warn).toHaveBeenCalledTimes(4);
  });

  it('stops trusting a WebContents once removed', async () => {
    const { invoke, trusted } = setup({ getStatus: async () => snapshot() });
    trusted.remove(WINDOW_ID);
    await expect(invoke('getStatus', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
  });

  it('maps thrown errors to codes and never returns a secret in the message', async () => {
    const { invoke } = setup({
      testSage: async () => {
        throw new Error('Login failed: Server=sql1;User Id=sage;Password=Hunter2!;');
      },
      testStripeKey: async () => {
        throw new CodedError('stripe-error', 'Invalid API Key provided: sk_live_51AbCdEfGh');
      },
      getStatus: async () => {
        throw 'plain string';
      },
    });
    const sage = await invoke('testSage', undefined);
    expect(sage).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(sage)).not.toContain('Hunter2');
    const stripe = await invoke('testStripeKey', undefined);
    expect(stripe).toMatchObject({ ok: false, error: { code: 'stripe-error' } });
    expect(JSON.stringify(stripe)).not.toContain('51AbCdEfGh');
    await expect(invoke('getStatus', undefined)).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'plain string' } });
  });

  it('keeps a setSecret value out of the invalid-request message', async () => {
    const { invoke } = setup();
    const result = await invoke('setSecret', { name: 'notASecretName', value: 'sk_live_abcdef123456' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(JSON.stringify(result)).not.toContain('abcdef123456');
  });
});
