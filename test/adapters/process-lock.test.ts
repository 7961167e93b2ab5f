import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProcessLock, ProcessLockError } from '../../main/adapters/locks/process-lock.js';

/**
 * One engine per data folder, by an OS file lock (issue #18, item 6): refused while held,
 * free the moment its holder dies (kill -9 included), and among processes starting at the same
 * instant exactly one wins, also over a lock file a killed process left behind.
 */

const lockPath = (): string => join(mkdtempSync(join(tmpdir(), 's5sync-lock-')), 'engine.lock');
const CONTENDER = resolve(import.meta.dirname, 'lock-contender.ts');

interface Contender {
  output: Promise<string>;
  /** SIGKILL; settles once the process is gone and reaped (a zombie still counts as alive). */
  kill(): Promise<void>;
}

function contender(path: string, startAt: number, mode: 'race' | 'hold-forever'): Contender {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CONTENDER, path, String(startAt), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (output += chunk));
  return {
    output: new Promise((done) => {
      if (mode === 'hold-forever') child.stdout.on('data', () => output.includes('\n') && done(output.trim()));
      else child.on('exit', () => done(output.trim()));
    }),
    kill: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGKILL');
      }),
  };
}

describe('one engine per data folder', () => {
  it('refuses a second holder while the first holds it, naming it, and is free again after release', () => {
    const path = lockPath();
    const first = acquireProcessLock(path, 'the ledger');
    expect(() => acquireProcessLock(path, 'the ledger')).toThrow(ProcessLockError);
    expect(() => acquireProcessLock(path, 'the ledger')).toThrow(`another Stripe Sync process (pid ${process.pid}) is already using the ledger`);
    first.release();
    acquireProcessLock(path, 'the ledger').release();
  });

  it('names a lock file of an older version instead of guessing whether its owner lives', () => {
    const path = lockPath();
    writeFileSync(path, '999999');
    expect(() => acquireProcessLock(path, 'the ledger')).toThrow(/older Stripe Sync version; make sure no Stripe Sync is running, delete it/);
  });

  // Three rounds of a 4 s start line and a 15 s hold take about a minute even on an idle machine.
  it('is free the moment its holder is killed, and exactly one of four processes starting at once wins it', { timeout: 180_000 }, async () => {
    const path = lockPath();
    const holder = contender(path, Date.now(), 'hold-forever');
    expect(await holder.output).toBe('WON');
    // The holder dropped its lock object and collected garbage before saying WON: still held.
    expect(() => acquireProcessLock(path, 'the ledger')).toThrow(ProcessLockError);
    await holder.kill();
    for (let round = 0; round < 3; round++) {
      // tsx needs a moment to start each process; all of them then leave the line together.
      const startAt = Date.now() + 4_000;
      const outputs = await Promise.all([1, 2, 3, 4].map(() => contender(path, startAt, 'race').output));
      expect(outputs.filter((output) => output === 'WON'), outputs.join(' | ')).toHaveLength(1);
      expect(outputs.filter((output) => output.startsWith('REFUSED another Stripe Sync process'))).toHaveLength(3);
    }
  });
});
