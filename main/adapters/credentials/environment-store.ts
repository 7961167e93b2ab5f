import { ReadOnlyCredentialStoreError, type CredentialName, type CredentialStore } from './credential-store.js';

/** Headless runs (CLI, scheduled task, service, CI) take secrets from these variables. */
export const environmentVariableFor: Record<CredentialName, string> = {
  stripeApiKey: 'STRIPE_API_KEY',
  sqlPassword: 'S5SYNC_SQL_PASSWORD',
};

export const createEnvironmentCredentialStore = (env: NodeJS.ProcessEnv): CredentialStore => {
  const read = (name: CredentialName): string | null => {
    const value = env[environmentVariableFor[name]];
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
