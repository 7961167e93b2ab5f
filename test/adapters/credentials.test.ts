import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseCredentialStore } from '../../main/adapters/credentials/choose-credential-store.js';
import { ReadOnlyCredentialStoreError } from '../../main/adapters/credentials/credential-store.js';
import { createEnvironmentCredentialStore } from '../../main/adapters/credentials/environment-store.js';
import { KEYRING_SERVICE, loadOsKeyringStore, type KeyringModule } from '../../main/adapters/credentials/os-keyring-store.js';
import { createSafeStorageCredentialStore, type StringCipher } from '../../main/adapters/credentials/safe-storage-store.js';

const directories: string[] = [];
const temporaryDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 's5sync-credentials-'));
  directories.push(directory);
  return directory;
};
afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

/** A fake OS credential store with @napi-rs/keyring's AsyncEntry shape; `broken` answers like Linux without a Secret Service. */
const fakeKeyring = (broken = false): KeyringModule & { vault: Map<string, string> } => {
  const vault = new Map<string, string>();
  class AsyncEntry {
    constructor(
      private readonly service: string,
      private readonly account: string,
    ) {}
    private get key() {
      if (broken) throw new Error('Platform secure storage failure: DBus error: The name org.freedesktop.secrets was not provided');
      return `${this.service}/${this.account}`;
    }
    getPassword = async () => vault.get(this.key) ?? null;
    setPassword = async (password: string) => void vault.set(this.key, password);
    deletePassword = async () => vault.delete(this.key);
  }
  return { vault, AsyncEntry };
};

/** A fake safeStorage: reversible, but the output never contains the plaintext. */
const fakeSafeStorage = (available = true): StringCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a)).reverse(),
  decryptString: (encrypted) => Buffer.from(Buffer.from(encrypted).reverse().map((byte) => byte ^ 0x5a)).toString('utf8'),
});

// Assembled so the source holds nothing shaped like a real key.
const SECRET = ['sk', 'live', '51HypotheticalSecretValue'].join('_');

describe('OS credential store', () => {
  it('stores under the app service name and says which OS store it is', async () => {
    const keyring = fakeKeyring();
    const loaded = await loadOsKeyringStore(async () => keyring, 'win32');
    if (!('store' in loaded)) throw new Error(loaded.unavailable);
    const store = loaded.store;
    expect(store.backendName).toBe('Windows Credential Manager');
    expect(store.fallbackReason).toBeNull();
    await store.set('stripeApiKey', SECRET);
    expect(keyring.vault.get(`${KEYRING_SERVICE}/stripeApiKey`)).toBe(SECRET);
    await expect(store.get('stripeApiKey')).resolves.toBe(SECRET);
    await expect(store.isSet('sqlPassword')).resolves.toBe(false);
    await store.delete('stripeApiKey');
    await store.delete('stripeApiKey');
    await expect(store.isSet('stripeApiKey')).resolves.toBe(false);
  });

  it('accepts the CommonJS default-export shape', async () => {
    await expect(loadOsKeyringStore(async () => ({ default: fakeKeyring() }), 'darwin')).resolves.toMatchObject({ store: { backendName: 'macOS Keychain' } });
  });

  it('is unavailable, with the reason, when the module is missing, is not the binding, or the store does not answer', async () => {
    await expect(loadOsKeyringStore(async () => Promise.reject(new Error('Cannot find module')), 'win32')).resolves.toEqual({
      unavailable: 'the keyring module did not load (Cannot find module)',
    });
    await expect(loadOsKeyringStore(async () => ({ getPassword: 1 }), 'win32')).resolves.toHaveProperty('unavailable');
    await expect(loadOsKeyringStore(async () => fakeKeyring(true), 'linux')).resolves.toEqual({
      unavailable: 'the Secret Service keyring did not answer (Platform secure storage failure: DBus error: The name org.freedesktop.secrets was not provided)',
    });
  });
});

describe('safeStorage store', () => {
  it('round-trips secrets and never writes the plaintext to disk', async () => {
    const directory = temporaryDirectory();
    const filePath = join(directory, 'credentials.json');
    const store = createSafeStorageCredentialStore({ filePath, cipher: fakeSafeStorage() });
    await Promise.all([store.set('stripeApiKey', SECRET), store.set('sqlPassword', 'Hunter2!')]);
    await expect(store.get('stripeApiKey')).resolves.toBe(SECRET);
    await expect(store.get('sqlPassword')).resolves.toBe('Hunter2!');
    for (const file of readdirSync(directory)) {
      const bytes = readFileSync(join(directory, file));
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
      expect(bytes.includes(Buffer.from('Hunter2!'))).toBe(false);
      expect(bytes.includes(Buffer.from('HypotheticalSecret'))).toBe(false);
    }
    await store.delete('stripeApiKey');
    await expect(store.isSet('stripeApiKey')).resolves.toBe(false);
    await expect(store.isSet('sqlPassword')).resolves.toBe(true);
  });

  it('reads nothing from a missing file', async () => {
    const store = createSafeStorageCredentialStore({ filePath: join(temporaryDirectory(), 'none.json'), cipher: fakeSafeStorage() });
    await expect(store.get('stripeApiKey')).resolves.toBeNull();
  });
});

describe('environment store', () => {
  it('reads STRIPE_API_KEY and S5SYNC_SQL_PASSWORD and refuses writes', async () => {
    const store = createEnvironmentCredentialStore({ STRIPE_API_KEY: 'rk_test_1', S5SYNC_SQL_PASSWORD: '' });
    await expect(store.get('stripeApiKey')).resolves.toBe('rk_test_1');
    await expect(store.isSet('sqlPassword')).resolves.toBe(false);
    await expect(store.set('sqlPassword', 'x')).rejects.toBeInstanceOf(ReadOnlyCredentialStoreError);
    await expect(store.delete('stripeApiKey')).rejects.toBeInstanceOf(ReadOnlyCredentialStoreError);
  });
});

describe('chooseCredentialStore', () => {
  const base = () => ({ encryptedFilePath: join(temporaryDirectory(), 'credentials.json'), env: {} });

  it('prefers the OS store, then safeStorage, then the environment, and a fallback says why', async () => {
    await expect(chooseCredentialStore({ ...base(), importKeyring: async () => fakeKeyring(), platform: 'win32', cipher: fakeSafeStorage() })).resolves.toMatchObject({
      backendName: 'Windows Credential Manager',
      fallbackReason: null,
    });
    const missing = async () => Promise.reject(new Error('no keyring'));
    await expect(chooseCredentialStore({ ...base(), importKeyring: missing, platform: 'win32', cipher: fakeSafeStorage() })).resolves.toMatchObject({
      backendName: 'an encrypted file (Electron safeStorage)',
      fallbackReason: 'the keyring module did not load (no keyring)',
    });
    await expect(chooseCredentialStore({ ...base(), importKeyring: async () => fakeKeyring(true), cipher: fakeSafeStorage(false) })).resolves.toMatchObject({
      backendName: 'environment variables',
      fallbackReason: expect.stringMatching(/did not answer/) as unknown as string,
    });
  });
});
