import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * One Stripe Sync process per data folder: the tray app, a scheduled `s5sync sync` and a
 * service must never run the engine on the same ledger at once. The lock is a file created
 * exclusively, holding the owner's process id; a lock left by a process that no longer
 * exists (killed, crashed) is taken over.
 */
export class ProcessLockError extends Error {
  constructor(
    message: string,
    readonly ownerPid: number,
  ) {
    super(message);
    this.name = 'ProcessLockError';
  }
}

export interface ProcessLock {
  release(): void;
}

export function acquireProcessLock(path: string, what: string, isAlive: (pid: number) => boolean = processExists): ProcessLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new ProcessLockError(`another Stripe Sync process (pid ${owner}) is already using ${what}; stop it first, or let it finish`, owner);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
