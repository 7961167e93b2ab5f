import type { CredentialStore } from './credential-store.js';
import { createEnvironmentCredentialStore } from './environment-store.js';
import { loadKeytarCredentialStore, importKeytar, type KeytarImporter } from './keytar-store.js';
import { createSafeStorageCredentialStore, type StringCipher } from './safe-storage-store.js';

export interface CredentialStoreChoice {
  /** Defaults to a dynamic import of the optional keytar module. */
  importKeytar?: KeytarImporter;
  /** Electron's safeStorage, passed in by the shell; absent in headless runs. */
  cipher?: StringCipher;
  /** Where the safeStorage store keeps its encrypted file. */
  encryptedFilePath: string;
  env: NodeJS.ProcessEnv;
}

/**
 * keytar (Windows Credential Manager) first; then the safeStorage-encrypted file when keytar's
 * native module is unavailable; then read-only environment variables for headless runs.
 */
export const chooseCredentialStore = async (choice: CredentialStoreChoice): Promise<CredentialStore> => {
  const keytarStore = await loadKeytarCredentialStore(choice.importKeytar ?? importKeytar);
  if (keytarStore) return keytarStore;
  if (choice.cipher?.isEncryptionAvailable()) {
    return createSafeStorageCredentialStore({ filePath: choice.encryptedFilePath, cipher: choice.cipher });
  }
  return createEnvironmentCredentialStore(choice.env);
};
