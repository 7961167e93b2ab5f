import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { REPO_ROOT } from '../reliability/harness.js';

/**
 * A scheduled `s5sync sync --once` runs the CLI's bundle from V8's code cache (bin/cached-bundle.mjs;
 * docs/performance.md, section 6). V8 refuses a cache saved under other flags, and the engine's
 * heap bound is a V8 flag (main/app/engine-heap.ts): set after the bundle was compiled, it made the
 * cache each sync saved unusable for the next, which compiled the bundle again and rewrote it. Here
 * the CLI runs from a copy of bin/ and dist/cli/ of its own (the cache lives beside the bundle,
 * and other tests run the repository's CLI at the same time), against a sandbox and the simulator.
 */

interface CacheFile {
  name: string;
  inode: number;
  bytes: string;
}

describe('s5sync sync --once and the code cache', () => {
  let simulator: StripeSimulator;
  let dir: string;
  let install: string;

  beforeAll(async () => {
    expect(existsSync(join(REPO_ROOT, 'dist/cli/s5sync.cjs')), 'run `node scripts/build-node.mjs` first').toBe(true);
    simulator = await startStripeSimulator({ seed: 5, days: 2 });
    dir = mkdtempSync(join(tmpdir(), 's5sync-cache-sync-'));
    install = join(dir, 'install');
    mkdirSync(join(install, 'bin'), { recursive: true });
    mkdirSync(join(install, 'dist', 'cli'), { recursive: true });
    for (const name of readdirSync(join(REPO_ROOT, 'bin'))) copyFileSync(join(REPO_ROOT, 'bin', name), join(install, 'bin', name));
    for (const name of ['s5sync.cjs', 'engine-heap.mjs']) copyFileSync(join(REPO_ROOT, 'dist', 'cli', name), join(install, 'dist', 'cli', name));
    // The bundle requires its native modules (better-sqlite3) from node_modules above it.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(install, 'node_modules'));
    const sandboxPath = join(dir, 'sage.sqlite');
    createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
    const config = { dataDir: join(dir, 'data'), stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey }, sage: { kind: 'sandbox', path: sandboxPath } };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  });

  afterAll(async () => {
    await simulator.close();
  });

  const cacheDir = (): string => join(install, 'dist', 'cli', 'code-cache');

  const cacheFiles = (): CacheFile[] =>
    readdirSync(cacheDir())
      .filter((name) => name.endsWith('.v8cache'))
      .map((name) => ({ name, inode: statSync(join(cacheDir(), name)).ino, bytes: readFileSync(join(cacheDir(), name)).toString('base64') }));

  const syncOnce = async (): Promise<string> => {
    const result = await promisify(execFile)(process.execPath, [join(install, 'bin', 's5sync.mjs'), 'sync', '--once', '--config', join(dir, 'config.json')], {
      encoding: 'utf8',
    });
    return result.stdout;
  };

  /** Whether V8 takes the CLI's saved cache in a fresh process, with or without the heap bound set before compiling. */
  const cacheTakenBy = async (withHeapBound: boolean): Promise<boolean> => {
    const script = `
      const { boundHeapGrowth } = await import(${JSON.stringify(pathToFileURL(join(install, 'dist', 'cli', 'engine-heap.mjs')).href)});
      const { loadCachedBundle } = await import(${JSON.stringify(pathToFileURL(join(install, 'bin', 'cached-bundle.mjs')).href)});
      if (${withHeapBound}) boundHeapGrowth();
      const loaded = loadCachedBundle(${JSON.stringify(join(install, 'dist', 'cli', 's5sync.cjs'))}, ${JSON.stringify(cacheDir())});
      process.stdout.write(JSON.stringify(loaded.usedCache));`;
    const result = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    return JSON.parse(result.stdout) as boolean;
  };

  it('saves the cache once, in the first run, and later syncs take it as it is', async () => {
    expect(await syncOnce()).toMatch(/run \d+ succeeded/);
    const saved = cacheFiles();
    expect(saved).toHaveLength(1);

    // The second run writes back its metadata events' ids; the third has nothing to do.
    for (let run = 2; run <= 3; run++) {
      expect(await syncOnce()).toMatch(/run \d+ succeeded/);
      expect(cacheFiles(), `run ${run} rewrote the code cache`).toEqual(saved);
    }
  }, 120_000);

  it("compiles the bundle under the engine's heap bound: its cache is taken only with the bound set before compiling", async () => {
    expect(await cacheTakenBy(true)).toBe(true);
    expect(await cacheTakenBy(false)).toBe(false);
  }, 60_000);
});
