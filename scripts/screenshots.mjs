// Refreshes docs/screenshots: runs the UI test with its screenshots pointed at the committed
// folder (the test alone writes them to a temporary folder, so `npm test` never rewrites docs).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'docs', 'screenshots');
mkdirSync(folder, { recursive: true });
const result = spawnSync('npx', ['vitest', 'run', 'test/ui/tray-window.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, S5SYNC_SCREENSHOTS_DIR: folder },
});
process.exit(result.status ?? 1);
