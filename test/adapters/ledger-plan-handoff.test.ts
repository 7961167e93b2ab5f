import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerConnection } from '../../main/adapters/ledger/ledger-connection.js';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { SqliteStripeObjectLedger } from '../../main/adapters/ledger/sqlite-stripe-object-ledger.js';
import type { StoredObject } from '../../main/core/ports/stripe-object-ledger.js';
import { charge, customer, payout, T0 } from '../core/fixtures/stripe.js';

/**
 * The plan pass is handed the objects this connection just stored instead of reading their
 * bodies back (just-stored-objects.ts). What it is handed must be what the ledger holds: the
 * same as a connection that kept nothing reads, after rollbacks too.
 */

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-handoff-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The queue as a connection that kept nothing reads it (every body read from SQLite). */
function readFromFile(kind?: 'charge' | 'customer' | 'payout'): StoredObject[] {
  const other = new SqliteLedger(join(dir, 'ledger.sqlite'));
  try {
    return other.objects.objectsToPlan(100, null, kind);
  } finally {
    other.close();
  }
}

describe('objects handed to the plan pass', () => {
  it('are the objects just stored, the same as read back from the file, in the same order', () => {
    const a = charge({ id: 'ch_a', created: T0 + 5 });
    const b = customer({ id: 'cus_b', created: T0 });
    const c = payout({ id: 'po_c', created: T0 + 5 });
    ledger.objects.upsertObjects([a, b, c]);
    const fromFile = readFromFile();
    const handed = ledger.objects.objectsToPlan(100, null);
    expect(handed).toEqual(fromFile);
    expect(handed.map((stored) => stored.id)).toEqual(['cus_b', 'ch_a', 'po_c']);
    // Handed as given: nothing was read back and parsed.
    expect(handed[1]!.object).toBe(a);
  });

  it('of one kind, by the kind index, are the same as read back from the file', () => {
    const a = charge({ id: 'ch_a', created: T0 + 5 });
    const b = customer({ id: 'cus_b', created: T0 });
    ledger.objects.upsertObjects([a, b]);
    const fromFile = readFromFile('customer');
    const handed = ledger.objects.objectsToPlan(100, null, 'customer');
    expect(handed).toEqual(fromFile);
    expect(handed.map((stored) => stored.object)).toEqual([b]);
    expect(handed[0]!.object).toBe(b);
    // The charge is still handed over in the pass for every kind.
    expect(ledger.objects.objectsToPlan(100, null).find((stored) => stored.id === 'ch_a')!.object).toBe(a);
  });

  it('are handed once: the same page asked for again is read from the file', () => {
    const a = charge({ id: 'ch_a' });
    ledger.objects.upsertObjects([a]);
    expect(ledger.objects.objectsToPlan(100, null)[0]!.object).toBe(a);
    const again = ledger.objects.objectsToPlan(100, null);
    expect(again[0]!.object).not.toBe(a);
    expect(again[0]!.object).toEqual(a);
  });

  it('are the newest body stored', () => {
    const a = charge({ id: 'ch_a' });
    const changed = { ...a, description: 'changed in Stripe' };
    ledger.objects.upsertObjects([a]);
    ledger.objects.upsertObjects([changed]);
    const handed = ledger.objects.objectsToPlan(100, null);
    expect(handed[0]!.object).toBe(changed);
    expect(readFromFile()[0]!.object).toEqual(changed);
  });

  it('are not a body whose store was rolled back: the body the file holds is planned', () => {
    const a = charge({ id: 'ch_a' });
    ledger.objects.upsertObjects([a]);
    expect(() =>
      ledger.inTransaction(() => {
        ledger.objects.upsertObjects([{ ...a, description: 'changed in Stripe' }]);
        throw new Error('the page failed after storing');
      }),
    ).toThrow('the page failed');
    const handed = ledger.objects.objectsToPlan(100, null);
    expect(handed.map((stored) => stored.object)).toEqual([a]);
    expect(handed[0]!.object).toMatchObject({ description: a.description });
  });

  it('are not a body whose savepoint was rolled back inside a transaction that committed', () => {
    const a = charge({ id: 'ch_a' });
    ledger.objects.upsertObjects([a]);
    ledger.inTransaction(() => {
      try {
        ledger.inTransaction(() => {
          ledger.objects.upsertObjects([{ ...a, description: 'changed in Stripe' }]);
          throw new Error('one call failed');
        });
      } catch {
        // The caller carries on: only the nested call's writes were undone.
      }
    });
    expect(ledger.objects.objectsToPlan(100, null).map((stored) => stored.object)).toEqual([a]);
  });

  it('are bounded: objects stored past the bound are read from the file, all of them planned', () => {
    const path = join(dir, 'bounded.sqlite');
    const connection = new LedgerConnection(path);
    try {
      const objects = [charge({ id: 'ch_a', created: T0 }), charge({ id: 'ch_b', created: T0 + 1 }), charge({ id: 'ch_c', created: T0 + 2 })];
      const oneBody = JSON.stringify(objects[0]).length;
      const bounded = new SqliteStripeObjectLedger(connection, { justStoredChars: oneBody + 10 });
      bounded.upsertObjects(objects);
      const handed = bounded.objectsToPlan(100, null);
      expect(handed.map((stored) => stored.object)).toEqual(objects);
      expect(handed.map((stored) => stored.object === objects[handed.indexOf(stored)])).toEqual([true, false, false]);
    } finally {
      connection.close();
    }
  });

  it('stay queued when stored with another body while their page is planned: the newer body is planned next (found by review)', () => {
    const before = customer({ id: 'cus_moved' });
    ledger.objects.upsertObjects([before]);
    const page = ledger.objects.objectsToPlan(100, null, 'customer');
    // The page awaits Sage; beside it, a customer.updated event stores the newer body.
    expect(ledger.objects.upsertObjects([{ ...before, email: 'moved@example.com' }])).toBe(1);
    ledger.objects.markPlanned(page.map((stored) => stored.id));
    expect(readFromFile('customer').map((stored) => (stored.object as { email?: string | null }).email)).toEqual(['moved@example.com']);
    const next = ledger.objects.objectsToPlan(100, null, 'customer');
    expect(next.map((stored) => (stored.object as { email?: string | null }).email)).toEqual(['moved@example.com']);
    // Planned on the newer body, it leaves the queue.
    ledger.objects.markPlanned(next.map((stored) => stored.id));
    expect(readFromFile('customer')).toEqual([]);
  });
});
