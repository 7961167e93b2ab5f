import type { SyncConfig } from '../adapters/config/config-file.js';
import { captureCashReceipt } from '../adapters/sage/ar-capture.js';
import { captureArInvoice } from '../adapters/sage/ar-invoice-capture.js';
import { captureCustomer, captureGlBatch, captureSalesOrder } from '../adapters/sage/golden-capture.js';
import { journalCodesFor, type JournalCodeSource } from '../adapters/sage/journal-codes.js';
import { saveCapture, siteTemplatePath, type CapturedDocument, type CapturedKind } from '../adapters/sage/site-template.js';
import { openSage } from './open-sage.js';

/**
 * `s5sync capture batch|customer|sales-order|cash-receipt|ar-invoice`: reads a document a Sage user entered by hand
 * on this site and stores it as the site's golden template in the data folder.
 */

export interface CaptureRequest {
  kind: CapturedKind;
  /** The batch number (GL or cash receipt), customer ID or sales-order number as Sage shows it. */
  id: string;
}

export interface CaptureResult {
  capture: CapturedDocument;
  path: string;
  /** The journal code values the writer now uses (after a GL batch capture). */
  journalCodes: JournalCodeSource | null;
}

export async function captureSiteDocument(config: SyncConfig, env: NodeJS.ProcessEnv, request: CaptureRequest, now: Date): Promise<CaptureResult> {
  const sage = await openSage(config, env);
  let capture: CapturedDocument;
  try {
    capture = await readCapture(sage, config.companyId, request, now);
  } finally {
    await sage.close();
  }
  const template = saveCapture(config.dataDir, config.companyId, request.kind, capture);
  return { capture, path: siteTemplatePath(config.dataDir), journalCodes: request.kind === 'gl-batch' ? journalCodesFor(template) : null };
}

function readCapture(sage: Awaited<ReturnType<typeof openSage>>, companyId: string, request: CaptureRequest, now: Date): Promise<CapturedDocument> {
  switch (request.kind) {
    case 'gl-batch':
      return captureGlBatch(sage, companyId, batchNumber(request.id, 'a GL batch number'), now);
    case 'cash-receipt':
      return captureCashReceipt(sage, companyId, batchNumber(request.id, 'a cash receipt batch number'), now);
    case 'ar-invoice':
      return captureArInvoice(sage, companyId, batchNumber(request.id, 'an AR invoice batch number'), now);
    case 'customer':
      return captureCustomer(sage, companyId, request.id, now);
    case 'sales-order':
      return captureSalesOrder(sage, companyId, request.id, now);
  }
}

function batchNumber(id: string, what: string): number {
  const batchNo = Number(id);
  if (!Number.isSafeInteger(batchNo) || batchNo < 1) throw new CaptureRequestError(`${what} is a whole number, got "${id}"`);
  return batchNo;
}

export class CaptureRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureRequestError';
  }
}
