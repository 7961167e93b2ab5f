/**
 * The credential store port: the only place secrets live. The engine asks it for the Stripe key
 * and the SQL password at the moment it connects; nothing else (SQLite, logs, the renderer)
 * ever holds them. The renderer only learns `isSet` flags.
 */

export const credentialNames = ['stripeApiKey', 'sqlPassword'] as const;
export type CredentialName = (typeof credentialNames)[number];

/**
 * A secret's account name in the store. Each settings profile has its own secrets: the first
 * profile (the installation from before profiles existed) keeps the bare names, every other
 * profile's are `<name>@<profile id>` (main/app/profile-credentials.ts), so a test profile's
 * key can never be read by the live profile.
 */
export type CredentialAccount = CredentialName | `${CredentialName}@${string}`;

export interface CredentialStore {
  /** Where secrets are kept, in the user's words ("Windows Credential Manager", "an encrypted file", "environment variables"). */
  readonly backendName: string;
  /** Why the OS credential store is not the one in use, shown beside every "saved" message; null when it is. */
  readonly fallbackReason: string | null;
  get(name: CredentialAccount): Promise<string | null>;
  set(name: CredentialAccount, value: string): Promise<void>;
  delete(name: CredentialAccount): Promise<void>;
  isSet(name: CredentialAccount): Promise<boolean>;
}

export const isCredentialName = (value: unknown): value is CredentialName =>
  typeof value === 'string' && (credentialNames as readonly string[]).includes(value);

/** Profile ids (main/app/profile-registry.ts): lower-case letters, digits and dashes, so an account name stays plain text. */
const ACCOUNT = /^(stripeApiKey|sqlPassword)(@[a-z0-9][a-z0-9-]{0,39})?$/;

export const isCredentialAccount = (value: unknown): value is CredentialAccount => typeof value === 'string' && ACCOUNT.test(value);

/** The secret an account holds (`stripeApiKey@test-company` holds a Stripe key). */
export const credentialNameOf = (account: CredentialAccount): CredentialName => account.split('@')[0] as CredentialName;

/** Thrown by stores that cannot be written (the environment store used for headless runs). */
export class ReadOnlyCredentialStoreError extends Error {
  constructor(backendName: string) {
    super(`The ${backendName} credential store is read-only; set the secret where it comes from.`);
    this.name = 'ReadOnlyCredentialStoreError';
  }
}
