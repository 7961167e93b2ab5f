import { textColumn, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';

/**
 * The Sage ids a rule may name for a customer class, order item and warehouse: the company's
 * rows of tarCustClass, timItem and timWarehouse (the tables the site checks look these ids up
 * in, check-statements.ts), ordered by id.
 */
const SELECT_CUSTOMER_CLASSES = 'SELECT CustClassID FROM tarCustClass WHERE CompanyID = @companyId ORDER BY CustClassID';
const SELECT_ITEMS = 'SELECT ItemID FROM timItem WHERE CompanyID = @companyId ORDER BY ItemID';
const SELECT_WAREHOUSES = 'SELECT WhseID FROM timWarehouse WHERE CompanyID = @companyId ORDER BY WhseID';

export interface SageReferenceIds {
  customerClasses: string[];
  items: string[];
  warehouses: string[];
}

export async function readSageReferenceIds(sage: SqlSession, companyId: string): Promise<SageReferenceIds> {
  const ids = async (sql: string, column: string) =>
    (await sage.query(sql, { companyId: varchar(3, companyId) })).flatMap((row) => textColumn(row, column) ?? []);
  return { customerClasses: await ids(SELECT_CUSTOMER_CLASSES, 'CustClassID'), items: await ids(SELECT_ITEMS, 'ItemID'), warehouses: await ids(SELECT_WAREHOUSES, 'WhseID') };
}
