import { join } from 'node:path';
import type { SyncConfig } from '../adapters/config/config-file.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { AppSettings } from './app-settings.js';
import { DEFAULT_SAGE_COMPANY_ID, DEFAULT_STRIPE_REQUESTS_PER_SECOND } from '../core/defaults.js';

/** The engine config the window's settings describe. */

export interface DemoStripe {
  apiBase: string;
  apiKey: string;
}

const LIVE_BACKFILL_DAYS = 90;

export function syncConfigFrom(settings: AppSettings, dataDir: string, mapping: Mapping, demo: DemoStripe | null): SyncConfig {
  const sage: SyncConfig['sage'] =
    settings.sage.kind === 'sandbox'
      ? { kind: 'sandbox', path: settings.sage.sandboxPath ?? join(dataDir, 'sage-sandbox.sqlite') }
      : {
          kind: 'mssql',
          server: settings.sage.server ?? '',
          database: settings.sage.database ?? '',
          user: settings.sage.user ?? '',
          ...(settings.sage.port === null ? {} : { port: settings.sage.port }),
          ...(settings.sage.authentication === 'windows' && settings.sage.domain !== null ? { domain: settings.sage.domain } : {}),
          encrypt: settings.sage.encrypt,
          trustServerCertificate: settings.sage.trustServerCertificate,
        };
  return {
    dataDir,
    stripe: demo
      ? { apiBase: demo.apiBase, apiKey: demo.apiKey, requestsPerSecond: null }
      : { apiBase: settings.stripe.apiBase, requestsPerSecond: DEFAULT_STRIPE_REQUESTS_PER_SECOND },
    sage,
    companyId: settings.sage.companyId ?? DEFAULT_SAGE_COMPANY_ID,
    sageUserId: 'stripe',
    mapping,
    schedule: { pollIntervalMinutes: settings.schedule.pollIntervalMinutes, quietHours: settings.schedule.quietHours },
    sync: {
      backfillDays: LIVE_BACKFILL_DAYS,
      shadowMode: settings.shadowMode,
      writeBackMetadata: true,
      goLiveDate: demo ? null : settings.goLiveDate,
      historyFrom: demo ? null : settings.historyFrom,
    },
  };
}
