import type { CredentialAccount, CredentialStore } from '../../main/adapters/credentials/credential-store.js';

/** Keeps secrets in memory for UI tests, so no test touches the OS credential store. */
export function createMemoryCredentialStore(): CredentialStore {
  const secrets = new Map<CredentialAccount, string>();
  return {
    backendName: 'memory',
    fallbackReason: null,
    get: async (name) => secrets.get(name) ?? null,
    set: async (name, value) => void secrets.set(name, value),
    delete: async (name) => void secrets.delete(name),
    isSet: async (name) => secrets.has(name),
  };
}
