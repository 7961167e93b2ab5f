import { BATCH_TYPE_GL_JOURNAL, TRAN_TYPE_SALES_ORDER } from './sage-codes.js';

/**
 * The reads of `s5sync capture` and of the rehearsal's read-back: every column (`SELECT *`)
 * of the rows that make up one document, as Sage holds them. Kept apart from statements.ts
 * (the writer's own SQL) but parsed as T-SQL by the same test.
 */

// One GL batch (sources S5, S6, S8, docs/sage-sources.md).
export const SELECT_GL_BATCH_BY_NO = `SELECT BatchKey FROM tciBatchLog WHERE SourceCompanyID = @companyId AND BatchType = ${BATCH_TYPE_GL_JOURNAL} AND BatchNo = @batchNo`;
export const CAPTURE_BATCH_LOG = 'SELECT * FROM tciBatchLog WHERE BatchKey = @batchKey';
export const CAPTURE_GL_BATCH = 'SELECT * FROM tglBatch WHERE BatchKey = @batchKey';
/** The journal-log rows of the batch's entries (table name UNVERIFIED, no public source; the writer uses the same name). */
export const CAPTURE_JOURNAL_LOG =
  'SELECT l.* FROM tglJournalLog l INNER JOIN tglJournalHdr h ON h.JrnlKey = l.JrnlKey AND h.JrnlNo = l.JrnlNo WHERE h.BatchKey = @batchKey ORDER BY h.JrnlHdrKey';
export const CAPTURE_JOURNAL_HDR = 'SELECT * FROM tglJournalHdr WHERE BatchKey = @batchKey ORDER BY JrnlHdrKey';
export const CAPTURE_JOURNAL_DETL =
  'SELECT d.* FROM tglJournalDetl d INNER JOIN tglJournalHdr h ON h.JrnlHdrKey = d.JrnlHdrKey WHERE h.BatchKey = @batchKey ORDER BY d.JrnlHdrKey, d.EntryNo';

// One customer and what Sage's customer screen or API created with it (sources S1, S3, docs/sage-sources.md).
export const SELECT_CUSTOMER_KEY = 'SELECT CustKey FROM tarCustomer WHERE CompanyID = @companyId AND CustID = @custId';
export const CAPTURE_CUSTOMER = 'SELECT * FROM tarCustomer WHERE CustKey = @custKey';
export const CAPTURE_CUST_ADDR = 'SELECT * FROM tarCustAddr WHERE CustKey = @custKey ORDER BY AddrKey';
export const CAPTURE_ADDRESS =
  'SELECT a.* FROM tciAddress a INNER JOIN tarCustAddr ca ON ca.AddrKey = a.AddrKey WHERE ca.CustKey = @custKey ORDER BY a.AddrKey';
export const CAPTURE_CONTACT = 'SELECT * FROM tciContact WHERE CntctOwnerKey = @custKey AND EntityType = 501 ORDER BY CntctKey';
export const CAPTURE_CUST_STATUS = 'SELECT * FROM tarCustStatus WHERE CustKey = @custKey';
export const CAPTURE_CUST_DOC_TRNSMIT = 'SELECT * FROM tarCustDocTrnsmit WHERE CustKey = @custKey ORDER BY TranType';

// One sales order (sources S4, S7, docs/sage-sources.md).
export const SELECT_SALES_ORDER_KEY = `SELECT SOKey FROM tsoSalesOrder WHERE CompanyID = @companyId AND TranType = ${TRAN_TYPE_SALES_ORDER} AND TranNo = @tranNo`;
export const CAPTURE_SALES_ORD_LOG = 'SELECT * FROM tsoSalesOrdLog WHERE SOKey = @soKey';
export const CAPTURE_SALES_ORDER = 'SELECT * FROM tsoSalesOrder WHERE SOKey = @soKey';
export const CAPTURE_SO_LINE = 'SELECT * FROM tsoSOLine WHERE SOKey = @soKey ORDER BY SOLineNo';
export const CAPTURE_SO_LINE_DIST =
  'SELECT d.* FROM tsoSOLineDist d INNER JOIN tsoSOLine l ON l.SOLineKey = d.SOLineKey WHERE l.SOKey = @soKey ORDER BY l.SOLineNo, d.SOLineDistKey';
