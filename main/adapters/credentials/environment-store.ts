import { credentialNameOf, ReadOnlyCredentialStoreError, type CredentialAccount, type CredentialName, type CredentialStore } from './credential-store.js';

/** Headless runs (CLI, scheduled task, service, CI) take secrets from these variables. */
export const environmentVariableFor: Record<CredentialName, string> = {
  stripeApiKey: 'STRIPE_API_KEY',
  sqlPassword: 'S5SYNC_SQL_PASSWORD',
};

export const createEnvironmentCredentialStore = (env: NodeJS.ProcessEnv): CredentialStore => {
  // One variable per secret, whatever the profile: a run started with STRIPE_API_KEY set means that key.
  const read = (account: CredentialAccount): string | null => {
    const value = env[environmentVariableFor[credentialNameOf(account)]];
    return value === undefined || value === '' ? null : value;
  };
  return {
    backendName: 'environment variables',
    fallbackReason: null,
    get: async (name) => read(name),
    set: async () => {
      throw new ReadOnlyCredentialStoreError('environment variables');
    },
    delete: async () => {
      throw new ReadOnlyCredentialStoreError('environment variables');
    },
    isSet: async (name) => read(name) !== null,
  };
};
