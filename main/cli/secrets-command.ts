import { chooseCredentialStore } from '../adapters/credentials/choose-credential-store.js';
import { credentialNames, isCredentialName, type CredentialName, type CredentialStore } from '../adapters/credentials/credential-store.js';
import { environmentVariableFor } from '../adapters/credentials/environment-store.js';
import { ConfigError, type SyncConfig } from '../adapters/config/config-file.js';
import { credentialAccount, profileCredentials } from '../app/profile-credentials.js';
import { profileKeyRefusal } from '../app/profile-key-guard.js';
import { FIRST_PROFILE_ID, type Profile } from '../app/profile-registry.js';
import { stripeKeyModeOf } from '../app/stripe-api-base.js';

/**
 * `s5sync secrets status|set|delete`: the headless side of the credential store. A scheduled
 * task or Windows service runs `s5sync run` under its own account; `s5sync secrets set` under
 * that account puts the key in the same Windows Credential Manager store the run reads, so no
 * live key has to sit in an environment variable. The value comes from standard input, never
 * from the command line (command lines are visible to every user in the process list).
 */

export interface SecretsIo {
  /** Reads the secret: the first line of standard input. */
  readSecret(): Promise<string>;
  env: NodeJS.ProcessEnv;
}

/** The store headless runs use: the OS store, else the read-only environment. No Electron here, so no safeStorage file. */
export function headlessCredentialStore(env: NodeJS.ProcessEnv): Promise<CredentialStore> {
  return chooseCredentialStore({ env, encryptedFilePath: '' });
}

/**
 * `profile`: the window profile whose secrets these are (`--profile NAME`); null: the bare
 * account names, which are the first profile's and what `--config` runs read.
 */
export async function secretsCommand(action: string | undefined, name: string | undefined, io: SecretsIo, write: (line: string) => void, profile: Profile | null = null): Promise<number> {
  const allSecrets = await headlessCredentialStore(io.env);
  const store = profile ? profileCredentials(allSecrets, profile.id) : allSecrets;
  const accountOf = (credential: CredentialName) => credentialAccount(credential, profile?.id ?? FIRST_PROFILE_ID);
  if (action === 'status') {
    write(`secrets${profile ? ` of profile "${profile.name}"` : ''} are kept in ${store.backendName}`);
    if (store.fallbackReason) write(`  not in the OS credential store: ${store.fallbackReason}`);
    for (const credential of credentialNames) {
      const inEnvironment = Boolean(io.env[environmentVariableFor[credential]]);
      const stored = await store.isSet(credential);
      write(`  ${credential.padEnd(14)}${stored ? 'set' : 'not set'} (account ${accountOf(credential)})${inEnvironment ? ` (${environmentVariableFor[credential]} is set and wins for runs started with it)` : ''}`);
    }
    return 0;
  }
  if ((action !== 'set' && action !== 'delete') || !isCredentialName(name)) {
    throw new ConfigError(`use: s5sync secrets status | s5sync secrets set ${credentialNames.join('|')} (value on standard input) | s5sync secrets delete ${credentialNames.join('|')}`);
  }
  if (store.fallbackReason) {
    write(`error: the OS credential store cannot be used here: ${store.fallbackReason}. Set ${environmentVariableFor[name]} for the service instead.`);
    return 1;
  }
  if (action === 'delete') {
    await store.delete(name);
    write(`${name} deleted from ${store.backendName} (account ${accountOf(name)})`);
    return 0;
  }
  const value = (await io.readSecret()).trim();
  if (!value) throw new ConfigError(`no value on standard input: pipe or type the ${name} and press Enter`);
  const refusal = profile && name === 'stripeApiKey' ? profileKeyRefusal(profile, stripeKeyModeOf(value)) : null;
  if (refusal !== null) throw new ConfigError(refusal);
  await store.set(name, value);
  write(`${name} saved in ${store.backendName} (account ${accountOf(name)})`);
  return 0;
}

/**
 * The environment a headless run reads its secrets from: variables already set win, and so
 * does a test key in the config file (both are explicit choices for this run); the OS
 * credential store fills the rest, with the secrets of `profileId` when the run is a window
 * profile's (else the bare names).
 */
export async function withStoredSecrets(env: NodeJS.ProcessEnv, config: SyncConfig, profileId: string = FIRST_PROFILE_ID): Promise<NodeJS.ProcessEnv> {
  const missing = credentialNames.filter(
    (name) => !env[environmentVariableFor[name]] && !(name === 'stripeApiKey' && config.stripe.apiKey) && !(name === 'sqlPassword' && config.sage.kind === 'sandbox'),
  );
  if (missing.length === 0) return env;
  const store = profileCredentials(await headlessCredentialStore(env), profileId);
  if (store.fallbackReason) return env;
  const filled: NodeJS.ProcessEnv = { ...env };
  for (const name of missing) {
    // A store that fails a read is treated as not holding the secret: the run then stops with
    // its own "no Stripe key" / "no SQL Server password" message, which says how to set one.
    const value = await store.get(name).catch(() => null);
    if (value) filled[environmentVariableFor[name]] = value;
  }
  return filled;
}
