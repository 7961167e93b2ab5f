// Runs the CLI's CommonJS bundle through vm.Script with a V8 code cache, on every Node version.
//
// Compiling the 2.7 MB bundle was the largest share of an idle `s5sync sync --once` under Task
// Scheduler (docs/performance.md, section 6), and Node's own compile cache
// (`module.enableCompileCache`) exists only from Node 22.1. The first run compiles the source and,
// once the command is done, stores V8's cached data: the top-level code and every function that
// run compiled. Later runs hand it back to V8, which then neither parses the bundle nor compiles
// those functions again.
//
// V8 checks only the source's length, its own version and its flags before it trusts cached
// data, so a rebuilt bundle of the same length would run the old code: the cache's file name is
// a hash of the bundle's bytes, the Node version and the architecture. A cache V8 refuses anyway
// (a damaged file, other flags) is compiled from source and written again.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** The CommonJS wrapper Node itself puts around a module's source. */
const wrap = (source) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

/**
 * Evaluates the bundle at `bundlePath` (ASCII, see scripts/build-node.mjs) as a CommonJS module
 * whose require() resolves from the bundle's folder, with cached data from `cacheDir` when
 * there is a cache for exactly these bytes on this Node. Returns its exports, and `saveCache()`,
 * to call once the command has run: it writes the cache when there was none or V8 refused it,
 * and never fails the command (a folder that cannot be written only means no cache).
 */
export function loadCachedBundle(bundlePath, cacheDir) {
  const bytes = readFileSync(bundlePath);
  const key = createHash('sha256').update(bytes).update(`\0${process.version}\0${process.arch}`).digest('hex').slice(0, 32);
  const cachePath = join(cacheDir, `${key}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrap(bytes.toString('latin1')), { filename: bundlePath, cachedData });
  const usedCache = cachedData !== undefined && !script.cachedDataRejected;
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
  return {
    exports: module.exports,
    usedCache,
    saveCache() {
      if (usedCache) return;
      try {
        const data = script.createCachedData();
        mkdirSync(cacheDir, { recursive: true });
        // Another run may be writing the same cache: each writes its own file and renames it
        // into place, so a reader sees a whole cache or none.
        const partial = `${cachePath}.${process.pid}.partial`;
        writeFileSync(partial, data);
        renameSync(partial, cachePath);
        // Caches of earlier builds or Node versions are never read again.
        for (const name of readdirSync(cacheDir)) {
          if (name !== `${key}.v8cache` && name.endsWith('.v8cache')) rmSync(join(cacheDir, name), { force: true });
        }
      } catch {
        // A read-only install runs without a cache, as fast as before the cache existed.
      }
    },
  };
}
