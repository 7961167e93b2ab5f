import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { mappingSchema, validateMapping, type Mapping } from '../../core/mapping/mapping.js';
import { DEFAULT_MAPPING } from '../../core/mapping/default-mapping.js';
import { applyMappingOverrides } from '../../core/mapping/mapping-overrides.js';
import { schemaProblems } from '../../core/validation/schema-problems.js';
import { DEFAULT_POLL_INTERVAL_MINUTES, DEFAULT_SAGE_COMPANY_ID, DEFAULT_STRIPE_REQUESTS_PER_SECOND } from '../../core/defaults.js';
import { isBusinessDate } from '../../core/time/business-date.js';

/**
 * The JSON config file of headless runs (`s5sync sync --config FILE`). Relative paths are
 * resolved against the file's folder. A Stripe test key may sit in the file for local and
 * sandbox runs; a live key never may: it belongs in the OS credential store or the
 * STRIPE_API_KEY environment variable. The SQL password is never read from the file.
 *
 * Every object in the file is strict: a misspelt key (`"shadowmode"`) is refused with the key
 * it most likely meant, because silently dropping it would run with the opposite setting.
 */

const businessDateText = z.string().refine(isBusinessDate, 'use a date written YYYY-MM-DD');

const sandboxTarget = z.strictObject({ kind: z.literal('sandbox'), path: z.string().min(1) });
const mssqlTarget = z.strictObject({
  kind: z.literal('mssql'),
  server: z.string().min(1),
  port: z.number().int().positive().optional(),
  database: z.string().min(1),
  user: z.string().min(1),
  /** Windows authentication (NTLM): the domain of `user`, whose password is the SQL password secret. */
  domain: z.string().min(1).optional(),
  encrypt: z.boolean().default(true),
  trustServerCertificate: z.boolean().default(false),
});

export const configSchema = z
  .strictObject({
    dataDir: z.string().min(1),
    stripe: z
      .strictObject({
        apiBase: z.string().url().default('https://api.stripe.com'),
        /** Trimmed first, so a pasted leading space cannot hide a live key from the check below. */
        apiKey: z.string().trim().min(1).optional(),
        requestsPerSecond: z.number().positive().nullable().default(DEFAULT_STRIPE_REQUESTS_PER_SECOND),
      })
      .default({ apiBase: 'https://api.stripe.com', requestsPerSecond: DEFAULT_STRIPE_REQUESTS_PER_SECOND }),
    sage: z.discriminatedUnion('kind', [sandboxTarget, mssqlTarget]),
    companyId: z.string().min(1).max(3).default(DEFAULT_SAGE_COMPANY_ID),
    sageUserId: z.string().min(1).max(30).default('stripe'),
    mapping: z.record(z.string(), z.unknown()).optional(),
    schedule: z
      .strictObject({
        pollIntervalMinutes: z.number().int().min(1).max(1440).default(5),
        quietHours: z
          .strictObject({ from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) })
          .nullable()
          .default(null),
      })
      .default({ pollIntervalMinutes: DEFAULT_POLL_INTERVAL_MINUTES, quietHours: null }),
    sync: z
      .strictObject({
        backfillDays: z.union([z.number().int().positive(), z.literal('all')]).default(90),
        shadowMode: z.boolean().default(false),
        writeBackMetadata: z.boolean().default(true),
        /** Money documents dated before this business date are never written (core/engine/go-live.ts). */
        goLiveDate: businessDateText.nullable().default(null),
        /** First-run history from this date instead of backfillDays back. */
        historyFrom: businessDateText.nullable().default(null),
      })
      .default({ backfillDays: 90, shadowMode: false, writeBackMetadata: true, goLiveDate: null, historyFrom: null }),
  });

export type SyncConfig = Omit<z.infer<typeof configSchema>, 'mapping'> & { mapping: Mapping };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Anywhere in the value, not only at the start: whitespace or quotes around a key must not hide it. */
const LIVE_KEY = /(sk|rk)_live_/;

export function loadConfigFile(path: string): SyncConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`cannot read the config file ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseConfig(json, dirname(resolve(path)));
}

export function parseConfig(json: unknown, baseDir: string): SyncConfig {
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const problems = schemaProblems(configSchema, json, parsed.error.issues, '(top level)');
    throw new ConfigError(`the config has problems:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
  }
  const config = parsed.data;
  if (config.stripe.apiKey && LIVE_KEY.test(config.stripe.apiKey)) {
    throw new ConfigError(
      'the config file holds a live Stripe key; live keys must not be stored in files. Remove it from the file and save it in the app (Settings → Stripe key, kept in Windows Credential Manager) or set the STRIPE_API_KEY environment variable for headless runs',
    );
  }
  const mapping = validateMapping(applyMappingOverrides(DEFAULT_MAPPING, config.mapping));
  if (!mapping.ok) {
    throw new ConfigError(`the mapping has problems:\n${mapping.problems.map((p) => `  - mapping.${p.path}: ${p.message}`).join('\n')}`);
  }
  return {
    ...config,
    dataDir: resolve(baseDir, config.dataDir),
    sage: config.sage.kind === 'sandbox' ? { ...config.sage, path: resolve(baseDir, config.sage.path) } : config.sage,
    mapping: mappingSchema.parse(mapping.mapping),
  };
}

/** The Stripe key: environment first (headless and services), then a test key from the file. */
export function resolveStripeKey(config: SyncConfig, env: NodeJS.ProcessEnv): string {
  const key = env.STRIPE_API_KEY?.trim() || config.stripe.apiKey;
  if (!key) {
    throw new ConfigError('no Stripe key: set STRIPE_API_KEY, or for a local test run put a test key (sk_test_… or rk_test_…) in stripe.apiKey');
  }
  return key;
}
