import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { RunContext } from '../../main/core/engine/engine-context.js';
import { storeObjects } from '../../main/core/engine/object-store.js';
import { planChangedObjects } from '../../main/core/engine/plan-pass.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { AnySyncedObject } from '../../main/core/stripe/objects.js';
import { bt, refund } from './fixtures/stripe.js';
import { fixedRunContext } from '../support/fixed-run-context.js';

/**
 * Two refunds name one balance transaction that Stripe gave no source. Whatever order the
 * engine reads them in, the money is booked once: the refund read later is parked naming the
 * one that books it, and the one already planned is checked again when the second turns up.
 */

let dir: string;
let ledger: SqliteLedger;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-claimants-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function runContext(): RunContext {
  return fixedRunContext({ ledger, sage: { findCustomer: async () => null, unicodeCustomerFields: async () => new Set<string>() } });
}

const shared = bt({ id: 'txn_shared', amount: -2_500, type: 'refund', reporting_category: 'refund', source: null, created: 1_699_000_300 });
/** Read first, created later. */
const later = refund({ id: 're_later', amount: 2_500, balance_transaction: 'txn_shared', created: 1_699_000_200 }) as AnySyncedObject;
/** Read second, created earlier. */
const earlier = refund({ id: 're_earlier', amount: 2_500, balance_transaction: 'txn_shared', created: 1_699_000_100 }) as AnySyncedObject;

async function plan(): Promise<void> {
  const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
  await planChangedObjects(runContext(), { version, mapping: DEFAULT_MAPPING }, 'all-but-payouts');
}

/** Document keys booking the shared transaction, and each one's object, as the ledger holds them. */
function booking(): { docKey: string; objectId: string; state: string }[] {
  return ledger.documents.documentsTracing('txn_shared').map((stored) => ({ docKey: stored.docKey, objectId: stored.stripeObjectId, state: stored.state }));
}

describe('a balance transaction without source claimed by two objects', () => {
  it('keeps it with the refund whose journal is already in Sage and parks the earlier one read later, naming it', async () => {
    ledger.objects.upsertBalanceTransactions([shared], null);
    storeObjects(ledger, [later]);
    await plan();
    const [planned] = booking();
    expect(planned).toMatchObject({ objectId: 're_later', state: 'planned' });
    ledger.documents.markWriting(planned!.docKey);
    ledger.documents.markWritten(planned!.docKey, { docKey: planned!.docKey, sageTable: 'tglJournalHdr', sageKey: 1, sageNumber: '1', batchKey: 1 });

    storeObjects(ledger, [earlier]);
    await plan();
    expect(booking()).toEqual([{ docKey: planned!.docKey, objectId: 're_later', state: 'written' }]);
    expect(ledger.documents.documentsForObject('re_earlier')).toEqual([]);
    expect(ledger.objects.objectIssue('re_earlier')).toMatchObject({
      errorClass: 'data',
      message: expect.stringContaining('re_earlier names balance transaction txn_shared, which re_later already booked in Sage'),
    });
    expect(ledger.objects.objectIssue('re_later')).toBeNull();
  });

  it('checks the refund that planned it again when an earlier claimant turns up before anything is written: one journal, the earliest', async () => {
    ledger.objects.upsertBalanceTransactions([shared], null);
    storeObjects(ledger, [later]);
    await plan();
    expect(booking().map((entry) => entry.objectId)).toEqual(['re_later']);

    storeObjects(ledger, [earlier]);
    await plan();
    expect(booking().map((entry) => [entry.objectId, entry.state])).toEqual([['re_earlier', 'planned']]);
    expect(ledger.objects.objectIssue('re_later')).toMatchObject({
      errorClass: 'data',
      message: expect.stringContaining('re_later names balance transaction txn_shared, which re_earlier already claims'),
    });
  });
});
