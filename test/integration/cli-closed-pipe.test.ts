import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../reliability/harness.js';

/**
 * `s5sync status | head`: when the reader closes the pipe first, the CLI stops quietly with its
 * own exit code instead of an unhandled EPIPE stack trace (issue #18, item 9). Runs the real
 * bin/s5sync.mjs over dist/ (built by `npm run prepare`), behind a reader that reads nothing.
 */
describe('s5sync writing into a closed pipe', () => {
  it('exits quietly with its own exit code', () => {
    expect(existsSync(join(REPO_ROOT, 'dist/cli/s5sync.cjs')), 'run `node scripts/build-node.mjs` first').toBe(true);
    const result = spawnSync('bash', ['-c', `"${process.execPath}" bin/s5sync.mjs help | true; echo "exit \${PIPESTATUS[0]}" >&2`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('exit 0\n');
  });
});
