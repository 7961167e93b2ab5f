import type { CredentialAccount, CredentialStore } from './credential-store.js';

/**
 * The OS credential store through @napi-rs/keyring (Rust `keyring` crate): Windows Credential
 * Manager, the macOS Keychain, or the Secret Service (GNOME Keyring, KWallet) on Linux. It is
 * an optional dependency: its prebuilt N-API binaries come from the npm registry for each
 * platform and load in Node and in Electron without a rebuild. docs/security.md says why this
 * binding and not keytar.
 */

/** Credential Manager entries are grouped under this service name (target "<name>.Stripe Sync for Sage 500"). */
export const KEYRING_SERVICE = 'Stripe Sync for Sage 500';

/** The part of @napi-rs/keyring's API we use (its AsyncEntry class). */
export interface KeyringEntry {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
  deletePassword(): Promise<boolean>;
}
export interface KeyringModule {
  AsyncEntry: new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => KeyringEntry;
}

/**
 * On Linux only the Secret Service: without it the binding would fall back to the kernel's
 * keyutils, which does not survive a reboot and is shared oddly between sessions; a missing
 * Secret Service must show as "unavailable", not as a store that forgets.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

export type KeyringImporter = () => Promise<unknown>;

// A variable specifier keeps TypeScript and the bundler from resolving the module at build
// time: it is optional and may be missing (an unsupported platform) or fail to load.
const keyringSpecifier = '@napi-rs/keyring';
export const importKeyring: KeyringImporter = () => import(keyringSpecifier);

/** What the user's system calls its credential store, for the window and `s5sync secrets status`. */
export function osStoreName(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'Windows Credential Manager';
  if (platform === 'darwin') return 'macOS Keychain';
  return 'the Secret Service keyring';
}

const asKeyringModule = (loaded: unknown): KeyringModule | null => {
  const candidates = [loaded, typeof loaded === 'object' && loaded !== null && 'default' in loaded ? loaded.default : undefined];
  for (const candidate of candidates) {
    if (typeof candidate === 'object' && candidate !== null && 'AsyncEntry' in candidate && typeof candidate.AsyncEntry === 'function') {
      return candidate as KeyringModule;
    }
  }
  return null;
};

const PROBE_ACCOUNT = 'availability-probe';

export const createOsKeyringStore = (keyring: KeyringModule, platform: NodeJS.Platform, service = KEYRING_SERVICE): CredentialStore => {
  const entry = (name: CredentialAccount) => new keyring.AsyncEntry(service, name, ENTRY_OPTIONS);
  return {
    backendName: osStoreName(platform),
    fallbackReason: null,
    get: (name) => entry(name).getPassword(),
    set: (name, value) => entry(name).setPassword(value),
    delete: async (name) => {
      // false (or a "no entry" error on some platforms) means there was nothing to delete.
      try {
        await entry(name).deletePassword();
      } catch (error) {
        if (!/no matching entry|not found/i.test(error instanceof Error ? error.message : String(error))) throw error;
      }
    },
    isSet: async (name) => (await entry(name).getPassword()) !== null,
  };
};

/**
 * The OS store, or why it cannot be used. Loading the module is not enough: on Linux without
 * a running Secret Service (a server, a container) every call fails, so one read is tried first.
 */
export const loadOsKeyringStore = async (
  importer: KeyringImporter = importKeyring,
  platform: NodeJS.Platform = process.platform,
  /** Tests on a real Windows Credential Manager pass their own, so they never touch the app's entries. */
  service = KEYRING_SERVICE,
): Promise<{ store: CredentialStore } | { unavailable: string }> => {
  let keyring: KeyringModule | null;
  try {
    keyring = asKeyringModule(await importer());
  } catch (error) {
    return { unavailable: `the keyring module did not load (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  if (!keyring) return { unavailable: 'the keyring module is not the expected @napi-rs/keyring' };
  try {
    await new keyring.AsyncEntry(service, PROBE_ACCOUNT, ENTRY_OPTIONS).getPassword();
  } catch (error) {
    return { unavailable: `${osStoreName(platform)} did not answer (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  return { store: createOsKeyringStore(keyring, platform, service) };
};
