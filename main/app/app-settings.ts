import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_POLL_INTERVAL_MINUTES, DEFAULT_SAGE_COMPANY_ID } from '../core/defaults.js';
import { setupSteps } from '../../preload/contract.js';

/**
 * The window's settings of one profile, kept as JSON in the profile's data folder
 * (profile-registry.ts). Secrets are not here: they live in the credential store, and the
 * window only learns whether each one is set. Files from before profiles carried `profile` and
 * `profiles` fields; the registry reads them once and the schema drops them.
 */

export const appSettingsSchema = z.object({
  configured: z.boolean(),
  /** True when the app runs on the built-in Stripe simulator and Sage sandbox. */
  demo: z.boolean(),
  stripe: z.object({ apiBase: z.string() }),
  sage: z.object({
    kind: z.enum(['sandbox', 'mssql']),
    sandboxPath: z.string().nullable(),
    server: z.string().nullable(),
    database: z.string().nullable(),
    user: z.string().nullable(),
    companyId: z.string().nullable(),
    // Defaults keep settings files from before the tested wizard valid.
    port: z.number().int().nullable().default(null),
    authentication: z.enum(['sql', 'windows']).default('sql'),
    /** Windows authentication: the account's domain (NTLM through tedious). */
    domain: z.string().nullable().default(null),
    encrypt: z.boolean().default(true),
    /** Office SQL Servers often have a self-signed certificate; the user opts in to trusting it. */
    trustServerCertificate: z.boolean().default(false),
  }),
  schedule: z.object({
    pollIntervalMinutes: z.number().int(),
    quietHours: z.object({ from: z.string(), to: z.string() }).nullable(),
  }),
  paused: z.boolean(),
  shadowMode: z.boolean(),
  /** YYYY-MM-DD: Stripe activity dated before it is never written (the cutover). Defaults keep older settings files valid. */
  goLiveDate: z.string().nullable().default(null),
  /** YYYY-MM-DD: the first run reads history from this date; null means the last 90 days. */
  historyFrom: z.string().nullable().default(null),
  /** How each setup step was settled: tested, or saved untested by the user's explicit choice. */
  setupChecks: z.partialRecord(z.enum(setupSteps), z.object({ result: z.enum(['passed', 'untested']), at: z.string() })).default({}),
  startAtLogin: z.boolean(),
  notifications: z.boolean(),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']),
});

export type AppSettings = z.infer<typeof appSettingsSchema>;

export const DEFAULT_APP_SETTINGS: AppSettings = {
  configured: false,
  demo: false,
  stripe: { apiBase: 'https://api.stripe.com' },
  sage: {
    kind: 'mssql',
    sandboxPath: null,
    server: null,
    database: null,
    user: null,
    companyId: DEFAULT_SAGE_COMPANY_ID,
    port: null,
    authentication: 'sql',
    domain: null,
    encrypt: true,
    trustServerCertificate: false,
  },
  schedule: { pollIntervalMinutes: DEFAULT_POLL_INTERVAL_MINUTES, quietHours: null },
  paused: false,
  // A new install starts in shadow mode: nothing is written to Sage until the bookkeeper says so.
  shadowMode: true,
  goLiveDate: null,
  historyFrom: null,
  setupChecks: {},
  startAtLogin: true,
  notifications: true,
  logLevel: 'info',
};

const SETTINGS_FILE_NAME = 'settings.json';

export function loadAppSettings(dataDir: string): AppSettings {
  const path = join(dataDir, SETTINGS_FILE_NAME);
  if (!existsSync(path)) return DEFAULT_APP_SETTINGS;
  const parsed = appSettingsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  return parsed.success ? parsed.data : DEFAULT_APP_SETTINGS;
}

/** Writes through a temporary file so a crash never leaves half a settings file. */
export function saveAppSettings(dataDir: string, settings: AppSettings): void {
  const path = join(dataDir, SETTINGS_FILE_NAME);
  writeFileSync(`${path}.tmp`, JSON.stringify(settings, null, 2));
  renameSync(`${path}.tmp`, path);
}
