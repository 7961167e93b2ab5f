import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseCredentialStore } from '../../main/adapters/credentials/choose-credential-store.js';
import { ReadOnlyCredentialStoreError } from '../../main/adapters/credentials/credential-store.js';
import { createEnvironmentCredentialStore } from '../../main/adapters/credentials/environment-store.js';
import { KEYTAR_SERVICE, loadKeytarCredentialStore, type KeytarModule } from '../../main/adapters/credentials/keytar-store.js';
import { createSafeStorageCredentialStore, type StringCipher } from '../../main/adapters/credentials/safe-storage-store.js';

const directories: string[] = [];
const temporaryDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 's5sync-credentials-'));
  directories.push(directory);
  return directory;
};
afterEach(() => directories.splice(0).forEach((directory) => rmSync(directory, { recursive: true, force: true })));

/** A fake Windows Credential Manager. */
const fakeKeytar = (): KeytarModule & { vault: Map<string, string> } => {
  const vault = new Map<string, string>();
  return {
    vault,
    getPassword: async (service, account) => vault.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => void vault.set(`${service}/${account}`, password),
    deletePassword: async (service, account) => vault.delete(`${service}/${account}`),
  };
};

/** A fake safeStorage: reversible, but the output never contains the plaintext. */
const fakeSafeStorage = (available = true): StringCipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((byte) => byte ^ 0x5a)).reverse(),
  decryptString: (encrypted) => Buffer.from(Buffer.from(encrypted).reverse().map((byte) => byte ^ 0x5a)).toString('utf8'),
});

// Assembled so the source holds nothing shaped like a real key.
const SECRET = ['sk', 'live', '51HypotheticalSecretValue'].join('_');

describe('keytar store', () => {
  it('stores under the app service name', async () => {
    const keytar = fakeKeytar();
    const store = await loadKeytarCredentialStore(async () => keytar);
    expect(store?.backendName).toBe('keytar');
    await store?.set('stripeApiKey', SECRET);
    expect(keytar.vault.get(`${KEYTAR_SERVICE}/stripeApiKey`)).toBe(SECRET);
    await expect(store?.get('stripeApiKey')).resolves.toBe(SECRET);
    await expect(store?.isSet('sqlPassword')).resolves.toBe(false);
    await store?.delete('stripeApiKey');
    await expect(store?.isSet('stripeApiKey')).resolves.toBe(false);
  });

  it('accepts the CommonJS default-export shape', async () => {
    const store = await loadKeytarCredentialStore(async () => ({ default: fakeKeytar() }));
    expect(store?.backendName).toBe('keytar');
  });

  it('is null when keytar is missing, fails to load or is not keytar', async () => {
    await expect(loadKeytarCredentialStore(async () => Promise.reject(new Error('Cannot find module')))).resolves.toBeNull();
    await expect(loadKeytarCredentialStore(async () => ({ getPassword: 1 }))).resolves.toBeNull();
    // The real dynamic import: keytar is not installed in this repository.
    await expect(loadKeytarCredentialStore()).resolves.toBeNull();
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

  it('prefers keytar, then safeStorage, then the environment', async () => {
    const keytar = fakeKeytar();
    await expect(chooseCredentialStore({ ...base(), importKeytar: async () => keytar, cipher: fakeSafeStorage() })).resolves.toHaveProperty('backendName', 'keytar');
    const missing = async () => Promise.reject(new Error('no keytar'));
    await expect(chooseCredentialStore({ ...base(), importKeytar: missing, cipher: fakeSafeStorage() })).resolves.toHaveProperty('backendName', 'safeStorage');
    await expect(chooseCredentialStore({ ...base(), importKeytar: missing, cipher: fakeSafeStorage(false) })).resolves.toHaveProperty('backendName', 'environment');
    await expect(chooseCredentialStore({ ...base(), importKeytar: missing })).resolves.toHaveProperty('backendName', 'environment');
  });
});
