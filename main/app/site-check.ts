import type { SyncConfig } from '../adapters/config/config-file.js';
import { recordArInvoiceProof } from '../adapters/ar/ar-invoice-proof-file.js';
import { recordCashReceiptProof } from '../adapters/ar/ar-proof-file.js';
import { arInvoiceCheckItems } from '../adapters/sage/ar-invoice-checks.js';
import { arReceiptCheckItems } from '../adapters/sage/ar-checks.js';
import { installXref } from '../adapters/sage/install-xref.js';
import { journalCodesFor } from '../adapters/sage/journal-codes.js';
import { runPreflight, type PreflightItem } from '../adapters/sage/preflight.js';
import type { RehearsalStep } from '../adapters/sage/rehearsal.js';
import type { SiteCheckOptions } from '../adapters/sage/site-schema-checks.js';
import { takeFingerprint, writeFingerprint } from '../adapters/sage/site-fingerprint.js';
import { loadSiteTemplate } from '../adapters/sage/site-template.js';
import { mappedAccounts } from '../core/mapping/mapping.js';
import { businessDate } from '../core/time/business-date.js';
import { arInvoiceReadiness } from './ar-invoice-readiness.js';
import { arReadiness } from './ar-readiness.js';
import { openSage } from './open-sage.js';
import { rehearseSite } from './site-rehearsal.js';

/**
 * `s5sync check`: the preflight and the site checks against the configured Sage database.
 * The CLI only prints what this returns.
 */

export interface SiteCheckRequest {
  install: boolean;
  now: number;
  /** Also write one sample of each enabled document type in a rolled-back transaction. */
  rehearse?: boolean;
  /** Also export the schema facts the writer depends on to this file. */
  fingerprintPath?: string;
}

export interface SiteCheckResult {
  /** What --install did, or null when not asked. */
  installed: { created: boolean; granted: boolean } | null;
  items: PreflightItem[];
  /** The rehearsal's steps when asked for, else null. */
  rehearsal: RehearsalStep[] | null;
}

/** The site-check options a config implies: its mapping's journal, class, items and warehouse, and the site template. */
export function siteCheckOptions(config: SyncConfig): SiteCheckOptions {
  const { mapping } = config;
  return {
    companyId: config.companyId,
    journalId: mapping.journalId,
    journalCodes: journalCodesFor(loadSiteTemplate(config.dataDir, config.companyId)),
    customers: { enabled: mapping.customers.createMissing, custClassId: mapping.customers.custClassId },
    salesOrders: {
      enabled: mapping.salesOrders.enabled,
      itemIds: [mapping.salesOrders.defaultItemId, ...Object.values(mapping.productItems)],
      warehouseId: mapping.salesOrders.warehouseId,
    },
  };
}

export async function runSiteCheck(config: SyncConfig, env: NodeJS.ProcessEnv, request: SiteCheckRequest): Promise<SiteCheckResult> {
  const site = siteCheckOptions(config);
  const sage = await openSage(config, env);
  try {
    const installed = request.install ? await installXref(sage) : null;
    const items = await runPreflight(sage, {
      companyId: config.companyId,
      userId: config.sageUserId,
      accounts: mappedAccounts(config.mapping),
      today: businessDate(Math.floor(request.now / 1000), config.mapping.timeZone),
      site,
    });
    const receipt = arReadiness(config).template;
    if (receipt) {
      const arItems = await arReceiptCheckItems(sage, config.companyId, receipt);
      items.push(...arItems);
      recordCashReceiptProof(config.dataDir, config.companyId, receipt.capturedAt, 'checkedAt', arItems.every((item) => item.passed) ? new Date(request.now).toISOString() : null);
    }
    const stripeSales = arInvoiceReadiness(config, arReadiness(config).cashReceipt);
    if (stripeSales.template) {
      const invoiceItems = await arInvoiceCheckItems(sage, config.companyId, stripeSales.template);
      items.push(...invoiceItems);
      recordArInvoiceProof(config.dataDir, config.companyId, stripeSales.template.capturedAt, 'checkedAt', invoiceItems.every((item) => item.passed) ? new Date(request.now).toISOString() : null);
    } else if (config.mapping.arPayments.invoicesForStripeSales) {
      items.push({ id: 'ar-invoice:readiness', label: 'AR invoices for Stripe sales', passed: true, warning: true, detail: stripeSales.reason, fix: 'The mapping turns them on, but they stay off until the site proves an AR invoice (docs/sage-setup.md).' });
    }
    if (request.fingerprintPath) writeFingerprint(request.fingerprintPath, await takeFingerprint(sage, config.companyId, new Date(request.now)));
    await sage.close();
    const rehearsal = request.rehearse ? await rehearseSite(config, env, request.now) : null;
    const receiptSteps = rehearsal?.filter((step) => step.kind === 'cash-receipt') ?? [];
    if (receipt && receiptSteps.length > 0) {
      recordCashReceiptProof(config.dataDir, config.companyId, receipt.capturedAt, 'rehearsedAt', receiptSteps.every((step) => step.passed) ? new Date(request.now).toISOString() : null);
    }
    const invoiceSteps = rehearsal?.filter((step) => step.kind === 'ar-invoice') ?? [];
    if (stripeSales.template && invoiceSteps.length > 0) {
      recordArInvoiceProof(config.dataDir, config.companyId, stripeSales.template.capturedAt, 'rehearsedAt', invoiceSteps.every((step) => step.passed) ? new Date(request.now).toISOString() : null);
    }
    return { installed, items, rehearsal };
  } catch (error) {
    await sage.close();
    throw error;
  }
}
