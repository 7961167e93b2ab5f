/**
 * The credential store port: the only place secrets live. The engine asks it for the Stripe key
 * and the SQL password at the moment it connects; nothing else (SQLite, logs, the renderer)
 * ever holds them. The renderer only learns `isSet` flags.
 */

export const credentialNames = ['stripeApiKey', 'sqlPassword'] as const;
export type CredentialName = (typeof credentialNames)[number];

export interface CredentialStore {
  /** Human-readable backend, shown in diagnostics ("keytar", "safeStorage", "environment"). */
  readonly backendName: string;
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
