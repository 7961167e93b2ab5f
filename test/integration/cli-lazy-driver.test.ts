import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { REPO_ROOT } from '../reliability/harness.js';

/**
 * A scheduled `s5sync sync --once` against a sandbox must not load the SQL Server driver nor
 * the demo's Stripe simulator: loading mssql (tedious, its Azure and crypto dependencies) cost
 * more than the whole idle run (issue #19, item 6). Runs the real bin/s5sync.mjs over dist/ and
 * reports, at exit, which of those the process had loaded.
 */
const REPORT_LOADED = `
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/');
process.on('exit', () => {
  const loaded = Object.keys(require.cache);
  process.stderr.write('LOADED ' + JSON.stringify({ mssql: loaded.some((p) => p.includes('/node_modules/mssql/')), tedious: loaded.some((p) => p.includes('/node_modules/tedious/')) }) + '\\n');
});`;

describe('s5sync sync --once against the Sage sandbox', () => {
  let simulator: StripeSimulator;
  let configPath: string;

  beforeAll(async () => {
    simulator = await startStripeSimulator({ seed: 3, days: 2 });
    const dir = mkdtempSync(join(tmpdir(), 's5sync-lazy-'));
    const sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    configPath = join(dir, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({ dataDir: join(dir, 'data'), stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey }, sage: { kind: 'sandbox', path: sandboxPath } }),
    );
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('syncs without loading the SQL Server driver', async () => {
    expect(existsSync(join(REPO_ROOT, 'dist/cli/s5sync.cjs')), 'run `node scripts/build-node.mjs` first').toBe(true);
    const hook = `data:text/javascript,${encodeURIComponent(REPORT_LOADED)}`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', hook, 'bin/s5sync.mjs', 'sync', '--once', '--config', configPath], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/run \d+ succeeded/);
    expect(/LOADED (.*)/.exec(stderr)?.[1]).toBe(JSON.stringify({ mssql: false, tedious: false }));
  });
});
