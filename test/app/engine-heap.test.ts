import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The engine's process bounds V8's heap growth (main/app/engine-heap.ts, issue #19): the same
 * allocation pattern as a backfill (a steady live set, pages of parsed objects that live a
 * little while and die) must commit clearly less heap with the bound than without it. Each
 * variant runs in a fresh process: the flag is process-wide.
 */
const WORKLOAD = `
const { boundHeapGrowth } = await import(process.cwd() + '/main/app/engine-heap.ts');
if (process.argv[1] === 'bounded') boundHeapGrowth();
const live = [];
for (let i = 0; i < 60000; i++) live.push({ text: 'x'.repeat(500) + i, pair: [i, i + 1] });
let peak = 0;
const pages = [];
for (let page = 0; page < 80; page++) {
  const objects = [];
  for (let i = 0; i < 5000; i++) objects.push(JSON.parse(JSON.stringify({ id: 'o' + i + '_' + page, body: 'y'.repeat(300) + i, lines: [1, 2, 3] })));
  pages.push(objects);
  if (pages.length > 4) pages.shift();
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
process.stdout.write(String(peak));
`;

function peakHeapTotal(variant: 'bounded' | 'default'): number {
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WORKLOAD, variant], { encoding: 'utf8' }));
}

describe('the engine process’s heap growth', () => {
  it('commits at most 85% of the heap V8 would by default for a backfill-like workload', () => {
    const unbounded = peakHeapTotal('default');
    const bounded = peakHeapTotal('bounded');
    expect(bounded).toBeLessThan(unbounded * 0.85);
  }, 120_000);
});
