import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { main } from '../../main/cli/s5sync.js';
import { newWorkspace, type Workspace } from './harness.js';

/**
 * Secrets never land in SQLite, logs, status output or error messages; hostile text from
 * Stripe reaches Sage verbatim through parameters, never through concatenated SQL.
 */

const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const randomText = (n: number): string => [...randomBytes(n)].map((byte) => alphabet[byte % alphabet.length]).join('');
const STRIPE_KEY = `sk_test_${randomText(24)}`;
const SQL_PASSWORD = `pw-${randomText(20)}`;
const LIVE_KEY = `sk_live_${randomText(24)}`;
const MARKERS = [STRIPE_KEY.slice(8), SQL_PASSWORD, LIVE_KEY.slice(8)];

const HOSTILE = {
  name: `O'Brien"; DROP TABLE tarCustomer;--`,
  email: `x'); DELETE FROM tglJournalDetl;--@ex.com`,
  line1: `1 Main St'; UPDATE tarCustomer SET`,
  city: `Qu'e;bec--`,
};

let simulator: StripeSimulator;
let workspace: Workspace;
let configPath: string;
const captured: string[] = [];

async function cli(args: string[], env: Record<string, string>): Promise<number> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    captured.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    captured.push(String(chunk));
    return true;
  });
  try {
    return await main(args, (line) => captured.push(line));
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  simulator = await startStripeSimulator({ seed: 41, days: 6 });
  const customers = simulator.objects('customer');
  const victim = customers[0] as unknown as Record<string, unknown>;
  victim.name = HOSTILE.name;
  victim.email = HOSTILE.email;
  victim.address = { line1: HOSTILE.line1, line2: null, city: HOSTILE.city, state: 'QC', postal_code: 'H2X', country: 'CA' };
  workspace = newWorkspace('secrets', simulator);
  configPath = join(workspace.dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      dataDir: './data',
      stripe: { apiBase: simulator.apiBase, requestsPerSecond: null },
      sage: { kind: 'sandbox', path: './sage.sqlite' },
      // `s5sync sync` runs on the system clock; 'all' reaches the simulator's fixed history.
      sync: { backfillDays: 'all' },
    }),
  );
  const env = { STRIPE_API_KEY: STRIPE_KEY, S5SYNC_SQL_PASSWORD: SQL_PASSWORD };
  // A rejected key first (the run fails and its error is stored), then real syncs.
  await cli(['sync', '--once', '--config', configPath], { ...env, STRIPE_API_KEY: LIVE_KEY });
  expect(await cli(['sync', '--once', '--config', configPath], env)).toBe(0);
  await cli(['status', '--config', configPath], env);
  await cli(['status', '--json', '--config', configPath], env);
  await cli(['errors', '--config', configPath], env);
  await cli(['retry', '--all', '--config', configPath], env);
}, 60_000);

afterAll(async () => {
  await simulator.close();
});

describe('secrets', () => {
  it('the simulator accepted the random test key and the pipeline wrote to Sage', () => {
    const db = new Database(workspace.sandboxPath, { readonly: true });
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM tciStripeXref_STRIPE').get() as { n: number }).n).toBeGreaterThan(50);
    } finally {
      db.close();
    }
    expect(captured.join('\n').length).toBeGreaterThan(100);
  });

  it('appear in no byte of the ledger, the sandbox or any file in the data folder', () => {
    const files = filesUnder(workspace.dir).filter((path) => !path.endsWith('config.json'));
    expect(files.some((path) => path.endsWith('ledger.sqlite'))).toBe(true);
    for (const path of files) {
      const bytes = readFileSync(path);
      for (const marker of MARKERS) expect(bytes.includes(Buffer.from(marker)), `${marker} in ${path}`).toBe(false);
    }
  });

  it('appear in no output of sync, status, errors and retry, nor in stored error messages', () => {
    const output = captured.join('\n');
    for (const marker of MARKERS) expect(output).not.toContain(marker);
    const ledger = new Database(join(workspace.dataDir, 'ledger.sqlite'), { readonly: true });
    try {
      const runs = ledger.prepare('SELECT * FROM runs').all();
      expect(runs.some((run) => JSON.stringify(run).includes('failed'))).toBe(true);
      for (const marker of MARKERS) expect(JSON.stringify(runs)).not.toContain(marker);
    } finally {
      ledger.close();
    }
  });
});

describe('SQL injection', () => {
  it('hostile customer text lands verbatim in Sage columns and nothing else is touched', () => {
    const db = new Database(workspace.sandboxPath, { readonly: true });
    try {
      const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((row) => row.name);
      const found = new Set<string>();
      for (const table of tables) {
        const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[]).filter((c) => /char|text/i.test(c.type));
        for (const column of columns) {
          for (const [field, value] of Object.entries(HOSTILE)) {
            const hit = db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column.name}" = ?`).get(value) as { n: number };
            if (hit.n > 0) found.add(field);
          }
        }
      }
      expect([...found].sort()).toEqual(['city', 'email', 'line1', 'name']);
      for (const table of ['tarCustomer', 'tglJournalDetl', 'tciStripeXref_STRIPE']) {
        expect((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n).toBeGreaterThan(0);
      }
      expect((db.prepare('SELECT SUM(PostAmt) AS n FROM tglJournalDetl').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });
});
