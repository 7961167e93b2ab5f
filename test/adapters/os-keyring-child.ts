import { loadOsKeyringStore } from '../../main/adapters/credentials/os-keyring-store.js';
import { secretsCommand, withStoredSecrets } from '../../main/cli/secrets-command.js';
import { parseConfig } from '../../main/adapters/config/config-file.js';

/**
 * Runs inside a private D-Bus session with GNOME Keyring (started by os-keyring-real.test.ts):
 * the real @napi-rs/keyring binding against a real Secret Service, through the same code the
 * app and `s5sync secrets` use. Prints one JSON object for the test to check.
 */
const value = process.argv[2] ?? '';
const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_API_KEY: undefined, S5SYNC_SQL_PASSWORD: undefined };
const out: string[] = [];
const write = (line: string) => out.push(line);

const loaded = await loadOsKeyringStore();
const backend = 'store' in loaded ? loaded.store.backendName : `unavailable: ${loaded.unavailable}`;
const setCode = await secretsCommand('set', 'stripeApiKey', { env, readSecret: async () => `  ${value}  ` }, write);
const config = parseConfig({ dataDir: '.', sage: { kind: 'mssql', server: 'sql01', database: 'mas500_app', user: 'stripe' } }, '/tmp');
const headlessKey = (await withStoredSecrets(env, config)).STRIPE_API_KEY ?? null;
const statusCode = await secretsCommand('status', undefined, { env, readSecret: async () => '' }, write);
const deleteCode = await secretsCommand('delete', 'stripeApiKey', { env, readSecret: async () => '' }, write);
const afterDelete = (await withStoredSecrets(env, config)).STRIPE_API_KEY ?? null;
await secretsCommand('status', undefined, { env, readSecret: async () => '' }, write);
process.stdout.write(JSON.stringify({ backend, setCode, headlessKey, statusCode, deleteCode, afterDelete, out }));
