import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * A customer this sync created is edited in Stripe after the first sync (a Dashboard edit:
 * new e-mail and address, one customer.updated event); the next sync changes the Sage
 * customer through StgCustomer Action 2, exactly once.
 */
describe('a Stripe customer edited after it was created in Sage', () => {
  let books: SimulatedBooks;

  beforeAll(async () => {
    books = await openBooks({ seed: 11, days: 6, config: { sync: { backfillDays: 10 } } }, 's5sync-customer-update-');
  });

  afterAll(async () => {
    await books.close();
  });

  const runOnce = () => books.sync();
  const sageRow = <T>(sql: string, ...params: unknown[]): T | undefined => books.sageSql<T>(sql, ...params)[0];

  const sageCustomer = (custId: string) =>
    sageRow(
      `SELECT c.CustName, a.AddrLine1, a.City, a.PostalCode, t.EMailAddr, c.UpdateCounter
       FROM tarCustomer c JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey JOIN tciContact t ON t.CntctKey = c.PrimaryCntctKey
       WHERE c.CustID = ?`,
      custId,
    );
  const updatesStaged = (custId: string) => sageRow<{ n: number }>('SELECT COUNT(*) AS n FROM StgCustomer WHERE Action = 2 AND CustID = ?', custId)!.n;

  it('updates the Sage customer once on the next sync, and not again after that', async () => {
    expect((await runOnce()).outcome).not.toBe('failed');
    const created = sageRow<{ StripeObjectID: string; SageNumber: string }>(
      "SELECT StripeObjectID, SageNumber FROM tciStripeXref_STRIPE WHERE DocKey LIKE '%:customer' ORDER BY DocKey LIMIT 1",
    );
    expect(created).toBeDefined();
    const { StripeObjectID: customerId, SageNumber: custId } = created!;
    const before = sageCustomer(custId) as { EMailAddr: string; UpdateCounter: number };
    expect(before.UpdateCounter).toBe(0);

    books.simulator.advanceSeconds(120, { generate: false });
    books.simulator.updateCustomer(customerId, {
      email: 'accounts@moved.example',
      address: { line1: '500 W Madison St', line2: null, city: 'Chicago', state: 'IL', postal_code: '60661', country: 'US' },
    });
    books.simulator.advanceSeconds(5, { generate: false });
    expect((await runOnce()).outcome).not.toBe('failed');

    expect(sageCustomer(custId)).toMatchObject({ AddrLine1: '500 W Madison St', City: 'Chicago', PostalCode: '60661', EMailAddr: 'accounts@moved.example', UpdateCounter: 1 });
    expect(updatesStaged(custId)).toBe(1);
    const updateRows = books.sageSql("SELECT DocKey FROM tciStripeXref_STRIPE WHERE StripeObjectID = ? AND DocKey LIKE '%:customer-update:%'", customerId);
    expect(updateRows).toHaveLength(1);

    books.simulator.advanceSeconds(60, { generate: false });
    const again = await runOnce();
    expect(again.documentsWritten).toBe(0);
    expect(updatesStaged(custId)).toBe(1);
    expect(sageCustomer(custId)).toMatchObject({ UpdateCounter: 1 });
  });
});
