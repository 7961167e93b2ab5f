import type { SagePort } from '../../adapters/sage/sql-port.js';

/**
 * What landed in Sage, read back with plain SQL by Sage's own table names: the same
 * questions a tester would ask the sandbox with any SQLite client.
 */
export interface SageSummary {
  batches: number;
  journals: number;
  journalLines: number;
  journalTotal: string;
  debitTotal: string;
  customers: number;
  salesOrders: number;
  crossReferences: number;
}

export async function readSageSummary(sage: SagePort): Promise<SageSummary> {
  const [row] = await sage.query(
    `SELECT
       (SELECT COUNT(*) FROM tglBatch) AS Batches,
       (SELECT COUNT(*) FROM tglJournalHdr) AS Journals,
       (SELECT COUNT(*) FROM tglJournalDetl) AS JournalLines,
       (SELECT COUNT(*) FROM tarCustomer) AS Customers,
       (SELECT COUNT(*) FROM tsoSalesOrder) AS SalesOrders,
       (SELECT COUNT(*) FROM tciStripeXref_STRIPE) AS CrossReferences`,
  );
  // Aliased as PostAmt so both executors return the sums as decimal(15,3) text.
  const [total] = await sage.query('SELECT ISNULL(SUM(PostAmt), 0) AS PostAmt FROM tglJournalDetl');
  const [debits] = await sage.query('SELECT ISNULL(SUM(PostAmt), 0) AS PostAmt FROM tglJournalDetl WHERE PostAmt > 0');
  return {
    batches: Number(row?.Batches ?? 0),
    journals: Number(row?.Journals ?? 0),
    journalLines: Number(row?.JournalLines ?? 0),
    customers: Number(row?.Customers ?? 0),
    salesOrders: Number(row?.SalesOrders ?? 0),
    crossReferences: Number(row?.CrossReferences ?? 0),
    journalTotal: String(total?.PostAmt ?? '0.000'),
    debitTotal: String(debits?.PostAmt ?? '0.000'),
  };
}
