import { credentialNames, type CredentialAccount, type CredentialName, type CredentialStore } from '../adapters/credentials/credential-store.js';
import { FIRST_PROFILE_ID } from './profile-registry.js';

/**
 * A profile's view of the credential store: the app asks for `stripeApiKey` and gets this
 * profile's key. The first profile keeps the bare account names it had before profiles
 * existed (so upgrading moves no secret, and a `--config` service reading them keeps working);
 * every other profile's accounts are `<name>@<profile id>`. docs/security.md lists the names.
 */

export function credentialAccount(name: CredentialName, profileId: string): CredentialAccount {
  return profileId === FIRST_PROFILE_ID ? name : `${name}@${profileId}`;
}

export function profileCredentials(store: CredentialStore, profileId: string): CredentialStore {
  const account = (name: CredentialAccount): CredentialAccount => {
    // The app names secrets only by their bare name; an account here would be another profile's.
    if (name.includes('@')) throw new Error(`a profile's credential store is asked for ${name.split('@')[0]}, not for another profile's account`);
    return credentialAccount(name as CredentialName, profileId);
  };
  return {
    backendName: store.backendName,
    fallbackReason: store.fallbackReason,
    get: (name) => store.get(account(name)),
    set: (name, value) => store.set(account(name), value),
    delete: (name) => store.delete(account(name)),
    isSet: (name) => store.isSet(account(name)),
  };
}

/** Removes a deleted profile's secrets; the first profile's bare names are never removed this way (the upgrade's own secrets). */
export async function deleteProfileSecrets(store: CredentialStore, profileId: string): Promise<void> {
  if (profileId === FIRST_PROFILE_ID) return;
  for (const name of credentialNames) await store.delete(credentialAccount(name, profileId));
}
