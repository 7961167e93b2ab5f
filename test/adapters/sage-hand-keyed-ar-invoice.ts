import type Database from 'better-sqlite3';

/**
 * What Sage leaves in the sandbox when a user keys an AR invoice by hand into a new invoice batch
 * (501) and saves it without posting: the batch, the pending invoice, one line without an item,
 * and the line's GL distribution, the rows `s5sync capture ar-invoice` reads. The code values
 * (Printed 0, Transmitted 0, CmntOnly 0, UnitPriceOvrd 1, RtrnType 0, SeqNo 1…) are this sample
 * site's own, and Printed and UnitPriceOvrd deliberately differ from the sandbox's column
 * defaults, so a test can tell whether the writer copied them from the capture.
 */

export const HAND_KEYED_INVOICE = { tranType: 501, printed: 0, unitPriceOvrd: 1, tranIdSuffix: '-IN' } as const;

function nextKey(raw: Database.Database, table: string): number {
  raw.prepare('INSERT INTO tciSurrogateKey (TableName, NextKey) VALUES (?, 1) ON CONFLICT (TableName) DO NOTHING').run(table);
  const row = raw.prepare('SELECT NextKey FROM tciSurrogateKey WHERE TableName = ?').get(table) as { NextKey: number };
  raw.prepare('UPDATE tciSurrogateKey SET NextKey = NextKey + 1 WHERE TableName = ?').run(table);
  return row.NextKey;
}

/** An invoice of `amount` to `custId`, one line on GL account `glAcctNo` (as tglAccount stores it); returns the batch number. */
export function keyArInvoiceByHand(raw: Database.Database, custId: string, amount: string, glAcctNo = '400000', batchNo = 41): { batchKey: number; batchNo: number; invcKey: number } {
  const customer = raw.prepare('SELECT CustKey, CustClassKey, DfltBillToAddrKey, DfltShipToAddrKey FROM tarCustomer WHERE CustID = ?').get(custId) as
    | { CustKey: number; CustClassKey: number; DfltBillToAddrKey: number; DfltShipToAddrKey: number }
    | undefined;
  if (!customer) throw new Error(`the sandbox has no customer ${custId}; write it first`);
  const account = raw.prepare('SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = ?').get(glAcctNo) as { GLAcctKey: number };
  const batchKey = nextKey(raw, 'tciBatchLog');
  const invcKey = nextKey(raw, 'tarInvoice');
  const lineKey = nextKey(raw, 'tarInvoiceDetl');
  const distKey = nextKey(raw, 'tarInvoiceLineDist');
  const thousandths = Math.round(Number(amount) * 1000);
  const tranNo = String((raw.prepare('SELECT NextTranNo FROM tciTranTypeCompany WHERE CompanyID = ? AND TranType = ?').get('SOA', HAND_KEYED_INVOICE.tranType) as { NextTranNo: number }).NextTranNo).padStart(10, '0');
  raw.prepare('UPDATE tciTranTypeCompany SET NextTranNo = NextTranNo + 1 WHERE CompanyID = ? AND TranType = ?').run('SOA', HAND_KEYED_INVOICE.tranType);
  raw.transaction(() => {
    raw.prepare(
      `INSERT INTO tciBatchLog (BatchKey, BatchID, BatchNo, BatchType, Status, PostStatus, OrigUserID, SourceCompanyID, PostCompanyID, BatchCmnt, PostDate, CreateDate, CreateType, NextSeqNo)
       VALUES (?, ?, ?, 501, 4, 0, 'stripe', 'SOA', 'SOA', 'Keyed by Mary', '2026-11-20 00:00:00', '2026-11-20 09:40:00', 1, 1)`,
    ).run(batchKey, `ARIN-${String(batchNo).padStart(6, '0')}`, batchNo);
    raw.prepare(
      `INSERT INTO tarBatch (BatchKey, BankDepAmt, BatchCmnt, CashAcctKey, Hold, InterCompany, OrigUserID, PostDate, Private, SourceModule, TranCtrl, UpdateCounter)
       VALUES (?, 0, 'Keyed by Mary', NULL, 0, 0, 'stripe', '2026-11-20 00:00:00', 0, 5, 0, 1)`,
    ).run(batchKey);
    raw.prepare(
      `INSERT INTO tarPendInvoice (InvcKey, AuthOvrdAmt, Balance, BalanceHC, BatchKey, BillToAddrKey, BillToCustAddrKey, CompanyID, CostOfSales, CreateDate, CreateType, CreateUserID,
         CurrExchRate, CurrID, CustClassKey, CustKey, DiscAmt, DiscTakenAmt, DueDate, HandlAmt, InDispute, NextApplEntryNo, PostDate, Printed, RetntAmt, SalesAmt, ShipAmt,
         ShipToAddrKey, ShipToCustAddrKey, SourceModule, Status, STaxAmt, STaxCalc, TradeDiscAmt, TranAmt, TranAmtHC, TranCmnt, TranDate, TranID, TranNo, Transmitted, TranType, UpdateCounter)
       VALUES (?, 0, ?, ?, ?, ?, ?, 'SOA', 0, '2026-11-20 09:40:00', 1, 'mary', 1, 'USD', ?, ?, 0, 0, '2026-12-20 00:00:00', 0, 0, 1, '2026-11-20 00:00:00', ?, 0, ?, 0,
         ?, ?, 5, 1, 0, 1, 0, ?, ?, 'Consulting, November', '2026-11-20 00:00:00', ?, ?, 0, ?, 1)`,
    ).run(
      invcKey, thousandths, thousandths, batchKey, customer.DfltBillToAddrKey, customer.DfltBillToAddrKey, customer.CustClassKey, customer.CustKey, HAND_KEYED_INVOICE.printed,
      thousandths, customer.DfltShipToAddrKey, customer.DfltShipToAddrKey, thousandths, thousandths, `${tranNo}${HAND_KEYED_INVOICE.tranIdSuffix}`, tranNo, HAND_KEYED_INVOICE.tranType,
    );
    raw.prepare(
      `INSERT INTO tarInvoiceDetl (InvoiceLineKey, InvcKey, SeqNo, Description, UnitPrice, UnitPriceOvrd, UnitCost, ExtAmt, TradeDiscAmt, CmntOnly, RtrnType, CommBase, CalcCommAmt, ActCommAmt)
       VALUES (?, ?, 1, 'Consulting', ?, ?, 0, ?, 0, 0, 0, 0, 0, 0)`,
    ).run(lineKey, invcKey, amount, HAND_KEYED_INVOICE.unitPriceOvrd, thousandths);
    raw.prepare('INSERT INTO tarInvoiceLineDist (InvoiceLineDistKey, InvoiceLineKey, GLAcctKey, AcctRefKey, ExtAmt, TradeDiscAmt, UpdateCounter) VALUES (?, ?, ?, NULL, ?, 0, 1)').run(
      distKey, lineKey, account.GLAcctKey, thousandths,
    );
  })();
  return { batchKey, batchNo, invcKey };
}
