import { GIVE_NEXT_JOURNAL_NO_PROCEDURE } from './sage-codes.js';
import { WRITER_INSERT_COLUMNS } from './statements.js';

/**
 * What the writer needs to find in a Sage database: the columns its SELECTs read (listed
 * here) plus the columns its INSERTs fill (derived from statements.ts), and the procedures it
 * calls. The preflight checks all of them against INFORMATION_SCHEMA.
 */

export const XREF_TABLE_NAME = 'tciStripeXref_STRIPE';

const READ_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  tciStripeXref_STRIPE: ['CompanyID', 'DocKey', 'SageTable', 'SageKey', 'SageNumber', 'BatchKey'],
  tsmCompany: ['CompanyID', 'CompanyName', 'CurrID'],
  tsmCompanyModule: ['CompanyID', 'ModuleNo', 'Active'],
  tsmUser: ['UserID'],
  tglAccount: ['GLAcctKey', 'CompanyID', 'GLAcctNo', 'Status', 'PostingType', 'CurrRestriction', 'RestrictedCurrID', 'EffStartDate', 'EffEndDate'],
  tglFiscalPeriod: ['CompanyID', 'FiscYear', 'FiscPer', 'StartDate', 'EndDate', 'Status'],
  tglJournal: ['JrnlKey', 'CompanyID', 'JrnlID'],
  tglTransaction: ['glTranKey', 'BatchKey', 'JrnlNo', 'GLAcctKey', 'PostAmt', 'PostCmnt', 'TranDate', 'PostDate'],
  tciBatchLog: ['BatchKey', 'Status', 'PostStatus', 'BatchCmnt', 'PostDate'],
  tarCustomer: ['CustKey', 'CompanyID', 'CustID', 'CustName', 'CreateUserID'],
  tsmCountry: ['CountryID'],
  tdiDataTrnsfrJobDefStep: ['DataTrnsfrJobDefStepKey', 'DataTrnsfrJobDefKey', 'InternalTableName'],
  tdiDataTrnsfrColumnMap: ['DataTrnsfrJobDefStepKey', 'InternalColumnName', 'AllowUpdate'],
  tsmStateProvince: ['CountryID', 'StateID'],
  tciContact: ['CntctOwnerKey', 'EntityType', 'EMailAddr'],
  tsoSalesOrder: ['SOKey', 'CompanyID', 'TranType', 'TranNo', 'CustKey', 'TranCmnt'],
  tsmCompanySetup: ['CompanyID'],
  tsmMigrateSession: ['MigrateSessionKey', 'LastCompProcessTime', 'CompanyID', 'UserID'],
  tsmMigrateStepParam: ['SetupStepKey', 'ParamNo', 'ParamType'],
  tciTranTypeCompany: ['CompanyID', 'TranType', 'NextTranNo'],
  tsoSalesOrdLog: ['SOKey', 'CompanyID', 'TranType', 'TranNo'],
  tdmMigrationLogWrk: ['SessionKey', 'EntityID', 'ColumnID', 'ColumnValue', 'Status', 'Comment'],
  StgCustomer: ['SessionKey', 'ProcessStatus', 'CustID', 'Action'],
  StgSalesOrder: ['SessionKey', 'ProcessStatus'],
};

/** Table → every column the writer reads or writes. */
export function requiredColumns(): Map<string, Set<string>> {
  const required = new Map<string, Set<string>>();
  for (const source of [READ_COLUMNS, WRITER_INSERT_COLUMNS]) {
    for (const [table, columns] of Object.entries(source)) {
      const set = required.get(table) ?? new Set<string>();
      columns.forEach((column) => set.add(column));
      required.set(table, set);
    }
  }
  return required;
}

/** IDENTITY columns SQL Server fills itself (the staging tables' RowKey, sources S1, S2, S9, S10, docs/sage-sources.md). */
export const IDENTITY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  StgCustomer: ['RowKey'],
  StgSalesOrder: ['RowKey'],
  StgSOLine: ['RowKey'],
};

export const REQUIRED_PROCEDURES = ['spGetNextSurrogateKey', 'spGetNextBatch', 'spARapiCustomerIns', 'spSOapiSalesOrdIns', GIVE_NEXT_JOURNAL_NO_PROCEDURE] as const;
