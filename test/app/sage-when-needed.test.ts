import { describe, expect, it } from 'vitest';
import { AppLockBusyError, type SagePort } from '../../main/adapters/sage/sql-port.js';
import { SageWhenNeeded } from '../../main/app/sage-when-needed.js';
import { ConfigError } from '../../main/adapters/config/config-file.js';
import { SageUnavailableError } from '../../main/core/ports/sage-target.js';

/** A port that records what is done on it; `refuseLock` makes its lock held by someone else. */
function fakePort(log: string[], refuseLock = false): SagePort {
  return {
    dialect: 'sql-server',
    query: (sql) => (log.push(`query ${sql}`), Promise.resolve([])),
    execute: () => Promise.resolve(0),
    procedure: () => Promise.resolve({}),
    transaction: (work) => work(fakePort(log)),
    acquireAppLock: (resource) => {
      if (refuseLock) return Promise.reject(new AppLockBusyError(resource));
      log.push(`lock ${resource}`);
      return Promise.resolve({ release: () => (log.push(`release ${resource}`), Promise.resolve()) });
    },
    close: () => (log.push('close'), Promise.resolve()),
  };
}

describe('a Sage port opened at its first statement', () => {
  it('opens nothing until a statement runs, then opens Sage and takes the lock asked for before that statement', async () => {
    const log: string[] = [];
    const sage = new SageWhenNeeded('sql-server', () => (log.push('open'), Promise.resolve(fakePort(log))));
    const lock = await sage.acquireAppLock('StripeSync:SOA');
    expect(log).toEqual([]);
    await sage.query('SELECT 1');
    await sage.query('SELECT 2');
    await lock.release();
    await sage.close();
    expect(log).toEqual(['open', 'lock StripeSync:SOA', 'query SELECT 1', 'query SELECT 2', 'release StripeSync:SOA', 'close']);
  });

  it('opens nothing and closes nothing when no statement ran', async () => {
    const log: string[] = [];
    const sage = new SageWhenNeeded('sql-server', () => (log.push('open'), Promise.resolve(fakePort(log))));
    const lock = await sage.acquireAppLock('StripeSync:SOA');
    await lock.release();
    await sage.close();
    expect(log).toEqual([]);
  });

  it('fails every statement as Sage unavailable, opening once, when Sage cannot be opened', async () => {
    let opens = 0;
    const sage = new SageWhenNeeded('sql-server', () => {
      opens++;
      return Promise.reject(new Error('company "XYZ" is not in this Sage database'));
    });
    for (let statement = 0; statement < 2; statement++) {
      const failure = await sage.query('SELECT 1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SageUnavailableError);
      expect((failure as Error).message).toMatch(/company "XYZ" is not in this Sage database.*stay queued/);
    }
    expect(opens).toBe(1);
    await sage.close();
  });

  it('says a setting is to be fixed, not waited out, when opening fails on the saved settings', async () => {
    const sage = new SageWhenNeeded('sql-server', () => Promise.reject(new ConfigError('company "XYZ" is not in this Sage database; set companyId in the config to one of them')));
    const failure = await sage.query('SELECT 1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SageUnavailableError);
    expect((failure as Error).message).toBe(
      'Sage cannot be opened with the saved settings: company "XYZ" is not in this Sage database; set companyId in the config to one of them. The documents stay queued; fix the setting (`s5sync check` names what is wrong) and the next run writes them.',
    );
    await sage.close();
  });

  it('closes what it opened and fails as Sage unavailable when another Stripe Sync holds the lock', async () => {
    const log: string[] = [];
    const sage = new SageWhenNeeded('sql-server', () => Promise.resolve(fakePort(log, true)));
    await sage.acquireAppLock('StripeSync:SOA');
    const failure = await sage.transaction(() => Promise.resolve()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SageUnavailableError);
    expect((failure as Error).message).toMatch(/another Stripe Sync is already writing to this Sage company/);
    expect(log).toEqual(['close']);
  });

  it('refuses a second lock asked for before Sage is open', async () => {
    const sage = new SageWhenNeeded('sql-server', () => Promise.resolve(fakePort([])));
    await sage.acquireAppLock('StripeSync:SOA');
    await expect(sage.acquireAppLock('StripeSync:XYZ')).rejects.toThrow(/already asked for/);
  });
});
