import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { parseConfig } from '../../main/adapters/config/config-file.js';

/**
 * Config typos through the CLI: every misspelt key, at every level of the config file and of
 * the mapping, stops the command with exit code 2 before anything runs, naming the key and
 * the key it most likely meant. Without the strict schemas these files were accepted and the
 * setting silently took its default (a `"shadowmode": true` run wrote to Sage).
 */

function workspace(config: Record<string, unknown>): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 's5sync-typo-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  return { dir, configPath };
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

const testKey = ['sk', 'test', 'typo0000000000000000'].join('_');
const base = { dataDir: '.', stripe: { apiKey: testKey }, sage: { kind: 'sandbox', path: 'sage.sqlite' } };

describe('config typos are refused with exit code 2 and the key that was meant', () => {
  const typos: [string, Record<string, unknown>, string, string][] = [
    ['sync.shadowmode', { ...base, sync: { shadowmode: true } }, 'sync.shadowmode', 'shadowMode'],
    ['stripe.apikey', { ...base, stripe: { apikey: testKey } }, 'stripe.apikey', 'apiKey'],
    ['sage.pth', { ...base, sage: { kind: 'sandbox', pth: 'sage.sqlite' } }, 'sage.pth', 'path'],
    ['mapping.granularty', { ...base, mapping: { granularty: 'daily-summary' } }, 'mapping.granularty', 'granularity'],
    ['top-level datadir', { ...base, datadir: '.' }, 'datadir', 'dataDir'],
    ['schedule.pollInterval', { ...base, schedule: { pollInterval: 10 } }, 'schedule.pollInterval', 'pollIntervalMinutes'],
    ['schedule.quietHours.form', { ...base, schedule: { quietHours: { form: '22:00', to: '06:00' } } }, 'schedule.quietHours.form', 'from'],
    ['sync.backfilldays', { ...base, sync: { backfilldays: 30 } }, 'sync.backfilldays', 'backfillDays'],
    [
      'mssql sage.trustServerCert',
      { ...base, sage: { kind: 'mssql', server: 'sql01', database: 'mas500_app', user: 'stripe', trustServerCert: true } },
      'sage.trustServerCert',
      'trustServerCertificate',
    ],
    ['mapping.accounts.bnak', { ...base, mapping: { accounts: { bnak: '1020-00' } } }, 'mapping.accounts.bnak', 'bank'],
    ['mapping.customers.matchbyemail', { ...base, mapping: { customers: { matchbyemail: false } } }, 'mapping.customers.matchbyemail', 'matchByEmail'],
    ['mapping.salesOrders.enable', { ...base, mapping: { salesOrders: { enable: true } } }, 'mapping.salesOrders.enable', 'enabled'],
  ];

  it.each(typos)('%s', async (_name, config, path, meant) => {
    const { configPath } = workspace(config);
    for (const command of [['sync', '--once'], ['status'], ['check']]) {
      const result = await cli([...command, '--config', configPath]);
      expect(result.code).toBe(2);
      expect(result.out).toContain(`${path}: unknown key`);
      expect(result.out).toContain(`did you mean "${meant}"?`);
    }
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(() => parseConfig({ ...base, sync: { zzzzzzzzzzzz: 1 } }, '/tmp')).toThrow(/sync\.zzzzzzzzzzzz: unknown key .*"backfillDays", "shadowMode", "writeBackMetadata"/);
  });
});

describe('mapping overrides merge deeply', () => {
  it('overriding one account keeps every other account and fee rule', () => {
    const config = parseConfig({ ...base, mapping: { accounts: { bank: '1030-00', fees: { stripe_fee: '6151-00' } } } }, '/tmp');
    expect(config.mapping.accounts.bank).toBe('1030-00');
    expect(config.mapping.accounts.clearing).toBe('1050-00');
    expect(config.mapping.accounts.revenue).toBe('4000-00');
    expect(config.mapping.accounts.fees).toEqual({ default: '6150-00', stripe_fee: '6151-00', application_fee: '6155-00', tax: '6155-00' });
  });

  it('overriding one customer rule keeps the others', () => {
    const config = parseConfig({ ...base, mapping: { customers: { idPrefix: 'WEB' } } }, '/tmp');
    expect(config.mapping.customers).toMatchObject({ idPrefix: 'WEB', custClassId: 'RETAIL', matchByEmail: true, createMissing: true });
  });

  it('a "__proto__" key is a refused key, not a prototype change', () => {
    const json = JSON.parse(`{"dataDir":".","sage":{"kind":"sandbox","path":"s"},"mapping":{"accounts":{"__proto__":{"bank":"9999-99"}}}}`) as unknown;
    expect(() => parseConfig(json, '/tmp')).toThrow(/mapping\.accounts\.__proto__: unknown key/);
  });
});

describe('keys are trimmed before the live-key check', () => {
  it.each([' ', '\t', '\n', '\u00a0'])('a live key behind %j is still refused', async (padding) => {
    const liveKey = ['sk', 'live', 'a'.repeat(24)].join('_');
    const { configPath } = workspace({ ...base, stripe: { apiKey: `${padding}${liveKey}` } });
    const result = await cli(['status', '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/live Stripe key/);
    expect(result.out).not.toContain('a'.repeat(24));
  });
});

describe('setup problems exit 2 with the path and the fix, never a raw driver message', () => {
  it('a missing sandbox file names the file and `s5sync sandbox init`', async () => {
    const { dir, configPath } = workspace({ ...base, sage: { kind: 'sandbox', path: 'no-such-sage.sqlite' } });
    const result = await cli(['sync', '--once', '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.out).toContain(join(dir, 'no-such-sage.sqlite'));
    expect(result.out).toContain('s5sync sandbox init --path');
    expect(result.out).not.toMatch(/SQLITE_|unable to open/i);
    const check = await cli(['check', '--config', configPath]);
    expect(check.code).toBe(2);
    expect(check.out).toContain('s5sync sandbox init --path');
  });

  it('a companyId that is not in Sage names the company and the ones that exist', async () => {
    const { dir, configPath } = workspace({ ...base, companyId: 'XYZ' });
    expect((await cli(['sandbox', 'init', '--path', join(dir, 'sage.sqlite')])).code).toBe(0);
    const result = await cli(['sync', '--once', '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/company "XYZ" is not in this Sage database \(tsmCompany has SOA\)/);
    const rows = new Database(join(dir, 'sage.sqlite'), { readonly: true }).prepare('SELECT COUNT(*) AS n FROM tglJournalHdr').get() as { n: number };
    expect(rows.n).toBe(0);
  });

  it('a data folder that cannot be created names the folder', async () => {
    const { dir, configPath } = workspace({ ...base, dataDir: 'blocker/data' });
    writeFileSync(join(dir, 'blocker'), 'a file where the folder should be');
    await cli(['sandbox', 'init', '--path', join(dir, 'sage.sqlite')]);
    const result = await cli(['sync', '--once', '--config', configPath]);
    expect(result.code).toBe(2);
    expect(result.out).toContain(`the data folder ${join(dir, 'blocker/data')} cannot be created`);
  });

  const isRoot = process.getuid?.() === 0;
  it.skipIf(isRoot || process.platform === 'win32')('a read-only data folder names the folder (skipped as root: root writes anyway)', async () => {
    const { dir, configPath } = workspace({ ...base, dataDir: 'data' });
    mkdirSync(join(dir, 'data'));
    chmodSync(join(dir, 'data'), 0o555);
    await cli(['sandbox', 'init', '--path', join(dir, 'sage.sqlite')]);
    const result = await cli(['sync', '--once', '--config', configPath]);
    chmodSync(join(dir, 'data'), 0o755);
    expect(result.code).toBe(2);
    expect(result.out).toContain(`the data folder ${join(dir, 'data')} cannot be read and written`);
  });
});
