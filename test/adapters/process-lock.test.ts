import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProcessLock, ProcessLockError } from '../../main/adapters/locks/process-lock.js';

describe('one engine per data folder', () => {
  const lockPath = () => join(mkdtempSync(join(tmpdir(), 's5sync-lock-')), 'engine.lock');

  it('refuses a second holder while the first is alive, naming it', () => {
    const path = lockPath();
    const first = acquireProcessLock(path, 'the ledger');
    expect(() => acquireProcessLock(path, 'the ledger')).toThrow(ProcessLockError);
    expect(() => acquireProcessLock(path, 'the ledger')).toThrow(`another Stripe Sync process (pid ${process.pid}) is already using the ledger`);
    first.release();
    expect(existsSync(path)).toBe(false);
    acquireProcessLock(path, 'the ledger').release();
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const path = lockPath();
    writeFileSync(path, '999999');
    const lock = acquireProcessLock(path, 'the ledger', (pid) => pid !== 999999);
    expect(existsSync(path)).toBe(true);
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    const path = lockPath();
    writeFileSync(path, 'not a pid');
    acquireProcessLock(path, 'the ledger').release();
  });
});
