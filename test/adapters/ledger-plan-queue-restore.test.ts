import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { StoredObject } from '../../main/core/ports/stripe-object-ledger.js';
import { customer } from '../core/fixtures/stripe.js';

/**
 * The plan queue while a page of it is being planned: an object stored again with another body,
 * or asked to be planned again, meanwhile must be planned again (sqlite-stripe-object-ledger.ts,
 * markPlanned).
 */

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-plan-queue-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The queue as another connection reads it from the file. */
function readFromFile(kind?: 'charge' | 'customer' | 'payout'): StoredObject[] {
  const other = new SqliteLedger(join(dir, 'ledger.sqlite'));
  try {
    return other.objects.objectsToPlan(100, null, kind);
  } finally {
    other.close();
  }
}

describe('objects on the plan queue', () => {
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

  it('stay queued when asked to be planned again while their page is planned (a Retry from the window; found by review)', () => {
    ledger.objects.upsertObjects([customer({ id: 'cus_retried' })]);
    const page = ledger.objects.objectsToPlan(100, null, 'customer');
    expect(ledger.objects.replanObjects(['cus_retried'])).toBe(1);
    ledger.objects.markPlanned(page.map((stored) => stored.id));
    expect(readFromFile('customer').map((stored) => stored.id)).toEqual(['cus_retried']);
  });
});
