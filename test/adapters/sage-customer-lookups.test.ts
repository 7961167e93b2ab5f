import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerQuery } from '../../main/core/ports/sage-target.js';
import { customer, openFixture, type SandboxFixture } from './sage-fixtures.js';

/**
 * findCustomers (one statement per kind of key) answers each query exactly as findCustomer
 * answers it alone: the oracle is the single look-up, query by query, on a sandbox holding
 * customers that share an e-mail, e-mails in other case and with trailing spaces, an inactive
 * customer and another company's customers.
 */

let fx: SandboxFixture;
beforeEach(() => {
  fx = openFixture();
});
afterEach(async () => {
  await fx.close();
});

async function seedCustomers(): Promise<Record<string, number>> {
  const keys: Record<string, number> = {};
  const rows: [string, string | null][] = [
    ['C000001', 'shared@example.com'],
    ['C000002', 'Shared@Example.COM  '],
    ['C000003', 'inactive@example.com'],
    ['C000004', 'elsewhere@example.com'],
    ['C000005', 'both@example.com'],
    ['C000006', 'both@example.com'],
    ['C000007', null],
  ];
  for (const [custId, email] of rows) keys[custId] = (await fx.writer.write(customer(custId, { key: `customer:${custId}`, email }), { runId: 1 })).sageKey;
  fx.raw.prepare("UPDATE tarCustomer SET Status = 2 WHERE CustID = 'C000003'").run();
  // Another company's customers: one alone with its e-mail, one sharing an e-mail with ours and the lower CustKey.
  fx.raw.pragma('foreign_keys = OFF');
  fx.raw.prepare("UPDATE tarCustomer SET CompanyID = 'XYZ' WHERE CustID IN ('C000004', 'C000005')").run();
  return keys;
}

const QUERIES: CustomerQuery[] = [
  { custId: 'C000001' },
  { custId: 'C000003' },
  { custId: 'C000004' },
  { custId: 'c000001' },
  { custId: 'C000001 ' },
  { custId: 'C999999' },
  { email: 'shared@example.com' },
  { email: '  SHARED@example.com ' },
  { email: 'Shared@Example.COM  ' },
  { email: 'inactive@example.com' },
  { email: 'elsewhere@example.com' },
  { email: 'both@example.com' },
  { email: 'nobody@example.com' },
  { email: '' },
  { custId: 'C000007', email: 'shared@example.com' },
  { custId: 'C999999', email: 'shared@example.com' },
  {},
  { custId: 'C000001' },
  { email: 'shared@example.com' },
];

describe('SageWriter.findCustomers', () => {
  it('answers every query as findCustomer does alone', async () => {
    const keys = await seedCustomers();
    // More distinct keys than one statement takes, the known ones last.
    const unknown = Array.from({ length: 620 }, (_, index): CustomerQuery => (index % 2 === 0 ? { email: `unknown${index}@example.com` } : { custId: `U${index}` }));
    const queries = [...unknown, ...QUERIES];

    const batched = await fx.writer.findCustomers(queries);

    const alone = [];
    for (const query of queries) alone.push(await fx.writer.findCustomer(query));
    expect(batched).toEqual(alone);
    // Not a comparison of two empty answers: what the single look-up finds here.
    const found = alone.slice(unknown.length).map((match) => match?.custId ?? null);
    expect(found).toEqual([
      'C000001', 'C000003', null, null, null, null,
      'C000001', 'C000001', 'C000001', 'C000003', null, 'C000006', null, null,
      'C000007', null, null, 'C000001', 'C000001',
    ]);
    expect(batched[unknown.length]).toEqual({ custId: 'C000001', custKey: keys['C000001'], custName: 'Ada Lovelace Ltd' });
  });

  it('asks Sage once per kind of key for up to 500 distinct keys of each', async () => {
    await seedCustomers();
    let statements = 0;
    const query = fx.port.query.bind(fx.port);
    fx.port.query = async (...args) => {
      statements += 1;
      return query(...args);
    };
    const queries = Array.from({ length: 500 }, (_, index): CustomerQuery[] => [{ custId: `U${index}` }, { email: `unknown${index}@example.com` }]).flat();

    expect(await fx.writer.findCustomers(queries)).toEqual(queries.map(() => null));
    expect(statements).toBe(2);
  });
});
