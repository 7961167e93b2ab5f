import Database from 'better-sqlite3';

/**
 * What landed in a Sage sandbox, document by document, as the bookkeeper would compare it:
 * each journal as its lines (GL account number, amount, transaction date, comment), each
 * customer by its content (CustID, name, address), each sales order by customer, amounts,
 * date and lines, each AR cash receipt by customer, amounts, date, comment, the batch it sits in
 * (type, status, cash account, comment, post date) and its applications (invoice, amount,
 * dates; an invoice of the sync's own by its document key), each AR invoice for a Stripe sale by
 * customer, amounts, dates, comment, batch and lines with their GL distribution. Surrogate keys, batch, journal and receipt numbers are left out: they depend on the
 * order things were written in, which crashes and retries change; the books must not.
 */

export type SageBooks = Map<string, string>;

export function sageBooks(sandboxPath: string): SageBooks {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    const books: SageBooks = new Map();
    const journalLines = db
      .prepare(
        `SELECT x.DocKey AS docKey, a.GLAcctNo AS account, d.PostAmt AS amount, d.TranDate AS tranDate, d.PostCmnt AS comment
         FROM tciStripeXref_STRIPE x
         JOIN tglJournalDetl d ON x.SageTable = 'tglJournalHdr' AND d.JrnlHdrKey = x.SageKey
         JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
         ORDER BY x.DocKey, a.GLAcctNo, d.PostAmt, d.TranDate, d.PostCmnt`,
      )
      .all() as { docKey: string; account: string; amount: number; tranDate: string | null; comment: string | null }[];
    for (const line of journalLines) {
      const row = `${line.account} ${line.amount} ${line.tranDate ?? '-'} ${line.comment ?? ''}`;
      books.set(line.docKey, books.has(line.docKey) ? `${books.get(line.docKey)!}\n${row}` : row);
    }
    const customers = db
      .prepare(
        `SELECT x.DocKey AS docKey, c.CustID, c.CustName, a.AddrLine1, a.AddrLine2, a.City, a.StateID, a.PostalCode, a.CountryID
         FROM tciStripeXref_STRIPE x
         JOIN tarCustomer c ON x.SageTable = 'tarCustomer' AND c.CustKey = x.SageKey
         LEFT JOIN tciAddress a ON a.AddrKey = c.PrimaryAddrKey`,
      )
      .all() as Record<string, unknown>[];
    for (const { docKey, ...content } of customers) books.set(String(docKey), JSON.stringify(content));
    const orders = db
      .prepare(
        `SELECT x.DocKey AS docKey, c.CustID, o.TranAmt, o.SalesAmt, o.STaxAmt, o.TranDate, o.CurrID,
           (SELECT group_concat(l.SOLineNo || ':' || IFNULL(l.Description, '') || ':' || l.UnitPrice, '|')
              FROM (SELECT * FROM tsoSOLine WHERE SOKey = o.SOKey ORDER BY SOLineNo) l) AS lines
         FROM tciStripeXref_STRIPE x
         JOIN tsoSalesOrder o ON x.SageTable = 'tsoSalesOrder' AND o.SOKey = x.SageKey
         JOIN tarCustomer c ON c.CustKey = o.CustKey`,
      )
      .all() as Record<string, unknown>[];
    for (const { docKey, ...content } of orders) books.set(String(docKey), JSON.stringify(content));
    const receipts = db
      .prepare(
        `SELECT x.DocKey AS docKey, c.CustID, p.TranAmt, p.TranAmtHC, p.UnappliedAmt, p.UnappliedAmtHC, p.TranDate, p.TranCmnt, p.CurrID,
           l.BatchType, l.Status AS BatchStatus, l.PostStatus, l.BatchCmnt, l.PostDate, cash.GLAcctNo AS CashAcctNo,
           (SELECT group_concat(IFNULL((SELECT o.DocKey FROM tciStripeXref_STRIPE o WHERE o.SageTable = 'tarPendInvoice' AND o.SageKey = a.ApplyToInvcKey), a.ApplyToTranID) || ':' || a.PmtAmt || ':' || a.PmtAmtIC || ':' || a.ApplyToTranDate || ':' || a.ApplyFromTranDate, '|')
              FROM (SELECT * FROM tarPendCustPmtAppl WHERE ApplyFromPmtKey = p.CustPmtKey ORDER BY ApplyToTranID) a) AS applications
         FROM tciStripeXref_STRIPE x
         JOIN tarPendCustPmt p ON x.SageTable = 'tarPendCustPmt' AND p.CustPmtKey = x.SageKey
         JOIN tarCustomer c ON c.CustKey = p.CustKey
         JOIN tciBatchLog l ON l.BatchKey = p.BatchKey
         JOIN tarBatch b ON b.BatchKey = p.BatchKey
         JOIN tglAccount cash ON cash.GLAcctKey = b.CashAcctKey`,
      )
      .all() as Record<string, unknown>[];
    for (const { docKey, ...content } of receipts) books.set(String(docKey), JSON.stringify(content));
    const invoices = db
      .prepare(
        `SELECT x.DocKey AS docKey, c.CustID, i.TranAmt, i.TranAmtHC, i.SalesAmt, i.Balance, i.STaxAmt, i.TranDate, i.DueDate, i.TranCmnt, i.CurrID,
           l.BatchType, l.Status AS BatchStatus, l.PostStatus, l.BatchCmnt, l.PostDate,
           (SELECT group_concat(d.SeqNo || ':' || IFNULL(d.Description, '') || ':' || d.ExtAmt || ':' || d.GLAcctNo || ':' || d.DistAmt, '|')
              FROM (SELECT n.SeqNo, n.Description, n.ExtAmt, g.GLAcctNo, t.ExtAmt AS DistAmt FROM tarInvoiceDetl n
                      JOIN tarInvoiceLineDist t ON t.InvoiceLineKey = n.InvoiceLineKey JOIN tglAccount g ON g.GLAcctKey = t.GLAcctKey
                     WHERE n.InvcKey = i.InvcKey ORDER BY n.SeqNo) d) AS lines
         FROM tciStripeXref_STRIPE x
         JOIN tarPendInvoice i ON x.SageTable = 'tarPendInvoice' AND i.InvcKey = x.SageKey
         JOIN tarCustomer c ON c.CustKey = i.CustKey
         JOIN tciBatchLog l ON l.BatchKey = i.BatchKey`,
      )
      .all() as Record<string, unknown>[];
    for (const { docKey, ...content } of invoices) books.set(String(docKey), JSON.stringify(content));
    return books;
  } finally {
    db.close();
  }
}

/** Documents that differ between two books, each with both versions; empty when they agree row by row. */
export function booksDifference(expected: SageBooks, actual: SageBooks, include: (docKey: string) => boolean = () => true): string[] {
  const differences: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    if (!include(key)) continue;
    const want = expected.get(key);
    const got = actual.get(key);
    if (want !== got) differences.push(`${key}\n  expected: ${want ?? '(absent)'}\n  actual:   ${got ?? '(absent)'}`);
  }
  return differences.sort();
}

/** The receipts with these comments and what each applies (null: on account), by comment. */
export function arReceiptRows(sandboxPath: string, comments: readonly string[]): { TranCmnt: string; TranAmt: number; ApplyToTranID: string | null; PmtAmt: number | null }[] {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT p.TranCmnt, p.TranAmt, a.ApplyToTranID, a.PmtAmt FROM tarPendCustPmt p LEFT JOIN tarPendCustPmtAppl a ON a.ApplyFromPmtKey = p.CustPmtKey
         WHERE p.TranCmnt IN (SELECT value FROM json_each(?)) ORDER BY p.TranCmnt`,
      )
      .all(JSON.stringify(comments)) as { TranCmnt: string; TranAmt: number; ApplyToTranID: string | null; PmtAmt: number | null }[];
    return rows;
  } finally {
    db.close();
  }
}

/** The pending AR invoices with these comments: amount and payer, by comment. */
export function arInvoiceRows(sandboxPath: string, comments: readonly string[]): { TranCmnt: string; TranAmt: number; CustID: string }[] {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT i.TranCmnt, i.TranAmt, c.CustID FROM tarPendInvoice i JOIN tarCustomer c ON c.CustKey = i.CustKey
         WHERE i.TranCmnt IN (SELECT value FROM json_each(?)) ORDER BY i.TranCmnt`,
      )
      .all(JSON.stringify(comments)) as { TranCmnt: string; TranAmt: number; CustID: string }[];
  } finally {
    db.close();
  }
}
