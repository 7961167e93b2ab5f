import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets its heap grow past what the last full collection kept, in percent, in the
 * process that runs the engine (issue #19: peak RSS ≤ 200 MB at 100k objects).
 *
 * A backfill allocates fast and keeps little (about 40 MB live at 100k objects: a page of
 * objects, plans and documents at a time), and V8's own growing factor for a heap allocating
 * that fast is up to 4×: measured at 100k objects, the heap reached 180 MB used, 200 MB
 * committed, almost all of it garbage waiting for a full collection, and it was most of the
 * process's 282 MiB. At 15% the heap is collected when it has grown 15% past the live data
 * (V8 still grows it by at least a few MB a time), which held the same run at 70 MB used,
 * 91 MB committed, 170 MiB RSS, for about a fifth more CPU time (docs/performance.md,
 * section 1).
 */
export const HEAP_GROWING_PERCENT = 15;

/**
 * Sets the heap growth for the whole process. V8 reads the flag at every full collection, so
 * setting it after start takes effect from the next one (measured the same as the command-line
 * flag). Each process that runs the engine calls this at its start, before it compiles code:
 * V8's check of a code cache includes its flags, so a flag changed after the CLI's bundle was
 * compiled made every later run refuse the cache that run saved (docs/performance.md, section 6).
 * bin/s5sync.mjs calls it before it loads the bundle (from dist/cli/engine-heap.mjs, built from
 * this file), the app's engine process at its entry, the backfill bench before it opens the
 * engine; openRuntime leaves the process's flags alone.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
