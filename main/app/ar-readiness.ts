import type { SyncConfig } from '../adapters/config/config-file.js';
import { loadCashReceiptProof } from '../adapters/ar/ar-proof-file.js';
import { receiptTemplateFrom, ReceiptTemplateError, type ReceiptTemplate } from '../adapters/sage/ar-receipt-template.js';
import { loadSiteTemplate } from '../adapters/sage/site-template.js';

/**
 * Whether this site may get Stripe payments as AR cash receipts (issue #21): only when
 * `s5sync capture cash-receipt` holds a receipt a Sage user keyed here, `s5sync check` verified
 * its tables, columns and permissions, and `s5sync check --rehearse` wrote and read one back in
 * a rolled-back transaction, all for that same capture. Otherwise it is off, with the reason
 * (CLI status, the window). The mapping's switch is the user's wish on top of this.
 */

/** Whether one AR document type may be written on this site, and why (or why not) in words. */
export interface DocumentReadiness {
  /** The site proved it: the option can be turned on. */
  proved: boolean;
  /** Proved and turned on in the mapping: the sync writes this document type. */
  active: boolean;
  reason: string;
}

export interface ArReadiness {
  cashReceipt: DocumentReadiness;
  /**
   * AR credit memos and refund documents for refunds and disputes of receipted payments. Never
   * proved in this version: no public source shows their pending tables well enough to write
   * them from a capture (sage500.md §3.6, §7 items 2, 3 and 5), so such refunds are booked in GL
   * with this reason on the record.
   */
  creditMemo: DocumentReadiness;
  /** The captured receipt, when it is usable. */
  template: ReceiptTemplate | null;
}

const CAPTURE_HOW =
  'have a Sage user enter one cash receipt applied to an open invoice in a new cash receipt batch (not posted), then run `s5sync capture cash-receipt <BatchNo>`, `s5sync check` and `s5sync check --rehearse` (docs/sage-setup.md)';

export const NO_CREDIT_MEMO_WRITER =
  "AR credit memos and refunds are unavailable: a refund of a receipted payment sends money back, which Sage AR records as a credit memo paid out by a customer refund (batch type 508); no public source shows the refund batch's pending tables or how a credit memo is applied to it, and a credit memo alone would leave the customer a credit in AR while the cash left the clearing account, so AR and its control account would disagree; refunds and disputes of AR cash receipts are booked in GL (docs/sage-setup.md 8.1a)";

export function arReadiness(config: SyncConfig): ArReadiness {
  const creditMemo: DocumentReadiness = { proved: false, active: false, reason: NO_CREDIT_MEMO_WRITER };
  const off = (reason: string, template: ReceiptTemplate | null = null): ArReadiness => ({ cashReceipt: { proved: false, active: false, reason }, creditMemo, template });
  const capture = loadSiteTemplate(config.dataDir, config.companyId)?.captures['cash-receipt'];
  if (!capture) return off(`AR payments are unavailable: no cash receipt was captured on this Sage site; ${CAPTURE_HOW}`);
  let template: ReceiptTemplate;
  try {
    template = receiptTemplateFrom(capture);
  } catch (error) {
    if (error instanceof ReceiptTemplateError) return off(`AR payments are unavailable: ${error.message}`);
    throw error;
  }
  const proof = loadCashReceiptProof(config.dataDir, config.companyId);
  const current = proof && proof.capturedAt === capture.capturedAt ? proof : null;
  if (!current?.checkedAt) return off(`AR payments are unavailable: \`s5sync check\` has not verified the tables, columns and permissions of the cash receipt captured ${capture.capturedAt} (${capture.source})`, template);
  if (!current.rehearsedAt) return off(`AR payments are unavailable: \`s5sync check --rehearse\` has not written and read back a cash receipt since it was captured ${capture.capturedAt}`, template);
  const proved = `proved on this site: ${capture.source} captured ${capture.capturedAt}, checked ${current.checkedAt}, rehearsed ${current.rehearsedAt}`;
  const active = config.mapping.arPayments.enabled;
  return { cashReceipt: { proved: true, active, reason: active ? `AR payments are on (${proved})` : `AR payments can be turned on in the mapping (${proved})` }, creditMemo, template };
}
