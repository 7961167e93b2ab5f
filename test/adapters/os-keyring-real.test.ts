import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOsKeyringStore } from '../../main/adapters/credentials/os-keyring-store.js';

/**
 * The credential store against a real OS keyring, not a fake:
 * - Linux: a private D-Bus session (dbus-run-session) with GNOME Keyring's Secret Service, in a
 *   throw-away HOME, so nothing touches the developer's own keyring. CI installs both
 *   (scripts/ensure-keyring.sh); elsewhere the test is skipped and says why.
 * - Windows: Windows Credential Manager itself, under a test-only service name.
 */
const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
// The binding is an optional dependency: a node_modules installed before it was added lacks it.
const bindingInstalled = spawnSync(process.execPath, ['-e', "require.resolve('@napi-rs/keyring')"], { cwd: process.cwd() }).status === 0;
const linuxKeyring = bindingInstalled && process.platform === 'linux' && onPath('dbus-run-session') && onPath('gnome-keyring-daemon');
const skipReason = !bindingInstalled
  ? 'the optional dependency @napi-rs/keyring is not installed (run npm install)'
  : linuxKeyring || process.platform === 'win32'
    ? null
    : 'no OS keyring here (Linux needs dbus-run-session and gnome-keyring-daemon: bash scripts/ensure-keyring.sh as root)';
if (skipReason) console.warn(`os-keyring-real.test.ts skipped: ${skipReason}`);

// Assembled at run time: the source holds nothing shaped like a real key.
const secretValue = () => ['rk', 'live', randomBytes(12).toString('hex')].join('_');

describe.skipIf(!linuxKeyring)('real Secret Service (GNOME Keyring in a private D-Bus session)', () => {
  it('s5sync secrets set/status/delete and the headless run read and write the same keyring', () => {
    const home = mkdtempSync(join(tmpdir(), 's5sync-keyring-'));
    const value = secretValue();
    try {
      const script = 'printf %s "$KEYRING_UNLOCK" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node --import tsx test/adapters/os-keyring-child.ts "$SECRET_VALUE"';
      const child = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
        cwd: process.cwd(),
        env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: home, KEYRING_UNLOCK: 'keyring-test-unlock', SECRET_VALUE: value },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const result = JSON.parse(child.stdout.slice(child.stdout.indexOf('{'))) as {
        backend: string; setCode: number; headlessKey: string | null; statusCode: number; deleteCode: number; afterDelete: string | null; out: string[];
      };
      expect(result.backend).toBe('the Secret Service keyring');
      expect(result.setCode).toBe(0);
      // Saved trimmed, and a headless run without STRIPE_API_KEY finds it in the keyring.
      expect(result.headlessKey).toBe(value);
      expect(result.out).toContain('secrets are kept in the Secret Service keyring');
      expect(result.out.some((line) => /^ *stripeApiKey +set \(account stripeApiKey\)$/.test(line))).toBe(true);
      expect(result.deleteCode).toBe(0);
      expect(result.afterDelete).toBeNull();
      expect(result.out.some((line) => /^ *stripeApiKey +not set \(account stripeApiKey\)$/.test(line))).toBe(true);
      // The secret is never printed.
      expect(result.out.join('\n')).not.toContain(value);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.skipIf(process.platform !== 'win32' || !bindingInstalled)('real Windows Credential Manager', () => {
  it('saves, reads and deletes under a test-only service name', async () => {
    const loaded = await loadOsKeyringStore(undefined, 'win32', `Stripe Sync for Sage 500 test ${randomBytes(4).toString('hex')}`);
    if (!('store' in loaded)) throw new Error(loaded.unavailable);
    const value = secretValue();
    await loaded.store.set('stripeApiKey', value);
    await expect(loaded.store.get('stripeApiKey')).resolves.toBe(value);
    await loaded.store.delete('stripeApiKey');
    await expect(loaded.store.isSet('stripeApiKey')).resolves.toBe(false);
  });
});
