import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * One Stripe Sync process per data folder: the tray app, a scheduled `s5sync sync` and a
 * service must never run the engine on the same ledger at once.
 *
 * The lock is an operating-system file lock, taken through SQLite (an exclusive transaction on
 * a small lock file, `locking_mode = EXCLUSIVE`: fcntl on POSIX, LockFileEx on Windows) and
 * held while the process holds the connection. The OS drops it when the process dies, so a
 * lock left by a killed process is never "taken over": there is no read-the-PID, delete and
 * re-create sequence in which two starters could both win, and the lock file is never deleted
 * (deleting a held lock file would let a second process lock a new one). The owner's process
 * id is written beside it (`<lock>.owner`) only to name it in the refusal.
 */
export class ProcessLockError extends Error {
  constructor(
    message: string,
    readonly ownerPid: number | null,
  ) {
    super(message);
    this.name = 'ProcessLockError';
  }
}

export interface ProcessLock {
  release(): void;
}

/**
 * The connections holding a lock, kept reachable until released: better-sqlite3 closes a
 * connection that is garbage-collected, and with it the OS lock, so a caller that dropped its
 * ProcessLock would lose the lock at the next garbage collection while still running.
 */
const heldConnections = new Set<Database.Database>();

/**
 * How long a starter keeps trying while another holds the lock file. Taking SQLite's exclusive
 * lock goes through shared, reserved and pending locks, so starters racing with no wait at all
 * can each find another's shared lock in the way and all give up: a clean-clone CI run saw four
 * processes starting at once all refused, none holding it. Waiting lets the one that got furthest
 * finish while the others step back; a process that holds the lock for good still refuses every
 * other, a quarter of a second later.
 */
const CONTENDED_LOCK_WAIT_MS = 250;

export function acquireProcessLock(path: string, what: string): ProcessLock {
  const db = new Database(path, { timeout: CONTENDED_LOCK_WAIT_MS });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      const owner = ownerOf(path);
      throw new ProcessLockError(
        `another Stripe Sync process${owner === null ? '' : ` (pid ${owner})`} is already using ${what}; stop it first, or let it finish`,
        owner,
      );
    }
    if (code === 'SQLITE_NOTADB') {
      throw new Error(`${path} is a lock file of an older Stripe Sync version; make sure no Stripe Sync is running, delete it and start again`);
    }
    throw error;
  }
  heldConnections.add(db);
  writeFileSync(`${path}.owner`, String(process.pid));
  return {
    release: () => {
      rmSync(`${path}.owner`, { force: true });
      heldConnections.delete(db);
      db.close();
    },
  };
}

function ownerOf(path: string): number | null {
  try {
    const pid = Number(readFileSync(`${path}.owner`, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
