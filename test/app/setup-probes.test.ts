import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeHttpApi } from '../../main/adapters/stripe/stripe-http-api.js';
import { openMssql } from '../../main/adapters/sage/mssql-executor.js';
import { isSageUnreachable, reconnectDelay, sageProblem, stripeProblem } from '../../main/app/connection-problem.js';
import { DEFAULT_APP_SETTINGS } from '../../main/app/app-settings.js';
import { ConfigError } from '../../main/adapters/config/config-file.js';
import { SqlExecutionError } from '../../main/adapters/sage/sql-port.js';
import { StripeAuthError, StripeTransientError } from '../../main/core/ports/stripe-api.js';
import { explainSqlConnectionError } from '../../main/app/sql-connection-problem.js';
import { permissionNamed, probeStripeKey } from '../../main/app/stripe-key-probe.js';
import { type StripeSimulator, startStripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';

/**
 * The setup wizard's probes against the real things they talk to: the Stripe key test over
 * HTTP against the simulator (which refuses a restricted key's missing permission with
 * Stripe's 403), and the SQL Server test through the real mssql/tedious driver at addresses
 * that fail the way an office network does. Keys are assembled at run time.
 */

const key = (kind: 'sk' | 'rk' | 'pk', mode: 'test' | 'live', tail: string) => [kind, mode, tail].join('_');

let simulator: StripeSimulator;
const api = (apiKey: string, apiBase = simulator.apiBase) => new StripeHttpApi({ apiKey, apiBase, timeoutMs: 5_000 });

beforeAll(async () => {
  simulator = await startStripeSimulator({ seed: 3, days: 5 });
});

afterAll(async () => {
  await simulator.close();
});

describe('Stripe key probe', () => {
  it('refuses text that is not a Stripe key, and a publishable key, before asking Stripe', async () => {
    const before = simulator.requestLog.length;
    const hello = await probeStripeKey('hello world', api('hello world'));
    expect(hello.passed).toBe(false);
    expect(hello.problem?.title).toBe('This is not a Stripe API key');
    const publishable = key('pk', 'test', 'abc123');
    expect((await probeStripeKey(publishable, api(publishable))).problem?.title).toBe('This is a publishable key');
    expect(simulator.requestLog.length).toBe(before);
  });

  it('says Stripe does not accept a key it answers 401 for', async () => {
    const live = key('rk', 'live', 'unknownKey123');
    const result = await probeStripeKey(live, api(live));
    expect(result).toMatchObject({ passed: false, mode: 'live', restricted: true, problem: { title: 'Stripe does not accept this key' } });
  });

  it('passes a working test key, naming the account and the mode', async () => {
    const secret = key('sk', 'test', 'probeAll1');
    const result = await probeStripeKey(secret, api(secret));
    expect(result).toMatchObject({ passed: true, mode: 'test', restricted: false, problem: null, missingPermissions: [] });
    expect(result.accountName).toBeTruthy();
    // A secret key works but is more than the sync needs.
    expect(result.warnings.join(' ')).toMatch(/restricted key .* is safer/);
  });

  it('lists each resource a restricted key may not read, from the 403 of each endpoint the engine reads', async () => {
    const restricted = key('rk', 'test', 'noPayouts1');
    simulator.restrictKey(restricted, ['rak_payout_read', 'rak_balance_transaction_source_read', 'rak_account_read']);
    const result = await probeStripeKey(restricted, api(restricted));
    expect(result.passed).toBe(false);
    expect(result.missingPermissions).toEqual([
      { resource: 'Balance transaction sources', permission: 'rak_balance_transaction_source_read', endpoint: 'GET /v1/balance_transactions' },
      { resource: 'Payouts', permission: 'rak_payout_read', endpoint: 'GET /v1/payouts' },
    ]);
    expect(result.problem?.fix).toMatch(/edit the restricted key, set each resource listed to Read/);
    // The account could not be read (no permission), which alone does not fail the key.
    expect(result.accountName).toBeNull();

    const full = key('rk', 'test', 'allReads1');
    const passing = await probeStripeKey(full, api(full));
    expect(passing).toMatchObject({ passed: true, restricted: true, missingPermissions: [] });
    expect(passing.warnings.join(' ')).toMatch(/not tested here/);
  });

  it('asks each list with the expansions the sync sends, so a key that may not read PaymentIntents fails here, not in the first sync', async () => {
    const restricted = key('rk', 'test', 'noIntents1');
    simulator.restrictKey(restricted, ['rak_payment_intent_read']);
    const result = await probeStripeKey(restricted, api(restricted));
    expect(result.passed).toBe(false);
    expect(result.missingPermissions).toEqual([{ resource: 'PaymentIntents', permission: 'rak_payment_intent_read', endpoint: 'GET /v1/charges' }]);
  });

  it('reads the permission name from both wordings of Stripe\'s 403', () => {
    expect(permissionNamed("The provided key 'rk_test_***1234' does not have the required permissions for this endpoint on account 'acct_1'. Having the 'rak_charge_read' permission would allow this request to continue.")).toBe('rak_charge_read');
    expect(permissionNamed("Enabling Webhook Endpoints Read ('webhook_read') permissions on this key would allow this request to continue.")).toBe('webhook_read');
    expect(permissionNamed('Invalid API Key provided.')).toBeNull();
  });

  it('says Stripe cannot be reached when nothing answers', async () => {
    const closed = await closedPort();
    const secret = key('sk', 'test', 'offline1');
    const result = await probeStripeKey(secret, api(secret, `http://127.0.0.1:${closed}`));
    expect(result.problem?.title).toBe('Cannot reach Stripe');
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('SQL Server connection problems', () => {
  const address = { server: 'sage01', port: null, database: 'SOA_App', user: 'stripe_sync' };

  it('explains a refused connection from the real driver, and counts it as unreachable (retried), not a setup error', async () => {
    const port = await closedPort();
    const error = await openMssql({ server: '127.0.0.1', port, database: 'x', user: 'u', encrypt: false, trustServerCertificate: false }, 'p').then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).not.toBeNull();
    const problem = explainSqlConnectionError(error, { ...address, server: '127.0.0.1', port });
    expect(problem.title).toBe(`Nothing answered at 127.0.0.1, port ${port}`);
    expect(problem.fix).toMatch(/TCP\/IP is enabled in SQL Server Configuration Manager/);
    expect(isSageUnreachable(error)).toBe(true);
  });

  // tedious reports these as ConnectionError { code } wrapping Node's error (tedious lib/connection.js); mssql wraps that once more.
  const wrapped = (code: string, message: string, cause?: object) => {
    const driver = Object.assign(new Error(message), { code, cause });
    return Object.assign(new Error(message), { code, originalError: driver });
  };

  it.each([
    ['an unknown server name', wrapped('ESOCKET', 'Failed to connect to sage01:1433 - getaddrinfo ENOTFOUND sage01'), /^No computer named sage01 was found$/, true],
    ['a timeout', wrapped('ETIMEOUT', 'Failed to connect to sage01:1433 in 15000ms'), /^sage01 did not answer$/, true],
    ['a missing named instance', wrapped('EINSTLOOKUP', 'Failed to get response from SQL Server Browser on sage01'), /^The instance SAGE was not found$/, true],
    ['a self-signed certificate', wrapped('ESOCKET', 'Failed to connect to sage01:1433 - self-signed certificate', Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })), /^The SQL Server certificate is not trusted$/, false],
    ['a certificate for another name', wrapped('ESOCKET', "Hostname/IP does not match certificate's altnames", { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'altnames' }), /^The SQL Server certificate is for another name$/, false],
    ['a wrong password', wrapped('ELOGIN', "Login failed for user 'stripe_sync'."), /^SQL Server refused the login stripe_sync$/, false],
    ['a database the login may not open', wrapped('ELOGIN', 'Cannot open database "SOA_App" requested by the login. The login failed.'), /^The database SOA_App cannot be opened$/, false],
    ['a server that requires encryption', wrapped('EENCRYPT', "Server requires encryption, set 'encrypt' config option to true."), /^SQL Server requires an encrypted connection$/, false],
  ])('explains %s in plain words', (_name, error, title, unreachable) => {
    const server = /instance/.test(_name) ? 'sage01\\SAGE' : 'sage01';
    expect(explainSqlConnectionError(error, { ...address, server }).title).toMatch(title);
    expect(isSageUnreachable(error)).toBe(unreachable);
  });

  it('waits longer after each failed try, up to five minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((attempt) => reconnectDelay(attempt))).toEqual([15_000, 30_000, 60_000, 120_000, 300_000, 300_000, 300_000]);
  });
});

describe('why the saved setup did not start', () => {
  const settings = { ...DEFAULT_APP_SETTINGS, sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'mssql' as const, server: 'sage01', database: 'SOA_App', user: 'stripe_sync' } };
  const since = new Date('2026-11-27T08:00:00Z');
  const retry = new Date('2026-11-27T08:00:15Z');
  const driverError = (code: string, message: string) => new SqlExecutionError(message, 'other', 'connect', Object.assign(new Error(message), { code }));

  it('is offline (retried) when Sage cannot be reached, and names the reason', () => {
    const problem = sageProblem(driverError('ESOCKET', 'Failed to connect to sage01:1433 - getaddrinfo ENOTFOUND sage01'), settings, since, retry);
    expect(problem).toMatchObject({ kind: 'sage-unreachable', title: 'Cannot reach Sage 500', nextAttemptAt: retry.toISOString() });
    expect(problem.reason).toMatch(/^No computer named sage01 was found\. .*VPN/);
  });

  it('needs a fix (no retry) when the login is refused, the certificate is not trusted or the company is wrong', () => {
    expect(sageProblem(driverError('ELOGIN', "Login failed for user 'stripe_sync'."), settings, since, retry)).toMatchObject({ kind: 'cannot-start', nextAttemptAt: null, reason: expect.stringMatching(/^SQL Server refused the login stripe_sync\./) });
    expect(sageProblem(driverError('ESOCKET', 'Failed to connect to sage01:1433 - self-signed certificate'), settings, since, retry).kind).toBe('cannot-start');
    expect(sageProblem(new ConfigError('company "XYZ" is not in this Sage database'), settings, since, retry)).toMatchObject({ kind: 'cannot-start', reason: expect.stringContaining('company "XYZ" is not in this Sage database') });
  });

  it('is offline when Stripe cannot be reached, needs a new key when Stripe refuses it, and ignores a permission the account read lacks', () => {
    expect(stripeProblem(new StripeTransientError('Could not reach Stripe: fetch failed'), since, retry)).toMatchObject({ kind: 'stripe-unreachable', title: 'Cannot reach Stripe' });
    expect(stripeProblem(new StripeAuthError('Invalid API Key provided.', 401), since, retry)).toMatchObject({ kind: 'cannot-start', nextAttemptAt: null });
    expect(stripeProblem(new StripeAuthError('no rak_account_read', 403), since, retry)).toBeNull();
  });
});
