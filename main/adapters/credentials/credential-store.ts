/**
 * The credential store port: the only place secrets live. The engine asks it for the Stripe key
 * and the SQL password at the moment it connects; nothing else (SQLite, logs, the renderer)
 * ever holds them. The renderer only learns `isSet` flags.
 */

export const credentialNames = ['stripeApiKey', 'sqlPassword'] as const;
export type CredentialName = (typeof credentialNames)[number];

export interface CredentialStore {
  /** Where secrets are kept, in the user's words ("Windows Credential Manager", "an encrypted file", "environment variables"). */
  readonly backendName: string;
  /** Why the OS credential store is not the one in use, shown beside every "saved" message; null when it is. */
  readonly fallbackReason: string | null;
  get(name: CredentialName): Promise<string | null>;
  set(name: CredentialName, value: string): Promise<void>;
  delete(name: CredentialName): Promise<void>;
  isSet(name: CredentialName): Promise<boolean>;
}

export const isCredentialName = (value: unknown): value is CredentialName =>
  typeof value === 'string' && (credentialNames as readonly string[]).includes(value);

/** Thrown by stores that cannot be written (the environment store used for headless runs). */
export class ReadOnlyCredentialStoreError extends Error {
  constructor(backendName: string) {
    super(`The ${backendName} credential store is read-only; set the secret where it comes from.`);
    this.name = 'ReadOnlyCredentialStoreError';
  }
}
