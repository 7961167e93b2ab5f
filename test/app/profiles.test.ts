import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { DEFAULT_APP_SETTINGS, saveAppSettings } from '../../main/app/app-settings.js';
import { PROFILES_FILE_NAME, ProfileRegistry } from '../../main/app/profile-registry.js';
import type { CredentialStore } from '../../main/adapters/credentials/credential-store.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { DEFAULT_SIMULATED_NOW, startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { createMemoryCredentialStore } from '../ui/memory-credential-store.js';

/**
 * Settings profiles on the real AppService, engine, Stripe simulator and Sage sandbox: an
 * installation from before profiles becomes one profile with its ledger and secrets as they
 * were; each profile has its own folder, ledger and secrets; a live key never enters a profile
 * marked test. Key-shaped strings are assembled at run time.
 */

const testKey = (tail: string) => ['rk', 'test', tail].join('_');
const liveKey = (tail: string) => ['rk', 'live', tail].join('_');
const SIMULATED_TODAY = '2026-11-02';

let workDir: string;
let simulator: StripeSimulator;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 's5sync-profiles-'));
  simulator = await startStripeSimulator({ days: 3, now: DEFAULT_SIMULATED_NOW });
}, 60_000);

afterAll(async () => {
  await simulator?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function syncOnce(service: ClosableAppService): Promise<void> {
  const before = (await service.getStatus(undefined)).lastRun?.runId ?? 0;
  await service.syncNow(undefined);
  await expect.poll(async () => (await service.getStatus(undefined)).lastRun, { timeout: 60_000 }).toMatchObject({ runId: before + 1, finishedAt: expect.any(String) });
  await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
}

/** Every file under a folder, as text (the ledger included), to prove no secret was written to disk. */
function allFileText(folder: string): string {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(folder, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

/** A configured test installation (sandbox + simulator) that has synced once, written as the app wrote it before profiles: no profiles.json, `profile` in settings.json. */
async function installationBeforeProfiles(name: string, credentials: CredentialStore, key: string): Promise<{ dataDir: string; documents: number }> {
  const dataDir = join(workDir, name);
  const sandboxPath = join(workDir, `${name}-sandbox.sqlite`);
  createSandbox(sandboxPath, { today: SIMULATED_TODAY });
  mkdirSync(dataDir, { recursive: true });
  saveAppSettings(dataDir, { ...DEFAULT_APP_SETTINGS, configured: true, stripe: { apiBase: simulator.apiBase }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } });
  await credentials.set('stripeApiKey', key);
  const service = await createAppService({ dataDir, env: {}, credentials });
  await syncOnce(service);
  const documents = (await service.listActivity({ limit: 1, offset: 0 })).total;
  await service.close();
  rmSync(join(dataDir, PROFILES_FILE_NAME));
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ ...settings, profile: 'test', profiles: ['default', 'test'] }));
  return { dataDir, documents };
}

describe('settings profiles', () => {
  const credentials = createMemoryCredentialStore();
  let dataDir: string;
  let documentsBefore: number;
  let service: ClosableAppService;

  it('upgrades an installation from before profiles into one profile with its ledger and its secrets as they were', async () => {
    ({ dataDir, documents: documentsBefore } = await installationBeforeProfiles('upgrade', credentials, testKey('upgrade1')));
    expect(documentsBefore).toBeGreaterThan(0);
    service = await createAppService({ dataDir, env: {}, credentials });
    const { profiles } = await service.listProfiles(undefined);
    expect(profiles).toEqual([{ id: 'default', name: 'Test', kind: 'test', label: 'test', folder: dataDir, active: true, configured: true, stripeKeySet: true }]);
    const status = await service.getStatus(undefined);
    expect(status.connection).toBeNull();
    expect(status.activeProfile).toEqual({ id: 'default', name: 'Test', label: 'test' });
    expect((await service.listActivity({ limit: 1, offset: 0 })).total).toBe(documentsBefore);
    // The secret kept its name: nothing was moved.
    expect(await credentials.get('stripeApiKey')).toBe(testKey('upgrade1'));
    expect(JSON.parse(readFileSync(join(dataDir, PROFILES_FILE_NAME), 'utf8'))).toEqual({ version: 1, active: 'default', profiles: [{ id: 'default', name: 'Test', kind: 'test' }] });
  }, 120_000);

  it('adds a second profile with its own folder, secrets and ledger; switching back finds the first one as it was', async () => {
    const added = await service.addProfile({ name: 'Test company 2', kind: 'test' });
    const second = added.profiles.find((profile) => profile.active)!;
    expect(second).toMatchObject({ id: 'test-company-2', name: 'Test company 2', kind: 'test', configured: false, stripeKeySet: false, folder: join(dataDir, 'profiles', 'test-company-2') });
    expect((await service.getStatus(undefined)).activeProfile.name).toBe('Test company 2');
    expect((await service.getSettings(undefined)).profiles).toEqual(['Test', 'Test company 2']);

    const sandboxPath = join(workDir, 'second-sandbox.sqlite');
    createSandbox(sandboxPath, { today: SIMULATED_TODAY });
    await service.setSecret({ name: 'stripeApiKey', value: testKey('second1') });
    await service.saveSettings({ stripe: { apiBase: simulator.apiBase }, sage: { kind: 'sandbox', sandboxPath } });
    // Its key is its own account; the first profile's key is untouched.
    expect(await credentials.get('stripeApiKey@test-company-2')).toBe(testKey('second1'));
    expect(await credentials.get('stripeApiKey')).toBe(testKey('upgrade1'));
    expect((await service.listActivity({ limit: 1, offset: 0 })).total).toBe(0);
    await syncOnce(service);
    const secondDocuments = (await service.listActivity({ limit: 1, offset: 0 })).total;
    expect(secondDocuments).toBeGreaterThan(0);
    expect(existsSync(join(second.folder, 'ledger.sqlite'))).toBe(true);

    await service.switchProfile({ id: 'default' });
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
    expect((await service.getStatus(undefined)).activeProfile.name).toBe('Test');
    expect((await service.getSettings(undefined)).sage.sandboxPath).toBe(join(workDir, 'upgrade-sandbox.sqlite'));
    // The first profile's ledger holds its own history only (a run after the switch may add to it, never the second's).
    const firstActivity = await service.listActivity({ limit: 500, offset: 0 });
    expect(firstActivity.total).toBeGreaterThanOrEqual(documentsBefore);

    await service.switchProfile({ id: 'test-company-2' });
    await expect.poll(async () => (await service.getStatus(undefined)).state, { timeout: 60_000 }).not.toBe('syncing');
    expect((await service.listActivity({ limit: 1, offset: 0 })).total).toBeGreaterThanOrEqual(secondDocuments);
    // No secret in any file: settings, profile list, ledgers.
    const onDisk = allFileText(dataDir);
    expect(onDisk).not.toContain(testKey('upgrade1'));
    expect(onDisk).not.toContain(testKey('second1'));
  }, 180_000);

  it('refuses a live Stripe key in a profile marked test: in Settings, and at start when one comes from the environment', async () => {
    await expect(service.setSecret({ name: 'stripeApiKey', value: liveKey('notHere1') })).rejects.toThrow(/"Test company 2" is a test profile .* a live Stripe key is never used in it/);
    expect(await credentials.get('stripeApiKey@test-company-2')).toBe(testKey('second1'));
    // The same profile folder opened by a run whose environment carries a live key (and no stored key).
    const envCredentials = createMemoryCredentialStore();
    const guarded = await createAppService({ dataDir, env: { STRIPE_API_KEY: liveKey('fromEnv1') }, credentials: envCredentials });
    try {
      const status = await guarded.getStatus(undefined);
      expect(status.activeProfile.name).toBe('Test company 2');
      expect(status.connection).toMatchObject({ kind: 'cannot-start', reason: expect.stringMatching(/is a test profile .* a live Stripe key is never used in it/) });
      expect(await guarded.syncNow(undefined)).toEqual({ started: false });
    } finally {
      await guarded.close();
    }
  }, 60_000);

  it('renames without moving anything, refuses to delete the profile in use, and deletes another keeping its folder but not its secrets', async () => {
    await service.switchProfile({ id: 'default' });
    const renamed = await service.renameProfile({ id: 'test-company-2', name: 'Practice' });
    expect(renamed.profiles.find((profile) => profile.id === 'test-company-2')).toMatchObject({ name: 'Practice', folder: join(dataDir, 'profiles', 'test-company-2') });
    await expect(service.renameProfile({ id: 'default', name: 'practice' })).rejects.toThrow(/already a profile called "Practice"/);
    await expect(service.deleteProfile({ id: 'default' })).rejects.toThrow(/profile in use: switch to another profile first/);

    const after = await service.deleteProfile({ id: 'test-company-2' });
    expect(after.profiles.map((profile) => profile.id)).toEqual(['default']);
    expect(await credentials.get('stripeApiKey@test-company-2')).toBeNull();
    expect(existsSync(join(dataDir, 'profiles', 'test-company-2', 'ledger.sqlite'))).toBe(true);
    // A new profile of the same name never reuses the kept folder.
    const again = await service.addProfile({ name: 'Test company 2', kind: 'live' });
    expect(again.profiles.find((profile) => profile.active)?.id).toBe('test-company-2-2');
    expect(await credentials.get('stripeApiKey')).toBe(testKey('upgrade1'));
    // A test key in a live profile is accepted, with the label said where the key is entered and on every screen.
    await service.saveSettings({ stripe: { apiBase: simulator.apiBase } });
    await service.getSetup(undefined);
    const probe = await service.setupStripeKey({ key: testKey('liveProfile1'), saveUntested: false });
    expect(probe).toMatchObject({ passed: true, saved: true });
    expect(probe.warnings).toContain('"Test company 2" is a live profile and this is a test key: every screen labels it "Live, test key" until the live key is entered.');
    expect((await service.listProfiles(undefined)).profiles.find((profile) => profile.active)?.label).toBe('live-test-key');
    await service.close();
  }, 60_000);
});

describe('a damaged profile list', () => {
  it('is kept aside and rebuilt from the folders on disk, so the app still opens on the first profile', () => {
    const root = join(workDir, 'damaged-list');
    mkdirSync(join(root, 'profiles', 'test-co'), { recursive: true });
    saveAppSettings(root, { ...DEFAULT_APP_SETTINGS });
    saveAppSettings(join(root, 'profiles', 'test-co'), { ...DEFAULT_APP_SETTINGS });
    writeFileSync(join(root, PROFILES_FILE_NAME), '{"version": 1, "active": "default", "profiles": [');
    const registry = ProfileRegistry.load(root);
    expect(registry.list()).toEqual([
      { id: 'default', name: 'Default', kind: null },
      { id: 'test-co', name: 'test-co', kind: null },
    ]);
    expect(registry.active().id).toBe('default');
    expect(readdirSync(root).some((file) => file.startsWith(`${PROFILES_FILE_NAME}.damaged-`))).toBe(true);
  });
});
