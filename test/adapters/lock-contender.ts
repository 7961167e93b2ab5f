/**
 * One contender of the multi-process lock race (process-lock.test.ts): waits for the start
 * time, tries to take the lock, and if it won holds it for a while before saying so, so
 * every other contender tries while it is held. `hold-forever` keeps it until killed. The
 * ProcessLock it gets is deliberately not kept: the lock must hold even when its holder drops
 * the object (run with --expose-gc, it collects garbage before saying WON).
 */
import { acquireProcessLock, ProcessLockError } from '../../main/adapters/locks/process-lock.js';

const [path, startAt, mode] = process.argv.slice(2) as [string, string, 'race' | 'hold-forever'];
while (Date.now() < Number(startAt)) {
  // Busy-wait: every contender leaves the line within the same millisecond.
}
try {
  acquireProcessLock(path, 'the test folder');
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write('WON\n');
  // Held long enough that a contender slow to load (a busy CI machine) still tries while it is held.
  setTimeout(() => process.exit(0), mode === 'hold-forever' ? 600_000 : 15_000);
} catch (error) {
  process.stdout.write(error instanceof ProcessLockError ? `REFUSED ${error.message}\n` : `ERROR ${String(error)}\n`);
  process.exit(0);
}
