import type { SyncConfig } from '../adapters/config/config-file.js';
import { loadArInvoiceProof } from '../adapters/ar/ar-invoice-proof-file.js';
import { invoiceTemplateFrom, InvoiceTemplateError, type InvoiceTemplate } from '../adapters/sage/ar-invoice-template.js';
import { loadSiteTemplate } from '../adapters/sage/site-template.js';
import type { DocumentReadiness } from './ar-readiness.js';

/**
 * Whether this site may get Stripe-only sales as pending AR invoices with the payment applied
 * (issue #21 items 4 and 5): only when AR cash receipts are proved (the payment is one), and
 * `s5sync capture ar-invoice` holds an invoice a Sage user keyed here, `s5sync check` verified
 * its tables, columns and permissions, and `s5sync check --rehearse` wrote and read one back in
 * a rolled-back transaction, all for that same capture. Otherwise it is off, with the reason
 * (the window's AR settings, `s5sync check`, `s5sync status`). The mapping's switch
 * (arPayments.invoicesForStripeSales) is the user's wish on top of this, and needs AR payments on.
 */

export interface ArInvoiceReadiness extends DocumentReadiness {
  /** The captured invoice, when it is usable (check and rehearse prove it). */
  template: InvoiceTemplate | null;
}

const CAPTURE_HOW =
  'have a Sage user enter one AR invoice (one line, no item, salesperson or sales tax) in a new invoice batch without posting it, then run `s5sync capture ar-invoice <BatchNo>`, `s5sync check` and `s5sync check --rehearse` (docs/sage-setup.md)';

export function arInvoiceReadiness(config: SyncConfig, cashReceipt: DocumentReadiness): ArInvoiceReadiness {
  const off = (reason: string, template: InvoiceTemplate | null = null): ArInvoiceReadiness => ({ proved: false, active: false, reason: `AR invoices for Stripe sales are unavailable: ${reason}`, template });
  const capture = loadSiteTemplate(config.dataDir, config.companyId)?.captures['ar-invoice'];
  let template: InvoiceTemplate | null = null;
  if (capture) {
    try {
      template = invoiceTemplateFrom(capture);
    } catch (error) {
      if (error instanceof InvoiceTemplateError) return off(error.message);
      throw error;
    }
  }
  if (!template || !capture) return off(`no AR invoice was captured on this Sage site; ${CAPTURE_HOW}`);
  const proof = loadArInvoiceProof(config.dataDir, config.companyId);
  const current = proof && proof.capturedAt === capture.capturedAt ? proof : null;
  if (!current?.checkedAt) return off(`\`s5sync check\` has not verified the tables, columns and permissions of the AR invoice captured ${capture.capturedAt} (${capture.source})`, template);
  if (!current.rehearsedAt) return off(`\`s5sync check --rehearse\` has not written and read back an AR invoice since it was captured ${capture.capturedAt}`, template);
  if (!cashReceipt.proved) return off(`its payment is an AR cash receipt, and ${cashReceipt.reason}`, template);
  const proved = `proved on this site: ${capture.source} captured ${capture.capturedAt}, checked ${current.checkedAt}, rehearsed ${current.rehearsedAt}`;
  const { enabled, invoicesForStripeSales } = config.mapping.arPayments;
  const active = enabled && invoicesForStripeSales;
  const reason = active
    ? `AR invoices for Stripe sales are on (${proved})`
    : `AR invoices for Stripe sales can be turned on in the mapping${enabled ? '' : ', with AR payments'} (${proved})`;
  return { proved: true, active, reason, template };
}
