import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import type { RunContext } from '../../main/core/engine/engine-context.js';
import { applyWriteBacks } from '../../main/core/engine/metadata-write-back.js';
import { planChangedObjects } from '../../main/core/engine/plan-pass.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { AnySyncedObject } from '../../main/core/stripe/objects.js';
import { fixedRunContext } from '../support/fixed-run-context.js';

/**
 * Planning has no effect outside the ledger: a Stripe customer matched to a Sage customer by
 * e-mail gets its CustID written to Stripe only when the engine applies the write-backs the
 * plan returned, never while planning.
 */

let dir: string;
let ledger: SqliteLedger;
const metadataCalls: { path: string; id: string; metadata: Record<string, string>; idempotencyKey: string }[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-plan-effects-'));
  ledger = new SqliteLedger(join(dir, 'ledger.sqlite'));
  metadataCalls.length = 0;
});

afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function runContext(): RunContext {
  return fixedRunContext({
    ledger,
    stripe: {
      updateMetadata: async (path: string, id: string, metadata: Record<string, string>, idempotencyKey: string) => {
        metadataCalls.push({ path, id, metadata, idempotencyKey });
      },
    },
    sage: {
      findCustomer: async (query: { email?: string }) => (query.email === 'ada@example.com' ? { custId: 'ACME01' } : null),
      findCustomers: async (queries: { email?: string }[]) => queries.map((query) => (query.email === 'ada@example.com' ? { custId: 'ACME01' } : null)),
      unicodeCustomerFields: async () => new Set<string>(),
    },
  });
}

describe('plan pass', () => {
  it('returns the CustID write-back of an e-mail match instead of writing it to Stripe', async () => {
    const version = ledger.mappings.saveMapping(DEFAULT_MAPPING);
    const customer = { id: 'cus_ada', object: 'customer', created: 1_699_000_000, email: 'ada@example.com', name: 'Ada', metadata: {} } as unknown as AnySyncedObject;
    ledger.objects.upsertObjects([customer]);
    const context = runContext();

    const result = await planChangedObjects(context, { version, mapping: DEFAULT_MAPPING }, 'all-but-payouts');

    expect(metadataCalls).toEqual([]);
    expect(result.writeBacks).toEqual([
      {
        target: { path: 'customers', id: 'cus_ada', key: DEFAULT_MAPPING.customers.metadataKey, value: 'ACME01', what: 'Sage customer ACME01 (matched by e-mail)' },
        reason: 'cus_ada:email-match:ACME01',
      },
    ]);
    // Planned for good: the match books nothing of its own in Sage.
    expect(ledger.objects.objectsToPlan(10, null)).toEqual([]);
    expect(ledger.documents.documentsForObject('cus_ada')).toEqual([]);

    await applyWriteBacks(context, result.writeBacks);
    expect(metadataCalls).toEqual([
      { path: 'customers', id: 'cus_ada', metadata: { [DEFAULT_MAPPING.customers.metadataKey]: 'ACME01' }, idempotencyKey: 's5sync-cus_ada:email-match:ACME01' },
    ]);
  });
});
