import type { CapturedDocument } from './site-template.js';
import { sageIdentifier } from './ar-statements.js';
import type { SqlRow } from './sql-port.js';

/**
 * The site's own cash receipt, as `s5sync capture cash-receipt` read it: which tables hold a
 * pending receipt and its application on this site, and the code values its rows carry. No
 * public source names the pending receipt tables (docs/sage-sources.md, "Not in any public source"), so they are recognised by
 * the columns their rows have: the receipt by the posted payment's columns (tarCustPmt, S8/S11),
 * the application by S8's PendingCustomerPaymentAppl columns.
 */

const RECEIPT_COLUMNS = ['CustPmtKey', 'BatchKey', 'CustKey', 'TranType', 'TranNo', 'TranID', 'TranDate', 'TranAmt', 'UnappliedAmt'] as const;
const APPLICATION_COLUMNS = ['BatchKey', 'SeqNo', 'ApplyFromPmtKey', 'ApplyToInvcKey', 'PmtAmt'] as const;

export interface ReceiptTemplate {
  /** "cash receipt batch 77 (BatchKey 3)", for messages. */
  source: string;
  capturedAt: string;
  /** The golden batch's tciBatchLog.BatchType (503 on every site S6 describes). */
  batchType: number;
  receipt: { table: string; row: SqlRow };
  application: { table: string; row: SqlRow };
  /** TranType of the receipt: the tciTranTypeCompany counter its numbers come from. */
  tranType: number;
  /** How the site builds TranID around TranNo, e.g. '' + TranNo + '-CR'. */
  tranIdAround: { before: string; after: string };
  /** The golden batch's BankDepAmt equals its receipts' total: the screen keeps the deposit amount, so the writer does too. */
  depositFollowsReceipts: boolean;
}

export class ReceiptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptTemplateError';
  }
}

const hasAll = (row: SqlRow | undefined, columns: readonly string[]): boolean => row !== undefined && columns.every((column) => column in row);

function money(value: string | number | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const match = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(String(value));
  if (!match) return null;
  const thousandths = BigInt(match[2]!) * 1000n + BigInt((match[3] ?? '').padEnd(3, '0'));
  return match[1] === '-' ? -thousandths : thousandths;
}

const HOW_TO_CAPTURE =
  'Have a Sage user enter one cash receipt for an existing customer in a new cash receipt batch, apply it to one open invoice, save it without posting, and run `s5sync capture cash-receipt <BatchNo>` (docs/sage-setup.md)';

export function receiptTemplateFrom(capture: CapturedDocument): ReceiptTemplate {
  const receipts = Object.entries(capture.tables).filter(([, rows]) => hasAll(rows[0], RECEIPT_COLUMNS));
  const applications = Object.entries(capture.tables).filter(([, rows]) => hasAll(rows[0], APPLICATION_COLUMNS));
  if (receipts.length !== 1 || receipts[0]![1].length !== 1) {
    throw new ReceiptTemplateError(`${capture.source} does not hold exactly one cash receipt (a row with ${RECEIPT_COLUMNS.join(', ')}). ${HOW_TO_CAPTURE}.`);
  }
  if (applications.length !== 1) {
    throw new ReceiptTemplateError(`${capture.source} holds no application of the receipt to an invoice (a row with ${APPLICATION_COLUMNS.join(', ')}). ${HOW_TO_CAPTURE}.`);
  }
  const [receiptTable, [receipt]] = receipts[0]! as [string, SqlRow[]];
  const [applicationTable, [application]] = applications[0]! as [string, SqlRow[]];
  const batchLog = capture.tables['tciBatchLog']?.[0];
  const arBatch = capture.tables['tarBatch']?.[0];
  if (!batchLog || !arBatch) throw new ReceiptTemplateError(`${capture.source} has no tciBatchLog or tarBatch row. ${HOW_TO_CAPTURE}.`);
  const tranNo = String(receipt!['TranNo'] ?? '').trim();
  const tranId = String(receipt!['TranID'] ?? '').trim();
  const at = tranNo === '' ? -1 : tranId.indexOf(tranNo);
  if (at < 0) {
    throw new ReceiptTemplateError(`${capture.source}: TranID "${tranId}" does not contain TranNo "${tranNo}", so the sync cannot number receipts the way this site does; send this line to your Sage partner`);
  }
  const batchType = Number(batchLog['BatchType']);
  const tranType = Number(receipt!['TranType']);
  if (!Number.isSafeInteger(batchType) || !Number.isSafeInteger(tranType)) throw new ReceiptTemplateError(`${capture.source}: BatchType or TranType is not a number`);
  const deposit = money(arBatch['BankDepAmt']);
  const total = money(receipt!['TranAmt']);
  return {
    source: capture.source,
    capturedAt: capture.capturedAt,
    batchType,
    receipt: { table: sageIdentifier(receiptTable), row: receipt! },
    application: { table: sageIdentifier(applicationTable), row: application! },
    tranType,
    tranIdAround: { before: tranId.slice(0, at), after: tranId.slice(at + tranNo.length) },
    depositFollowsReceipts: deposit !== null && deposit !== 0n && deposit === total,
  };
}
