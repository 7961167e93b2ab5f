import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { planChangedObjects, type PlanPassResult } from '../../main/core/engine/plan-pass.js';
import { sageCustIdFor } from '../../main/core/customers/customer-id.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { Mapping } from '../../main/core/mapping/mapping.js';
import { SageWriteError, type SageTarget } from '../../main/core/ports/sage-target.js';
import type { AnySyncedObject } from '../../main/core/stripe/objects.js';
import { customer as sageCustomer, openFixture, type SandboxFixture } from '../adapters/sage-fixtures.js';
import { fixedRunContext } from '../support/fixed-run-context.js';

/**
 * A plan-pass page of Stripe customers asks Sage once per kind of key (the CustIDs in their
 * metadata, then the e-mails of those not found) instead of once or twice per customer, and
 * plans what the one-by-one look-ups plan: the same pass over the same ledger and sandbox with
 * the batch refused (each customer then asks alone, as before) is the expectation.
 */

let dir: string;
let fx: SandboxFixture;
const ledgers: SqliteLedger[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 's5sync-plan-customers-'));
  fx = openFixture();
  for (const [custId, email] of [
    ['C000001', 'shared@example.com'],
    ['C000002', 'shared@example.com'],
    ['C000003', 'grace@example.com'],
  ] as const) {
    await fx.writer.write(sageCustomer(custId, { key: `customer:${custId}`, email }), { runId: 1 });
  }
});

afterEach(async () => {
  for (const ledger of ledgers.splice(0)) ledger.close();
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

const stripeCustomer = (id: string, fields: Record<string, unknown>): AnySyncedObject =>
  ({ id, object: 'customer', created: 1_699_000_000, name: `Customer ${id}`, metadata: {}, email: null, ...fields }) as unknown as AnySyncedObject;

const PAGE: AnySyncedObject[] = [
  stripeCustomer('cus_by_id', { metadata: { sage_cust_id: 'C000003' }, email: 'shared@example.com' }),
  stripeCustomer('cus_bad_metadata', { metadata: { sage_cust_id: 42 }, email: 'grace@example.com' }),
  stripeCustomer('cus_by_padded_id', { metadata: { sage_cust_id: '  C000002 ' } }),
  stripeCustomer('cus_unknown_id', { metadata: { sage_cust_id: 'C999999' }, email: 'grace@example.com' }),
  stripeCustomer('cus_shared', { email: 'shared@example.com' }),
  stripeCustomer('cus_shared_upper', { email: ' SHARED@Example.com' }),
  stripeCustomer('cus_grace', { email: 'grace@example.com' }),
  stripeCustomer('cus_new', { email: 'nobody@example.com' }),
  stripeCustomer('cus_new_too', { email: 'nobody@example.com' }),
  stripeCustomer('cus_no_email', {}),
  stripeCustomer('cus_bad_email', { email: 42 }),
];

interface Calls {
  findCustomer: number;
  findCustomers: number;
}

/** The sandbox's SageTarget, counting look-ups; `batch: false` refuses findCustomers as Sage would refuse a statement. */
function countingSage(calls: Calls, batch: boolean): SageTarget {
  const writer = fx.writer;
  return Object.assign(Object.create(writer) as SageTarget, {
    findCustomer: async (query: Parameters<SageTarget['findCustomer']>[0]) => {
      calls.findCustomer += 1;
      return writer.findCustomer(query);
    },
    findCustomers: async (queries: Parameters<SageTarget['findCustomers']>[0]) => {
      calls.findCustomers += 1;
      if (!batch) throw new SageWriteError('Looking up the Sage customers: refused in this test', 'data');
      return writer.findCustomers(queries);
    },
  });
}

async function planPage(name: string, sage: SageTarget, page = PAGE, mapping: Mapping = DEFAULT_MAPPING): Promise<{ ledger: SqliteLedger; result: PlanPassResult }> {
  const ledger = new SqliteLedger(join(dir, `${name}.sqlite`));
  ledgers.push(ledger);
  ledger.objects.upsertObjects(page);
  const context = fixedRunContext({ ledger, sage });
  const version = ledger.mappings.saveMapping(mapping);
  return { ledger, result: await planChangedObjects(context, { version, mapping }, 'customers') };
}

/** Per Stripe customer: the CustIDs of its planned documents, the CustID written back (a match by e-mail), its issue. */
function plans(ledger: SqliteLedger, result: PlanPassResult): Record<string, unknown> {
  return Object.fromEntries(
    PAGE.map((object) => [
      object.id,
      {
        documents: ledger.documents.documentsForObject(object.id).map((stored) => (stored.document.type === 'customer' ? stored.document.custId : stored.document.type)),
        emailMatch: result.writeBacks.filter((writeBack) => writeBack.target.id === object.id).map((writeBack) => writeBack.target.value),
        issue: ledger.objects.objectIssue(object.id)?.errorClass ?? null,
      },
    ]),
  );
}

describe('plan pass customer look-ups', () => {
  it('asks Sage once per kind of key for a page of customers and plans what the one-by-one look-ups plan', async () => {
    const alone: Calls = { findCustomer: 0, findCustomers: 0 };
    const before = await planPage('alone', countingSage(alone, false));
    const batched: Calls = { findCustomer: 0, findCustomers: 0 };
    const after = await planPage('batched', countingSage(batched, true));

    expect(batched).toEqual({ findCustomer: 0, findCustomers: 2 });
    // One by one (both batches refused): a CustID each for the three with metadata, an e-mail each for the six not found by it.
    expect(alone).toEqual({ findCustomer: 9, findCustomers: 2 });
    expect(plans(after.ledger, after.result)).toEqual(plans(before.ledger, before.result));
    expect(plans(after.ledger, after.result)).toEqual({
      cus_by_id: { documents: [], emailMatch: [], issue: null },
      // A damaged payload is this customer's own error: the rest of the page is still looked up.
      cus_bad_metadata: { documents: [], emailMatch: [], issue: 'data' },
      cus_by_padded_id: { documents: [], emailMatch: [], issue: null },
      cus_unknown_id: { documents: [], emailMatch: ['C000003'], issue: null },
      cus_shared: { documents: [], emailMatch: ['C000001'], issue: null },
      cus_shared_upper: { documents: [], emailMatch: ['C000001'], issue: null },
      cus_grace: { documents: [], emailMatch: ['C000003'], issue: null },
      cus_new: { documents: [sageCustIdFor('cus_new', 'S')], emailMatch: [], issue: null },
      cus_new_too: { documents: [sageCustIdFor('cus_new_too', 'S')], emailMatch: [], issue: null },
      cus_no_email: { documents: [sageCustIdFor('cus_no_email', 'S')], emailMatch: [], issue: null },
      cus_bad_email: { documents: [], emailMatch: [], issue: 'data' },
    });
  });

  it('asks Sage nothing for a page whose customers need no look-up (a rule skips them all)', async () => {
    const mapping = {
      ...DEFAULT_MAPPING,
      rules: [{ name: 'no customers in Sage', enabled: true, when: [{ field: 'objectKind', in: ['customer'] }], then: [{ action: 'skip' }] }],
    } as unknown as Mapping;
    const calls: Calls = { findCustomer: 0, findCustomers: 0 };
    const { ledger } = await planPage('skipped', countingSage(calls, true), PAGE.slice(0, 5), mapping);

    expect(ledger.documents.documentsForObject('cus_shared').map((stored) => stored.state)).toEqual(['skipped']);
    expect(calls).toEqual({ findCustomer: 0, findCustomers: 0 });
  });
});
