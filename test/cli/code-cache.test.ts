import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../reliability/harness.js';

/**
 * bin/s5sync.mjs runs the CLI bundle through V8's code cache (bin/cached-bundle.mjs). V8 itself
 * checks only the source's length before it trusts a cache, so these tests rebuild a bundle to
 * the same length with other behaviour and expect the new behaviour, not the cached one. Each
 * load is a process of its own, as each CLI run is: within one process V8 finds a script it
 * compiled before in its own memory and never looks at the cache.
 */

interface Loaded {
  usedCache: boolean;
  answer: number;
  base: string;
  helper?: string;
}

const LOADER = pathToFileURL(join(REPO_ROOT, 'bin', 'cached-bundle.mjs')).href;

/** Loads the bundle in a new Node process, calls its answer(), then saves the cache as bin/s5sync.mjs does. */
function load(bundle: string, cacheDir: string): Loaded {
  const script = `
    const { loadCachedBundle } = await import(${JSON.stringify(LOADER)});
    const loaded = loadCachedBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)});
    const result = { usedCache: loaded.usedCache, answer: loaded.exports.answer(), base: loaded.exports.base, helper: loaded.exports.helper };
    loaded.saveCache();
    process.stdout.write(JSON.stringify(result));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as Loaded;
}

const bundleSource = (answer: number, extra = ''): string =>
  `"use strict";\nconst path = require("node:path");\nexports.answer = () => ${answer};\nexports.dir = __dirname;\nexports.base = path.basename(__filename);${extra}\n`;

function workspace(): { bundle: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 's5sync-code-cache-'));
  return { bundle: join(dir, 'bundle.cjs'), cacheDir: join(dir, 'code-cache') };
}

const cacheFiles = (cacheDir: string): string[] => readdirSync(cacheDir).filter((name) => name.endsWith('.v8cache'));

describe('the CLI bundle through a V8 code cache', () => {
  it('runs the bundle as a CommonJS module, stores a cache after the first run and uses it on the next', () => {
    const { bundle, cacheDir } = workspace();
    writeFileSync(bundle, bundleSource(41));
    expect(load(bundle, cacheDir)).toEqual({ usedCache: false, answer: 41, base: 'bundle.cjs' });
    expect(cacheFiles(cacheDir)).toHaveLength(1);
    expect(load(bundle, cacheDir)).toEqual({ usedCache: true, answer: 41, base: 'bundle.cjs' });
  });

  it('does not run a rebuilt bundle of the same length from the old cache, and replaces that cache', () => {
    const { bundle, cacheDir } = workspace();
    writeFileSync(bundle, bundleSource(41));
    load(bundle, cacheDir);
    const oldCache = cacheFiles(cacheDir);

    const rebuilt = bundleSource(42);
    expect(rebuilt.length).toBe(bundleSource(41).length);
    writeFileSync(bundle, rebuilt);
    expect(load(bundle, cacheDir)).toMatchObject({ usedCache: false, answer: 42 });
    const newCache = cacheFiles(cacheDir);
    expect(newCache).toHaveLength(1);
    expect(newCache).not.toEqual(oldCache);
    expect(load(bundle, cacheDir)).toMatchObject({ usedCache: true, answer: 42 });
  });

  it('compiles from source when V8 refuses a damaged cache, and writes a good one', () => {
    const { bundle, cacheDir } = workspace();
    writeFileSync(bundle, bundleSource(7));
    load(bundle, cacheDir);
    const cachePath = join(cacheDir, cacheFiles(cacheDir)[0]!);
    const damaged = readFileSync(cachePath);
    damaged.fill(0xa5, 0, 64);
    writeFileSync(cachePath, damaged);

    expect(load(bundle, cacheDir)).toMatchObject({ usedCache: false, answer: 7 });
    expect(load(bundle, cacheDir)).toMatchObject({ usedCache: true, answer: 7 });
  });

  it('runs without a cache where the cache folder cannot be written', () => {
    const { bundle, cacheDir } = workspace();
    writeFileSync(bundle, bundleSource(5));
    writeFileSync(cacheDir, 'a file where the folder would be');
    expect(load(bundle, cacheDir)).toMatchObject({ usedCache: false, answer: 5 });
    expect(load(bundle, cacheDir)).toMatchObject({ usedCache: false, answer: 5 });
  });

  it("resolves require() from the bundle's own folder", () => {
    const { bundle, cacheDir } = workspace();
    writeFileSync(join(bundle, '..', 'helper.cjs'), 'module.exports = "beside the bundle";');
    writeFileSync(bundle, bundleSource(1, '\nexports.helper = require("./helper.cjs");'));
    expect(load(bundle, cacheDir).helper).toBe('beside the bundle');
  });
});
