/**
 * Summarises a V8 .cpuprofile: self time by function and by area of the code.
 *   npx tsx bench/profile-summary.ts path/to/file.cpuprofile [--top 30]
 * A frame in an esbuild bundle (the bench runs dist/bench/backfill-bench.mjs, as the product
 * runs bundled) is charged to the source file it came from: esbuild heads each module's code in
 * an unminified bundle with a `// path/to/file.ts` line.
 */
import { readFileSync } from 'node:fs';
import { argValue } from './bench-support.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Which area of the product a frame belongs to, by file. */
function area(url: string, name: string, lineNumber: number): string {
  if (url === '') return name === '(garbage collector)' ? 'GC' : name === '(idle)' ? 'idle (waiting on I/O)' : name === '(program)' ? 'V8/native (program)' : `native: ${name}`;
  if (url.includes('better-sqlite3')) return 'better-sqlite3 (JS side)';
  if (url.includes('/node_modules/stripe/')) return 'Stripe SDK';
  if (url.includes('/node_modules/zod/')) return 'zod';
  if (url.includes('/node_modules/')) return `other deps (${/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? '?'})`;
  if (url.startsWith('node:')) return `node core (${url.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  const path = sourceOf(url, lineNumber);
  if (path.startsWith('main/adapters/ledger/')) return 'ledger (sqlite-ledger.ts)';
  if (path.startsWith('main/simulators/sage-sandbox/')) return 'Sage sandbox executor/procedures';
  if (path.startsWith('main/adapters/sage/')) return 'Sage writer (SQL port callers)';
  if (path.startsWith('main/adapters/stripe/')) return 'Stripe adapter';
  if (path.startsWith('main/core/engine/')) return 'engine (read/plan/write passes)';
  if (path.startsWith('main/core/')) return 'planning/posting core';
  return path.split('/').slice(0, 2).join('/');
}

const root = `file://${process.cwd()}/`;
const bundleModules = new Map<string, { line: number; path: string }[]>();
/** The modules of a bundle by the line each starts at (empty for a file that is no bundle or cannot be read). */
function modulesOf(url: string): { line: number; path: string }[] {
  let modules = bundleModules.get(url);
  if (modules === undefined) {
    modules = [];
    if (url.endsWith('.mjs') && url.startsWith('file://')) {
      try {
        readFileSync(new URL(url), 'utf8')
          .split('\n')
          .forEach((text, index) => {
            const header = /^\/\/ ((?:main|bench|preload)\/\S+\.ts)$/.exec(text);
            if (header) modules!.push({ line: index, path: header[1]! });
          });
      } catch {
        // Not readable here: frames stay charged to the bundle.
      }
    }
    bundleModules.set(url, modules);
  }
  return modules;
}
/** The frame's file relative to the working directory; in a bundle, the source file its line belongs to. */
function sourceOf(url: string, lineNumber: number): string {
  const modules = modulesOf(url);
  let found: string | undefined;
  for (const module of modules) {
    if (module.line > lineNumber) break;
    found = module.path;
  }
  return found ?? (url.startsWith(root) ? url.slice(root.length) : url);
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts FILE.cpuprofile');
const top = Number(argValue('--top') ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const short = sourceOf(url, lineNumber);
  const key = `${functionName || '(anonymous)'}  ${short}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const a = area(url, functionName, lineNumber);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
}
// Each sample charged to the nearest product frame (main/…) on its stack: library and native
// time lands on the product code that called it. Async continuations lose their callers, so
// this is "who called into the expensive thing", not inclusive time of a whole phase.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const byProductFrame = new Map<string, number>();
for (const [id, us] of selfUs) {
  let cursor: number | undefined = id;
  let label = '(no product frame: startup, idle, GC, node internals)';
  while (cursor !== undefined) {
    const frame = byId.get(cursor)!.callFrame;
    const path = sourceOf(frame.url, frame.lineNumber);
    if (path.startsWith('main/')) {
      label = `${frame.functionName || '(anonymous)'}  ${path}`;
      break;
    }
    cursor = parent.get(cursor);
  }
  byProductFrame.set(label, (byProductFrame.get(label) ?? 0) + us);
}

const pct = (us: number): string => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s`;
process.stdout.write(`profile ${file}: ${(total / 1e6).toFixed(2)} s sampled\n\nSelf time by area\n`);
for (const [name, us] of [...byArea].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${pct(us)}  ${name}\n`);
process.stdout.write(`\nTop ${top} functions by self time\n`);
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);
process.stdout.write(`\nTop ${top} product functions (self + the library/native time they called)\n`);
for (const [name, us] of [...byProductFrame].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);
