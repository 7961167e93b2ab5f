import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { DEFAULT_APP_SETTINGS, saveAppSettings } from '../../main/app/app-settings.js';
import { ProfileRegistry } from '../../main/app/profile-registry.js';
import { windowDataFolder } from '../../main/app/profile-config.js';
import { takeGlobalOptions } from '../../main/cli/global-options.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { DEFAULT_SIMULATED_NOW, startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';

/**
 * `s5sync --profile NAME`, S5SYNC_PROFILE and `s5sync profiles`: headless runs of the window's
 * profiles, each on its own folder and ledger, with the window's guard against a live key in
 * a test profile. The window's data folder is a temporary one, given by S5SYNC_DATA_DIR.
 */

const testKey = ['rk', 'test', 'cliProfiles1'].join('_');
const liveKey = ['rk', 'live', 'cliProfiles1'].join('_');

let root: string;
let simulator: StripeSimulator;

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await main(args, (line) => out.push(line), { S5SYNC_DATA_DIR: root, ...env });
  return { code, out };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 's5sync-cli-profiles-'));
  simulator = await startStripeSimulator({ days: 3, now: DEFAULT_SIMULATED_NOW });
  // The window's installation: its first profile (from before profiles, "live") and a test profile, both set up on sandboxes.
  for (const [folder, sandbox] of [[root, 'live-sandbox'], [join(root, 'profiles', 'test-co'), 'test-sandbox']] as const) {
    mkdirSync(folder, { recursive: true });
    const sandboxPath = join(root, `${sandbox}.sqlite`);
    createSandbox(sandboxPath, { today: '2026-11-02' });
    saveAppSettings(folder, { ...DEFAULT_APP_SETTINGS, configured: true, stripe: { apiBase: simulator.apiBase }, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath } });
  }
  writeFileSync(join(root, 'profiles.json'), JSON.stringify({ version: 1, active: 'default', profiles: [{ id: 'default', name: 'Live', kind: 'live' }, { id: 'test-co', name: 'Test co', kind: 'test' }] }));
}, 60_000);

afterAll(async () => {
  await simulator?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('s5sync profiles and --profile', () => {
  it('lists the window profiles: which is active, test or live, set up, and each folder', async () => {
    const { code, out } = await run(['profiles', 'list']);
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(new RegExp(`^\\* Live +live +set up +${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect(out[1]).toMatch(/^ {2}Test co +test +set up +.*profiles[/\\]test-co$/);
    const json = JSON.parse((await run(['profiles', 'list', '--json'])).out.join('\n')) as { id: string; active: boolean }[];
    expect(json.map((profile) => [profile.id, profile.active])).toEqual([['default', true], ['test-co', false]]);
  });

  it('runs a sync of the named profile into its own ledger, leaving the other profile untouched', async () => {
    const synced = await run(['--profile', 'Test co', 'sync', '--once'], { STRIPE_API_KEY: testKey });
    expect(synced.code, synced.out.join('\n')).toBe(0);
    expect(existsSync(join(root, 'profiles', 'test-co', 'ledger.sqlite'))).toBe(true);
    expect(existsSync(join(root, 'ledger.sqlite'))).toBe(false);
    const status = JSON.parse((await run(['status', '--json'], { S5SYNC_PROFILE: 'test-co' })).out.join('\n')) as { documents: Record<string, number> };
    expect(Object.values(status.documents).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
    // The active profile (Live) has no ledger: its status says so.
    const live = await run(['status']);
    expect(live.code).toBe(0);
    expect(live.out[0]).toBe(`no ledger yet at ${join(root, 'ledger.sqlite')}: run \`s5sync sync --once\` first`);
  }, 120_000);

  it('makes a profile the active one with `profiles use`, which commands without --profile then run', async () => {
    expect((await run(['profiles', 'use', 'test-co'])).out[0]).toMatch(/^profile "Test co" is now the active one/);
    expect(ProfileRegistry.load(root).active().id).toBe('test-co');
    const status = await run(['status']);
    expect(status.out[0]).toBe(`ledger: ${join(root, 'profiles', 'test-co', 'ledger.sqlite')}`);
    await run(['profiles', 'use', 'Live']);
  });

  it('refuses a live Stripe key for a profile marked test before anything runs (exit 2)', async () => {
    const refused = await run(['sync', '--once', '--profile=test-co'], { STRIPE_API_KEY: liveKey });
    expect(refused.code).toBe(2);
    expect(refused.out.join('\n')).toMatch(/^error: "Test co" is a test profile .* a live Stripe key is never used in it/);
    const runs = JSON.parse((await run(['runs', '--json', '--profile', 'test-co'])).out.join('\n')) as { runs: unknown[] } | unknown[];
    expect(Array.isArray(runs) ? runs : runs.runs).toHaveLength(1);
  });

  it('says what is wrong with an unknown profile, a profile beside --config, and a missing value (exit 2)', async () => {
    const unknown = await run(['--profile', 'Nope', 'status']);
    expect(unknown).toEqual({ code: 2, out: ['error: there is no profile "Nope"; the profiles are "Live", "Test co" (s5sync profiles list)'] });
    expect((await run(['status', '--profile', 'Live', '--config', join(root, 'x.json')])).out).toEqual(['error: give --config FILE or --profile NAME, not both']);
    expect((await run(['status', '--profile'])).out).toEqual(['error: --profile needs a value']);
  });

  it('shows each profile secret under its own account name', async () => {
    const { code, out } = await run(['--profile', 'Test co', 'secrets', 'status']);
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/stripeApiKey +not set \(account stripeApiKey@test-co\)/);
    expect((await run(['secrets', 'status'])).out.join('\n')).toMatch(/stripeApiKey +not set \(account stripeApiKey\)/);
  });
});

describe('global options and the window data folder', () => {
  it('takes --profile and --data-dir from anywhere on the command line, in both spellings', () => {
    expect(takeGlobalOptions(['status', '--json', '--profile', 'Test co', '--data-dir=/srv/s5'])).toEqual({ args: ['status', '--json'], profile: 'Test co', dataDir: '/srv/s5' });
  });

  it("finds the tray app's data folder where Electron keeps it for each system", () => {
    expect(windowDataFolder({ APPDATA: 'C:\\Users\\bk\\AppData\\Roaming' }, 'win32', 'C:\\Users\\bk')).toBe(join('C:\\Users\\bk\\AppData\\Roaming', 'Stripe Sync for Sage 500'));
    expect(windowDataFolder({}, 'linux', '/home/bk')).toBe('/home/bk/.config/Stripe Sync for Sage 500');
    expect(windowDataFolder({}, 'darwin', '/Users/bk')).toBe('/Users/bk/Library/Application Support/Stripe Sync for Sage 500');
  });
});
