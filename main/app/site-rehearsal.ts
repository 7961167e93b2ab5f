import type { SyncConfig } from '../adapters/config/config-file.js';
import { rehearseArInvoice } from '../adapters/sage/ar-invoice-rehearsal.js';
import { rehearseCashReceipt } from '../adapters/sage/ar-rehearsal.js';
import { diffDocument, type ColumnDifference } from '../adapters/sage/golden-diff.js';
import { journalCodesFor } from '../adapters/sage/journal-codes.js';
import { rehearse, type RehearsalStep, type RehearsedKind } from '../adapters/sage/rehearsal.js';
import type { SageWriterOptions } from '../adapters/sage/sage-writer.js';
import { loadSiteTemplate, type SiteTemplate } from '../adapters/sage/site-template.js';
import { businessDate } from '../core/time/business-date.js';
import { arInvoiceReadiness } from './ar-invoice-readiness.js';
import { arReadiness } from './ar-readiness.js';
import { openSage } from './open-sage.js';
import { rehearsalSamples } from './rehearsal-samples.js';

/**
 * The rehearsal (`s5sync check --rehearse`) and the golden comparison (`s5sync capture diff`)
 * for a configured site: the writer as the sync would run it (same options, same site code
 * values), on the site's database, always rolled back.
 */

export function writerOptionsFor(config: SyncConfig, template: SiteTemplate | null): SageWriterOptions {
  return {
    companyId: config.companyId,
    userId: config.sageUserId,
    journalId: config.mapping.journalId,
    warehouseId: config.mapping.salesOrders.warehouseId,
    journalCodes: journalCodesFor(template).codes,
  };
}

export async function rehearseSite(config: SyncConfig, env: NodeJS.ProcessEnv, nowMs: number): Promise<RehearsalStep[]> {
  const template = loadSiteTemplate(config.dataDir, config.companyId);
  const today = businessDate(Math.floor(nowMs / 1000), config.mapping.timeZone);
  const sage = await openSage(config, env);
  try {
    const steps = await rehearse(sage, writerOptionsFor(config, template), rehearsalSamples(config, today));
    const readiness = arReadiness(config);
    const receipt = readiness.template;
    const receiptSteps = receipt
      ? await rehearseCashReceipt(sage, { companyId: config.companyId, userId: config.sageUserId, template: receipt, clearingAcctNo: config.mapping.accounts.clearing, today })
      : [];
    const invoice = arInvoiceReadiness(config, readiness.cashReceipt).template;
    const invoiceSteps = invoice
      ? await rehearseArInvoice(sage, {
          companyId: config.companyId,
          userId: config.sageUserId,
          template: invoice,
          receiptTemplate: receipt,
          revenueAcctNo: config.mapping.accounts.revenue,
          clearingAcctNo: config.mapping.accounts.clearing,
          today,
        })
      : [];
    return [...steps, ...receiptSteps, ...invoiceSteps];
  } finally {
    await sage.close();
  }
}

export interface DocumentDiff {
  kind: RehearsedKind;
  /** The golden document compared with, or null when none was captured for this kind. */
  golden: string | null;
  /** Null when the rehearsal could not write this kind (see the step). */
  differences: ColumnDifference[] | null;
  step: RehearsalStep;
}

export interface CaptureDiffResult {
  documents: DocumentDiff[];
  rolledBack: RehearsalStep | null;
}

export async function captureDiff(config: SyncConfig, env: NodeJS.ProcessEnv, nowMs: number): Promise<CaptureDiffResult> {
  const template = loadSiteTemplate(config.dataDir, config.companyId);
  const steps = await rehearseSite(config, env, nowMs);
  const documents: DocumentDiff[] = [];
  for (const step of steps) {
    if (step.kind === 'rollback') continue;
    const golden = template?.captures[step.kind] ?? null;
    documents.push({
      kind: step.kind,
      golden: golden?.source ?? null,
      differences: golden && step.rows ? diffDocument(golden.tables, step.rows) : null,
      step,
    });
  }
  return { documents, rolledBack: steps.find((step) => step.kind === 'rollback') ?? null };
}
