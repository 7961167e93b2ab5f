import type Database from 'better-sqlite3';

/**
 * What Sage leaves in the sandbox when its users work in Accounts Receivable by hand: a posted
 * invoice (what "Process Invoices" + posting leave in tarInvoice), and a cash receipt keyed
 * into a new cash-receipt batch (503) and applied to an invoice, saved without posting: the
 * rows `s5sync capture cash-receipt` reads. The code values (TranType, CreateType,
 * AppliedAtCreation…) are this sample site's own and deliberately not anything the writer could
 * know, so a test can tell whether the writer copied them from the capture.
 */

/** The sample site's receipt code values; a real site's come from its own capture. */
export const HAND_KEYED_RECEIPT = { tranType: 510, createType: 1, appliedAtCreation: 1, tranIdSuffix: '-CR' } as const;
export const INVOICE_TRAN_TYPE = 501;

function nextKey(raw: Database.Database, table: string): number {
  raw.prepare('INSERT INTO tciSurrogateKey (TableName, NextKey) VALUES (?, 1) ON CONFLICT (TableName) DO NOTHING').run(table);
  const row = raw.prepare('SELECT NextKey FROM tciSurrogateKey WHERE TableName = ?').get(table) as { NextKey: number };
  raw.prepare('UPDATE tciSurrogateKey SET NextKey = NextKey + 1 WHERE TableName = ?').run(table);
  return row.NextKey;
}

function customerRow(raw: Database.Database, custId: string): { CustKey: number; CustClassKey: number; PrimaryAddrKey: number } {
  const row = raw.prepare('SELECT CustKey, CustClassKey, PrimaryAddrKey FROM tarCustomer WHERE CustID = ?').get(custId) as
    | { CustKey: number; CustClassKey: number; PrimaryAddrKey: number }
    | undefined;
  if (!row) throw new Error(`the sandbox has no customer ${custId}; write it first`);
  return row;
}

export interface PostedInvoice {
  invcKey: number;
  tranNo: string;
  tranId: string;
}

/** A posted AR invoice with its balance open, as Sage's posting leaves it (tarInvoice columns, S7). */
export function postInvoiceInSage(raw: Database.Database, custId: string, tranNo: number, amount: string, options: { balance?: string; tranDate?: string } = {}): PostedInvoice {
  const customer = customerRow(raw, custId);
  const invcKey = nextKey(raw, 'tarInvoice');
  const padded = String(tranNo).padStart(10, '0');
  const tranId = `${padded}-IN`;
  const thousandths = (text: string): number => Math.round(Number(text) * 1000);
  const balance = thousandths(options.balance ?? amount);
  const tranDate = `${options.tranDate ?? '2026-11-02'} 00:00:00`;
  raw.prepare(
    `INSERT INTO tarInvoice (InvcKey, AuthOvrdAmt, Balance, BalanceHC, BatchKey, BillToAddrKey, CompanyID, CostOfSales, CreateType, CurrExchRate, CurrID,
       CustClassKey, CustKey, DiscAmt, DiscTakenAmt, HandlAmt, InDispute, PostDate, Printed, RetntAmt, SalesAmt, ShipAmt, ShipToAddrKey, SourceModule,
       Status, STaxAmt, STaxCalc, TradeDiscAmt, TranAmt, TranAmtHC, TranDate, TranID, TranNo, Transmitted, TranType, UpdateCounter)
     VALUES (?, 0, ?, ?, 9000, ?, 'SOA', 0, 1, 1, 'USD', ?, ?, 0, 0, 0, 0, ?, 1, 0, ?, 0, ?, 5, 1, 0, 1, 0, ?, ?, ?, ?, ?, 0, ?, 1)`,
  ).run(
    invcKey, balance, balance, customer.PrimaryAddrKey, customer.CustClassKey, customer.CustKey, tranDate, thousandths(amount), customer.PrimaryAddrKey,
    thousandths(amount), thousandths(amount), tranDate, tranId, padded, INVOICE_TRAN_TYPE,
  );
  return { invcKey, tranNo: padded, tranId };
}

/** A cash receipt of `amount` keyed by a Sage user into a new batch and applied to `invoice`; returns the batch number. */
export function keyCashReceiptByHand(raw: Database.Database, custId: string, invoice: PostedInvoice, amount: string, batchNo = 77): { batchKey: number; batchNo: number } {
  const customer = customerRow(raw, custId);
  const batchKey = nextKey(raw, 'tciBatchLog');
  const custPmtKey = nextKey(raw, 'tarCustPmt');
  const thousandths = Math.round(Number(amount) * 1000);
  const cash = raw.prepare("SELECT GLAcctKey FROM tglAccount WHERE GLAcctNo = '101000'").get() as { GLAcctKey: number };
  raw.prepare('INSERT INTO tciTranTypeCompany (CompanyID, TranType, NextTranNo) VALUES (?, ?, 1) ON CONFLICT DO NOTHING').run('SOA', HAND_KEYED_RECEIPT.tranType);
  const tranNo = String((raw.prepare('SELECT NextTranNo FROM tciTranTypeCompany WHERE CompanyID = ? AND TranType = ?').get('SOA', HAND_KEYED_RECEIPT.tranType) as { NextTranNo: number }).NextTranNo).padStart(10, '0');
  raw.prepare('UPDATE tciTranTypeCompany SET NextTranNo = NextTranNo + 1 WHERE CompanyID = ? AND TranType = ?').run('SOA', HAND_KEYED_RECEIPT.tranType);
  const tranId = `${tranNo}${HAND_KEYED_RECEIPT.tranIdSuffix}`;
  raw.transaction(() => {
    raw.prepare(
      `INSERT INTO tciBatchLog (BatchKey, BatchID, BatchNo, BatchType, Status, PostStatus, OrigUserID, SourceCompanyID, PostCompanyID, BatchCmnt, PostDate, CreateDate, CreateType, NextSeqNo)
       VALUES (?, ?, ?, 503, 4, 0, 'stripe', 'SOA', 'SOA', 'Keyed by Mary', '2026-11-20 00:00:00', '2026-11-20 10:02:00', 1, 2)`,
    ).run(batchKey, `ARCR-${String(batchNo).padStart(6, '0')}`, batchNo);
    raw.prepare(
      `INSERT INTO tarBatch (BatchKey, BankDepAmt, BatchCmnt, CashAcctKey, Hold, InterCompany, OrigUserID, PostDate, Private, SourceModule, TranCtrl, UpdateCounter)
       VALUES (?, ?, 'Keyed by Mary', ?, 0, 0, 'stripe', '2026-11-20 00:00:00', 0, 5, 0, 1)`,
    ).run(batchKey, thousandths, cash.GLAcctKey);
    raw.prepare(
      `INSERT INTO tarPendCustPmt (CustPmtKey, BatchKey, CompanyID, CustKey, CustClassKey, TranType, TranNo, TranID, TranDate, TranAmt, TranAmtHC, CurrID, CurrExchRate,
         UnappliedAmt, UnappliedAmtHC, TranCmnt, CreateType, CreateDate, CreateUserID, UpdateCounter)
       VALUES (?, ?, 'SOA', ?, ?, ?, ?, ?, '2026-11-20 00:00:00', ?, ?, 'USD', 1, 0, 0, 'Check 1001', ?, '2026-11-20 10:02:00', 'mary', 1)`,
    ).run(custPmtKey, batchKey, customer.CustKey, customer.CustClassKey, HAND_KEYED_RECEIPT.tranType, tranNo, tranId, thousandths, thousandths, HAND_KEYED_RECEIPT.createType);
    raw.prepare(
      `INSERT INTO tarPendCustPmtAppl (BatchKey, SeqNo, ApplyFromPmtKey, ApplyFromTranID, ApplyFromTranDate, ApplyToInvcKey, ApplyToTranID, ApplyToTranDate, CurrExchRate,
         PmtAmt, PmtAmtIC, DiscTakenAmt, DiscTakenAmtIC, WriteOffAmt, WriteOffAmtIC, RealGainLossAmt, AppliedAtCreation, UpdateCounter, CreateUserID, CreateDate)
       VALUES (?, 1, ?, ?, '2026-11-20 00:00:00', ?, ?, '2026-11-02 00:00:00', 1, ?, ?, 0, 0, 0, 0, 0, ?, 0, 'mary', '2026-11-20 10:02:00')`,
    ).run(batchKey, custPmtKey, tranId, invoice.invcKey, invoice.tranId, thousandths, thousandths, HAND_KEYED_RECEIPT.appliedAtCreation);
  })();
  return { batchKey, batchNo };
}
