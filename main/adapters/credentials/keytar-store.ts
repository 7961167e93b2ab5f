import type { CredentialName, CredentialStore } from './credential-store.js';

/** Windows Credential Manager entries are grouped under this service name. */
export const KEYTAR_SERVICE = 'Stripe Sync for Sage 500';

/** The part of keytar's API we use; keytar is an optional native module with no bundled types here. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type KeytarImporter = () => Promise<unknown>;

// A variable specifier keeps TypeScript and the bundler from resolving keytar at build time:
// it is optional and may be missing or fail to load (no prebuilt binary for this Electron ABI).
const keytarSpecifier = 'keytar';
export const importKeytar: KeytarImporter = () => import(keytarSpecifier);

const hasKeytarShape = (candidate: unknown): candidate is KeytarModule => {
  if (typeof candidate !== 'object' || candidate === null) return false;
  const record = candidate as Record<string, unknown>;
  return (
    typeof record.getPassword === 'function' &&
    typeof record.setPassword === 'function' &&
    typeof record.deletePassword === 'function'
  );
};

/** keytar is CommonJS: an ESM import yields its exports either directly or under `default`. */
const asKeytarModule = (loaded: unknown): KeytarModule | null => {
  if (hasKeytarShape(loaded)) return loaded;
  if (typeof loaded === 'object' && loaded !== null && 'default' in loaded && hasKeytarShape(loaded.default)) {
    return loaded.default;
  }
  return null;
};

export const createKeytarCredentialStore = (keytar: KeytarModule): CredentialStore => ({
  backendName: 'keytar',
  get: (name: CredentialName) => keytar.getPassword(KEYTAR_SERVICE, name),
  set: (name: CredentialName, value: string) => keytar.setPassword(KEYTAR_SERVICE, name, value),
  delete: async (name: CredentialName) => {
    await keytar.deletePassword(KEYTAR_SERVICE, name);
  },
  isSet: async (name: CredentialName) => (await keytar.getPassword(KEYTAR_SERVICE, name)) !== null,
});

/** Resolves to null (never throws) when keytar is absent or its native binary will not load. */
export const loadKeytarCredentialStore = async (
  importer: KeytarImporter = importKeytar,
): Promise<CredentialStore | null> => {
  try {
    const keytar = asKeytarModule(await importer());
    return keytar ? createKeytarCredentialStore(keytar) : null;
  } catch {
    return null;
  }
};
