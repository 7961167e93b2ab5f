import type { CredentialStore } from './credential-store.js';
import { createEnvironmentCredentialStore } from './environment-store.js';
import { importKeyring, loadOsKeyringStore, type KeyringImporter } from './os-keyring-store.js';
import { createSafeStorageCredentialStore, type StringCipher } from './safe-storage-store.js';

export interface CredentialStoreChoice {
  /** Defaults to a dynamic import of the optional @napi-rs/keyring module. */
  importKeyring?: KeyringImporter;
  platform?: NodeJS.Platform;
  /** Electron's safeStorage, passed in by the shell; absent in headless runs. */
  cipher?: StringCipher;
  /** Where the safeStorage store keeps its encrypted file. */
  encryptedFilePath: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The OS credential store (Windows Credential Manager) first; then the safeStorage-encrypted
 * file when it is unavailable; then read-only environment variables for headless runs. A
 * fallback store carries the reason, so the window and `s5sync secrets status` say it.
 */
export const chooseCredentialStore = async (choice: CredentialStoreChoice): Promise<CredentialStore> => {
  const os = await loadOsKeyringStore(choice.importKeyring ?? importKeyring, choice.platform ?? process.platform);
  if ('store' in os) return os.store;
  if (choice.cipher?.isEncryptionAvailable()) {
    return { ...createSafeStorageCredentialStore({ filePath: choice.encryptedFilePath, cipher: choice.cipher }), fallbackReason: os.unavailable };
  }
  return { ...createEnvironmentCredentialStore(choice.env), fallbackReason: os.unavailable };
};
