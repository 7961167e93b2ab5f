import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerOpenError } from '../../main/adapters/ledger/ledger-open-error.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';

/**
 * A ledger file that is damaged or may not be written is refused when it is opened, with its
 * path and what to do, instead of a driver message ("database disk image is malformed",
 * "attempt to write a readonly database") in the middle of a run.
 */

let dir: string;
let path: string;

/** A ledger with enough rows to span many pages, closed (its WAL folded back into the file). */
function filledLedger(): void {
  const ledger = new SqliteLedger(path);
  const objects = Array.from({ length: 400 }, (_, index) => ({
    id: `ch_${String(index).padStart(6, '0')}`,
    object: 'charge',
    created: 1_700_000_000 + index,
    amount: 1000 + index,
    currency: 'usd',
    description: 'x'.repeat(300),
  }));
  ledger.objects.upsertObjects(objects as never);
  ledger.close();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-ledger-open-'));
  path = join(dir, 'ledger.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const openError = (): LedgerOpenError => {
  try {
    new SqliteLedger(path).close();
  } catch (error) {
    if (error instanceof LedgerOpenError) return error;
    throw error;
  }
  throw new Error('the ledger opened');
};

describe('a damaged ledger is refused at open', () => {
  it('truncated to half: names the file and the rebuild command', () => {
    filledLedger();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const error = openError();
    expect(error.problem).toBe('damaged');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`the sync ledger ${path} is damaged`);
    expect(error.message).toContain('s5sync ledger rebuild --config FILE');
  });

  it('pages overwritten with garbage in the middle of the file', () => {
    filledLedger();
    const bytes = readFileSync(path);
    const page = 4096;
    for (let offset = 3 * page; offset < Math.min(bytes.length, 9 * page); offset++) bytes[offset] = (offset * 31) & 0xff;
    writeFileSync(path, bytes);
    expect(openError().problem).toBe('damaged');
  });

  it('a file that is not a database at all', () => {
    writeFileSync(path, 'these are not the pages you are looking for '.repeat(200));
    const error = openError();
    expect(error.problem).toBe('damaged');
    expect(error.message).toContain(path);
  });

  it('a sound ledger opens', () => {
    filledLedger();
    expect(() => new SqliteLedger(path).close()).not.toThrow();
  });
});

/** Garbage over pages 3 to 8, the file's size and modification time put back: damage nothing recorded (a failing disk). */
function damageSilently(): void {
  const before = statSync(path);
  const bytes = readFileSync(path);
  for (let offset = 3 * 4096; offset < Math.min(bytes.length, 9 * 4096); offset++) bytes[offset] = (offset * 31) & 0xff;
  writeFileSync(path, bytes);
  utimesSync(path, before.atime, before.mtime);
}

describe('the integrity check at open is left out only for a ledger as the sync closed it, checked within the day', () => {
  it('is left out after a clean close: damage that changed neither size nor time goes unseen until the daily check', () => {
    filledLedger();
    damageSilently();
    expect(() => new SqliteLedger(path).close()).not.toThrow();
  });

  it('runs once the last check is a day old', () => {
    filledLedger();
    const record = JSON.parse(readFileSync(`${path}-closed`, 'utf8')) as { checkedAt: number };
    writeFileSync(`${path}-closed`, JSON.stringify({ ...record, checkedAt: Date.now() - 25 * 3600 * 1000 }));
    damageSilently();
    expect(openError().problem).toBe('damaged');
  });

  it('runs when the ledger was not closed (still open elsewhere, or its process died)', () => {
    filledLedger();
    const left = new SqliteLedger(path);
    try {
      damageSilently();
      expect(openError().problem).toBe('damaged');
    } finally {
      left.close();
    }
  });

  it('runs when the file was written after the clean close, within the same second', () => {
    filledLedger();
    const bytes = readFileSync(path);
    for (let offset = 3 * 4096; offset < Math.min(bytes.length, 9 * 4096); offset++) bytes[offset] = (offset * 31) & 0xff;
    writeFileSync(path, bytes);
    expect(openError().problem).toBe('damaged');
  });
});

/** Root writes through mode 0444, so as root the file is made immutable instead (chattr, where the filesystem has it). */
function makeUnwritable(file: string): (() => void) | null {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['0444', file]);
    return () => execFileSync('chmod', ['0644', file]);
  }
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    return () => execFileSync('chattr', ['-i', file]);
  } catch {
    return null;
  }
}

describe('a read-only ledger is refused at open', () => {
  it('names the file and says to give the sync account write access', (context) => {
    filledLedger();
    const restore = makeUnwritable(path);
    if (restore === null) {
      context.skip('running as root on a filesystem without chattr: no way to make the file unwritable');
      return;
    }
    try {
      const error = openError();
      expect(error.problem).toBe('read-only');
      expect(error.message).toContain(`the sync ledger ${path} cannot be written`);
      expect(error.message).toContain('write access to this file and its folder');
    } finally {
      restore();
    }
  });
});
