import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { STRIPE_API_BASE, stripeApiBaseRefusal, stripeKeyModeOf } from '../../main/app/stripe-api-base.js';
import { createMemoryCredentialStore } from '../ui/memory-credential-store.js';

// Key-shaped strings are assembled at run time so no scanner mistakes them for real keys.
const liveKey = ['sk', 'live', 'x'.repeat(24)].join('_');
const testKey = ['sk', 'test', 'x'.repeat(24)].join('_');

describe('stripeApiBaseRefusal', () => {
  it("allows Stripe's API for every key", () => {
    for (const mode of ['live', 'test', null] as const) {
      expect(stripeApiBaseRefusal(STRIPE_API_BASE, mode)).toBeNull();
      expect(stripeApiBaseRefusal(`${STRIPE_API_BASE}/`, mode)).toBeNull();
    }
  });

  it('allows a loopback simulator only for a test key or before a key is stored', () => {
    for (const base of ['http://127.0.0.1:12111', 'http://localhost:4242', 'http://[::1]:8080']) {
      expect(stripeApiBaseRefusal(base, 'test')).toBeNull();
      expect(stripeApiBaseRefusal(base, null)).toBeNull();
      expect(stripeApiBaseRefusal(base, 'live')).toMatch(/live Stripe key is sent only to https:\/\/api\.stripe\.com/);
    }
  });

  it('refuses every other address, plain http to Stripe, look-alike hosts and embedded credentials', () => {
    for (const base of [
      'http://api.stripe.com',
      'https://api.stripe.com.evil.example',
      'https://evil.example',
      'http://10.0.0.5:12111',
      'https://user:pass@api.stripe.com',
      'https://api.stripe.com/v1/proxy',
      'not a url',
    ]) {
      expect(stripeApiBaseRefusal(base, 'test'), base).not.toBeNull();
    }
  });

  it('tells live keys from test keys by their prefix', () => {
    expect(stripeKeyModeOf(liveKey)).toBe('live');
    expect(stripeKeyModeOf(` ${liveKey}\n`)).toBe('live');
    expect(stripeKeyModeOf(['rk', 'live', 'y'.repeat(24)].join('_'))).toBe('live');
    expect(stripeKeyModeOf(testKey)).toBe('test');
  });
});

describe('saveSettings and setSecret refuse to point the key elsewhere', () => {
  const opened: { service: ClosableAppService; dataDir: string }[] = [];
  const open = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 's5sync-apibase-'));
    const credentials = createMemoryCredentialStore();
    const service = await createAppService({ dataDir, env: {}, credentials });
    opened.push({ service, dataDir });
    return service;
  };
  afterEach(async () => {
    for (const { service, dataDir } of opened.splice(0)) {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps a stored live key on api.stripe.com', async () => {
    const service = await open();
    await service.setSecret({ name: 'stripeApiKey', value: liveKey });
    await expect(service.saveSettings({ stripe: { apiBase: 'https://attacker.example' } })).rejects.toMatchObject({ code: 'invalid-request' });
    await expect(service.saveSettings({ stripe: { apiBase: 'http://127.0.0.1:9' } })).rejects.toThrow(/live Stripe key/);
    expect((await service.getSettings(undefined)).stripe.apiBase).toBe(STRIPE_API_BASE);
  });

  it('lets a test key use a loopback simulator, but not a live key saved afterwards', async () => {
    const service = await open();
    await service.setSecret({ name: 'stripeApiKey', value: testKey });
    await service.saveSettings({ stripe: { apiBase: 'http://127.0.0.1:12111' } });
    expect((await service.getSettings(undefined)).stripe.apiBase).toBe('http://127.0.0.1:12111');
    await expect(service.setSecret({ name: 'stripeApiKey', value: liveKey })).rejects.toThrow(/live Stripe key/);
    expect((await service.getSettings(undefined)).stripe.keyMode).toBe('test');
  });
});
