import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { REPO_ROOT } from '../reliability/harness.js';

/**
 * A scheduled `s5sync sync --once` against a sandbox must not run the SQL Server driver nor
 * the demo's Stripe simulator: evaluating mssql (tedious, its Azure and crypto dependencies)
 * cost more than the whole idle run (issue #19, item 6). Both are inside the CLI's bundle,
 * wrapped in initialisers that run at their dynamic import, so the test asks V8 which of the
 * bundle's module initialisers ran (NODE_V8_COVERAGE: each esbuild module wrapper is a function
 * named by the module's path). A run against a SQL Server target shows the probe sees the driver.
 */

interface Evaluated {
  mssql: number;
  tedious: number;
  stripeSimulator: number;
}

/** How many module initialisers of each kind the bundle ran in a process that wrote its coverage to `dir`. */
function evaluatedModules(dir: string): Evaluated {
  const evaluated: Evaluated = { mssql: 0, tedious: 0, stripeSimulator: 0 };
  for (const file of readdirSync(dir)) {
    const coverage = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
    };
    for (const script of coverage.result.filter((entry) => entry.url.endsWith('/dist/cli/s5sync.cjs'))) {
      for (const fn of script.functions) {
        if ((fn.ranges[0]?.count ?? 0) === 0) continue;
        if (fn.functionName.startsWith('node_modules/mssql/')) evaluated.mssql++;
        if (fn.functionName.startsWith('node_modules/tedious/')) evaluated.tedious++;
        if (fn.functionName.startsWith('main/simulators/stripe/')) evaluated.stripeSimulator++;
      }
    }
  }
  return evaluated;
}

describe('s5sync sync --once and the modules it runs', () => {
  let simulator: StripeSimulator;
  let dir: string;

  beforeAll(async () => {
    simulator = await startStripeSimulator({ seed: 3, days: 2 });
    dir = mkdtempSync(join(tmpdir(), 's5sync-lazy-'));
    const sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    const stripe = { apiBase: simulator.apiBase, apiKey: simulator.apiKey };
    writeFileSync(join(dir, 'sandbox.json'), JSON.stringify({ dataDir: join(dir, 'data'), stripe, sage: { kind: 'sandbox', path: sandboxPath } }));
    // Nothing listens on port 1: the driver loads, tries to connect and the run fails.
    const sqlServer = { kind: 'mssql', server: '127.0.0.1', port: 1, database: 'sage500', user: 's5sync', encrypt: false };
    writeFileSync(join(dir, 'mssql.json'), JSON.stringify({ dataDir: join(dir, 'data-mssql'), stripe, sage: sqlServer }));
  });

  afterAll(async () => {
    await simulator.close();
  });

  const syncOnce = async (config: string): Promise<{ stdout: string; stderr: string; evaluated: Evaluated }> => {
    expect(existsSync(join(REPO_ROOT, 'dist/cli/s5sync.cjs')), 'run `node scripts/build-node.mjs` first').toBe(true);
    const coverageDir = mkdtempSync(join(dir, 'coverage-'));
    const result = await promisify(execFile)(process.execPath, ['bin/s5sync.mjs', 'sync', '--once', '--config', join(dir, config)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_V8_COVERAGE: coverageDir, S5SYNC_SQL_PASSWORD: 'not-a-real-password' },
    }).catch((error: { stdout: string; stderr: string }) => error);
    return { stdout: result.stdout, stderr: result.stderr, evaluated: evaluatedModules(coverageDir) };
  };

  it('syncs against the sandbox without running the SQL Server driver or the Stripe simulator', async () => {
    const run = await syncOnce('sandbox.json');
    expect(run.stdout).toMatch(/run \d+ succeeded/);
    expect(run.evaluated).toEqual({ mssql: 0, tedious: 0, stripeSimulator: 0 });
  });

  it('runs the driver for a SQL Server target (the probe sees it)', async () => {
    const run = await syncOnce('mssql.json');
    expect(run.stdout + run.stderr).toMatch(/Failed to connect to 127\.0\.0\.1:1/);
    expect(run.evaluated.mssql).toBeGreaterThan(0);
    expect(run.evaluated.tedious).toBeGreaterThan(0);
    expect(run.evaluated.stripeSimulator).toBe(0);
  });
});
