import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CredentialAccount, CredentialStore } from './credential-store.js';
import { SerialQueue } from '../../core/async/serial-queue.js';

/**
 * The subset of Electron's safeStorage this store needs. The shell passes the real one in;
 * this file must not import electron (it is an adapter, and headless runs have no Electron).
 */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

interface EncryptedFileContents {
  version: 1;
  /** Base64 of the OS-encrypted bytes (DPAPI on Windows); never the plaintext. */
  entries: Partial<Record<CredentialAccount, string>>;
}

const emptyContents = (): EncryptedFileContents => ({ version: 1, entries: {} });

const readContents = async (filePath: string): Promise<EncryptedFileContents> => {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyContents();
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || !('entries' in parsed)) return emptyContents();
  const entries = parsed.entries;
  if (typeof entries !== 'object' || entries === null) return emptyContents();
  return { version: 1, entries: entries as EncryptedFileContents['entries'] };
};

/** Write to a temp file then rename, so a crash mid-write never leaves a truncated store. */
const writeContents = async (filePath: string, contents: EncryptedFileContents): Promise<void> => {
  await mkdir(dirname(filePath), { recursive: true });
  const temporaryPath = `${filePath}.tmp`;
  await writeFile(temporaryPath, JSON.stringify(contents), { encoding: 'utf8', mode: 0o600 });
  await rename(temporaryPath, filePath);
};

export const createSafeStorageCredentialStore = (options: {
  filePath: string;
  cipher: StringCipher;
}): CredentialStore => {
  const { filePath, cipher } = options;
  // Writes are serialised so two concurrent `set`s cannot lose one another's entry.
  const writes = new SerialQueue();
  const update = (change: (contents: EncryptedFileContents) => void): Promise<void> =>
    writes.run(async () => {
      const contents = await readContents(filePath);
      change(contents);
      await writeContents(filePath, contents);
    });

  return {
    backendName: 'an encrypted file (Electron safeStorage)',
    fallbackReason: null,
    get: async (name) => {
      const encoded = (await readContents(filePath)).entries[name];
      return encoded === undefined ? null : cipher.decryptString(Buffer.from(encoded, 'base64'));
    },
    set: (name, value) =>
      update((contents) => {
        contents.entries[name] = cipher.encryptString(value).toString('base64');
      }),
    delete: (name) =>
      update((contents) => {
        delete contents.entries[name];
      }),
    isSet: async (name) => (await readContents(filePath)).entries[name] !== undefined,
  };
};
