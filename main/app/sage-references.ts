import type { SageReferencesView } from '../../preload/contract.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import { textColumn, varchar } from '../adapters/sage/sql-params.js';

/**
 * The Sage ids the rules editor offers for a rule's customer class, order item and warehouse:
 * the company's rows of tarCustClass, timItem and timWarehouse (the tables the site checks
 * look these ids up in, main/adapters/sage/check-statements.ts), ordered by id.
 */
const SELECT_CUSTOMER_CLASSES = 'SELECT CustClassID FROM tarCustClass WHERE CompanyID = @companyId ORDER BY CustClassID';
const SELECT_ITEMS = 'SELECT ItemID FROM timItem WHERE CompanyID = @companyId ORDER BY ItemID';
const SELECT_WAREHOUSES = 'SELECT WhseID FROM timWarehouse WHERE CompanyID = @companyId ORDER BY WhseID';

export async function readSageReferences(sage: SagePort, companyId: string): Promise<SageReferencesView> {
  const ids = async (sql: string, column: string) =>
    (await sage.query(sql, { companyId: varchar(3, companyId) })).flatMap((row) => textColumn(row, column) ?? []);
  return { customerClasses: await ids(SELECT_CUSTOMER_CLASSES, 'CustClassID'), items: await ids(SELECT_ITEMS, 'ItemID'), warehouses: await ids(SELECT_WAREHOUSES, 'WhseID') };
}
