import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SyncEngine } from '../core/engine/sync-engine.js';
import { systemClock, type Clock } from '../core/ports/clock.js';
import { resolveStripeKey, type SyncConfig } from '../adapters/config/config-file.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { acquireProcessLock } from '../adapters/locks/process-lock.js';
import { journalCodesFor } from '../adapters/sage/journal-codes.js';
import { ArConfirmationFile } from '../adapters/ar/ar-confirmation-file.js';
import { SageOpenInvoices } from '../adapters/sage/ar-open-invoices.js';
import { SageWriter } from '../adapters/sage/sage-writer.js';
import { arInvoiceReadiness } from './ar-invoice-readiness.js';
import { arReadiness } from './ar-readiness.js';
import { loadSiteTemplate } from '../adapters/sage/site-template.js';
import type { SagePort } from '../adapters/sage/sql-port.js';
import type { Ledger } from '../core/ports/ledger.js';
import type { StripeApi } from '../core/ports/stripe-api.js';
import type { SageTarget } from '../core/ports/sage-target.js';
import { StripeHttpApi } from '../adapters/stripe/stripe-http-api.js';
import { openSage } from './open-sage.js';
import { SageWhenNeeded } from './sage-when-needed.js';
import { ensureCompanyExists, ensureSandboxExists, ensureWritableDataDir } from './runtime-preconditions.js';
import { sageCompanyOver, type SageCompany } from './sage-company.js';
import { PRODUCT_RELEASE } from './product-release.js';

/**
 * The composition root: wires the engine to its adapters from a config. The CLI, the tray
 * app's engine process and the tests all open the product through here, so they run the
 * same code.
 */
export interface Runtime {
  config: SyncConfig;
  engine: SyncEngine;
  ledger: Ledger;
  /** The Sage company's chart and checks; the SQL port itself stays inside the runtime. */
  sageCompany: SageCompany;
  /** Sage's cross-reference (tciStripeXref_STRIPE) as the writer reads it, for the user actions that ask it (Accept Sage's journal). */
  sageCrossReference: Pick<SageTarget, 'findWritten'>;
  stripe: StripeApi;
  /** One read of Sage (the company row), to tell "Sage is out of reach" from other reasons a run failed. */
  reachSage(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  clock?: Clock;
  sqlPassword?: string;
  /** Wraps the Sage port (benchmarks count its round trips, fault suites inject failures). */
  wrapSage?: (port: SagePort) => SagePort;
  /** Opens the Sage port instead of the config's target (the bench's sandbox in a process of its own, as SQL Server is). */
  openSage?: () => Promise<SagePort>;
  /** Wraps the ledger (benchmarks time its calls). */
  wrapLedger?: (ledger: Ledger) => Ledger;
  /** Deadline of one Stripe request, body included (default 30 s); the fault suites shorten it. */
  stripeDeadlineMs?: number;
  /** Runs under the data-folder lock, before the ledger opens (the ledger rebuild sets a damaged file aside here). */
  beforeLedgerOpens?: (ledgerPath: string) => void;
  /**
   * Opens Sage (login, company check, single-writer lock) at the run's first Sage statement
   * instead of now (sage-when-needed.ts), once the ledger exists: a scheduled `sync --once` with
   * nothing to do never logs in. The first sync of a data folder opens Sage at once, so a wrong
   * company or server is refused before anything runs.
   */
  sageWhenNeeded?: boolean;
}

export const LEDGER_FILE_NAME = 'ledger.sqlite';
const LOCK_FILE_NAME = 'engine.lock';

export async function openRuntime(
  config: SyncConfig,
  env: NodeJS.ProcessEnv,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  ensureWritableDataDir(config.dataDir);
  const lock = acquireProcessLock(join(config.dataDir, LOCK_FILE_NAME), `the ledger in ${config.dataDir}`);
  try {
    return await openLocked(config, env, options, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openLocked(
  config: SyncConfig,
  env: NodeJS.ProcessEnv,
  options: RuntimeOptions,
  releaseLock: () => void,
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const stripe = new StripeHttpApi({ apiKey: resolveStripeKey(config, env), apiBase: config.stripe.apiBase, timeoutMs: options.stripeDeadlineMs ?? 30_000 });
  const openChecked = async (): Promise<SagePort> => {
    const opened = options.openSage ? await options.openSage() : await openSage(config, env, options.sqlPassword);
    const port = options.wrapSage ? options.wrapSage(opened) : opened;
    try {
      await ensureCompanyExists(port, config.companyId);
    } catch (error) {
      await port.close();
      throw error;
    }
    return port;
  };
  const ledgerPath = join(config.dataDir, LEDGER_FILE_NAME);
  let sage: SagePort;
  if (options.sageWhenNeeded && existsSync(ledgerPath)) {
    sage = new SageWhenNeeded(config.sage.kind === 'sandbox' ? 'sandbox' : 'sql-server', openChecked);
  } else {
    sage = await openChecked();
  }
  let appLock: { release(): Promise<void> };
  try {
    appLock = await sage.acquireAppLock(`StripeSync:${config.companyId}`);
  } catch (error) {
    await sage.close();
    throw error;
  }
  let sqliteLedger: SqliteLedger;
  try {
    options.beforeLedgerOpens?.(ledgerPath);
    sqliteLedger = new SqliteLedger(ledgerPath, { now: () => new Date(clock.now()).toISOString() });
  } catch (error) {
    await appLock.release();
    await sage.close();
    throw error;
  }
  const ledger: Ledger = options.wrapLedger ? options.wrapLedger(sqliteLedger) : sqliteLedger;
  ledger.mappings.saveMapping(config.mapping);
  // AR cash receipts only where the site proved its captured receipt (ar-readiness.ts).
  const readiness = arReadiness(config);
  const ar = readiness.cashReceipt.proved && readiness.template ? { template: readiness.template } : { template: null };
  const stripeSales = arInvoiceReadiness(config, readiness.cashReceipt);
  const writer = new SageWriter(sage, {
    companyId: config.companyId,
    userId: config.sageUserId,
    journalId: config.mapping.journalId,
    warehouseId: config.mapping.salesOrders.warehouseId,
    journalCodes: journalCodesFor(loadSiteTemplate(config.dataDir, config.companyId)).codes,
    receiptTemplate: ar.template,
    invoiceTemplate: stripeSales.proved ? stripeSales.template : null,
  });
  const engine = new SyncEngine({
    ledger,
    stripe,
    sage: writer,
    clock,
    stripeRequestsPerSecond: config.stripe.requestsPerSecond,
    arPayments:
      ar.template && readiness.cashReceipt.active
        ? {
            invoices: new SageOpenInvoices(sage, config.companyId, ar.template.application.table),
            confirmations: new ArConfirmationFile(config.dataDir),
            noCreditMemo: readiness.creditMemo.reason,
            invoicesForStripeSales: stripeSales.active,
          }
        : null,
    options: {
      backfillDays: config.sync.backfillDays,
      shadowMode: config.sync.shadowMode,
      writeBackMetadata: config.sync.writeBackMetadata,
      goLiveDate: config.sync.goLiveDate,
      historyFrom: config.sync.historyFrom,
      release: PRODUCT_RELEASE,
    },
  });
  return {
    config,
    engine,
    ledger,
    sageCompany: sageCompanyOver(sage, config.companyId),
    sageCrossReference: writer,
    stripe,
    async reachSage() {
      if (config.sage.kind === 'sandbox') ensureSandboxExists(config.sage.path);
      await ensureCompanyExists(sage, config.companyId);
    },
    async close() {
      ledger.close();
      await appLock.release();
      await sage.close();
      releaseLock();
    },
  };
}
