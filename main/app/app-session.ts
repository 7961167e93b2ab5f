import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventName, EventPayloads, StatusSnapshot } from '../../preload/contract.js';
import type { CredentialStore } from '../adapters/credentials/credential-store.js';
import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';
import { createSandbox } from '../simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../simulators/stripe/stripe-simulator.js';
import { DEFAULT_MAPPING } from '../core/mapping/default-mapping.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { EngineEvent } from '../core/engine/engine-events.js';
import { loadAppSettings, saveAppSettings, type AppSettings } from './app-settings.js';
import { LEDGER_FILE_NAME, openRuntime, type Runtime } from './open-runtime.js';
import { ProgressTracker } from './progress-tracker.js';
import { syncConfigFrom } from './runtime-config.js';
import { buildStatusSnapshot } from './status-snapshot.js';
import { DEFAULT_SAGE_COMPANY_ID } from '../core/defaults.js';

/**
 * The app service's state: settings, the open runtime (engine + ledger + Sage port), the
 * demo's Stripe simulator, and the event stream to the window. Status updates during a run
 * are coalesced so a fast backfill does not flood the window.
 */

const STATUS_INTERVAL_MS = 200;
/** Stripe's test-mode secret and restricted keys. */
const TEST_KEY = /^(sk|rk)_test_/;
const DEMO_SANDBOX_FILE = 'demo-sage-sandbox.sqlite';
const DEMO_HISTORY_DAYS = 21;

type Listener<E extends EventName> = (payload: EventPayloads[E]) => void;

export class AppSession {
  settings: AppSettings;
  runtime: Runtime | null = null;
  /** Whether the open runtime's Stripe key is a test-mode one (never the key itself). */
  private stripeTestKey = false;
  private simulator: StripeSimulator | null = null;
  private readonly progress = new ProgressTracker();
  private readonly listeners: { [E in EventName]: Set<Listener<E>> } = { status: new Set(), navigate: new Set() };
  private statusTimer: NodeJS.Timeout | null = null;
  private detachEngine: (() => void) | null = null;
  readonly recentErrors: { at: string; message: string }[] = [];

  constructor(
    readonly dataDir: string,
    readonly env: NodeJS.ProcessEnv,
    readonly credentials: CredentialStore,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.settings = loadAppSettings(dataDir);
  }

  updateSettings(change: Partial<AppSettings>): AppSettings {
    this.settings = { ...this.settings, ...change };
    saveAppSettings(this.dataDir, this.settings);
    return this.settings;
  }

  /** The saved mapping, read before the runtime opens so opening never replaces it. */
  savedMapping(): Mapping {
    if (this.runtime) return this.runtime.ledger.mappings.currentMapping()?.mapping ?? DEFAULT_MAPPING;
    const path = join(this.dataDir, LEDGER_FILE_NAME);
    if (!existsSync(path)) return DEFAULT_MAPPING;
    const ledger = new SqliteLedger(path);
    try {
      return ledger.mappings.currentMapping()?.mapping ?? DEFAULT_MAPPING;
    } finally {
      ledger.close();
    }
  }

  /** (Re)opens the runtime from the current settings, after any run in progress ends. */
  async reopen(): Promise<void> {
    await this.closeRuntime();
    if (!this.settings.configured) return;
    const mapping = this.savedMapping();
    if (this.settings.demo && !this.simulator) {
      this.simulator = await startStripeSimulator({ days: DEMO_HISTORY_DAYS });
    }
    const demoStripe = this.settings.demo && this.simulator ? { apiBase: this.simulator.apiBase, apiKey: this.simulator.apiKey } : null;
    const config = syncConfigFrom(this.settings, this.dataDir, mapping, demoStripe);
    const stripeKey = demoStripe ? undefined : ((await this.credentials.get('stripeApiKey')) ?? this.env.STRIPE_API_KEY);
    // The demo key comes from the config; a real key only from the credential store or environment.
    const env = { ...this.env, STRIPE_API_KEY: stripeKey };
    this.stripeTestKey = TEST_KEY.test(stripeKey?.trim() ?? '');
    const sqlPassword = (await this.credentials.get('sqlPassword')) ?? undefined;
    this.runtime = await openRuntime(config, env, sqlPassword === undefined ? {} : { sqlPassword });
    this.detachEngine = this.runtime.engine.subscribe((event) => this.onEngineEvent(event));
    this.emitStatus();
  }

  /** Starts the built-in Stripe simulator and a Sage sandbox in the data folder, then opens on them. */
  async startDemo(): Promise<void> {
    const sandboxPath = join(this.dataDir, DEMO_SANDBOX_FILE);
    if (!existsSync(sandboxPath)) createSandbox(sandboxPath);
    this.updateSettings({
      configured: true,
      demo: true,
      profile: 'demo',
      profiles: [...new Set([...this.settings.profiles, 'demo'])],
      // The demo writes for real, into its own practice Sage sandbox.
      shadowMode: false,
      sage: { kind: 'sandbox', sandboxPath, server: null, database: null, user: null, companyId: DEFAULT_SAGE_COMPANY_ID },
    });
    await this.reopen();
  }

  /** Starts a run in the background; the window follows it through status events. */
  startRun(): boolean {
    if (!this.runtime || this.settings.paused) return false;
    const alreadyRunning = this.runtime.engine.running;
    void this.runtime.engine.runOnce().catch((error: unknown) => this.rememberError(error));
    return !alreadyRunning;
  }

  private rememberError(error: unknown): void {
    this.recentErrors.push({ at: new Date().toISOString(), message: error instanceof Error ? error.message : String(error) });
    this.recentErrors.splice(0, Math.max(0, this.recentErrors.length - 20));
  }

  private onEngineEvent(event: EngineEvent): void {
    if (event.type === 'progress') this.progress.update(event.progress);
    if (event.type === 'run-started') this.progress.clear();
    if (event.type === 'document-failed' || event.type === 'warning') this.rememberError(new Error(event.message));
    if (event.type === 'run-finished') {
      this.progress.clear();
      // The engine counts as running until its run promise settles, just after this event:
      // a status sent now would say "syncing" with no later update to correct it.
      setImmediate(() => this.emitStatus());
      return;
    }
    this.scheduleStatus();
  }

  private scheduleStatus(): void {
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.emitStatus();
    }, STATUS_INTERVAL_MS);
  }

  /**
   * "Now" for the business: the wall clock, except in the demo, whose Stripe history ends at
   * the simulator's own date; the dashboard's "today" then shows the demo's real activity.
   */
  businessNowMs(): number {
    return this.settings.demo && this.simulator ? this.simulator.now() * 1000 : Date.now();
  }

  snapshot(): StatusSnapshot {
    const runtime = this.runtime;
    return buildStatusSnapshot({
      settings: this.settings,
      ledger: runtime?.ledger ?? null,
      mapping: runtime?.ledger.mappings.currentMapping()?.mapping ?? null,
      lastRun: runtime?.ledger.runs.lastRun() ?? null,
      running: runtime?.engine.running ?? false,
      progress: this.progress.current,
      nowMs: this.businessNowMs(),
      stripeTestKey: this.stripeTestKey,
    });
  }

  emitStatus(): void {
    const snapshot = this.snapshot();
    for (const listener of this.listeners.status) listener(snapshot);
  }

  onEvent<E extends EventName>(name: E, listener: Listener<E>): () => void {
    const set = this.listeners[name] as Set<Listener<E>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  private async closeRuntime(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    // Let a run in progress finish: closing the ledger under it would lose its bookkeeping.
    while (runtime.engine.running) await runtime.engine.runOnce().catch(() => undefined);
    this.detachEngine?.();
    this.detachEngine = null;
    this.runtime = null;
    await runtime.close();
  }

  async close(): Promise<void> {
    if (this.statusTimer) clearTimeout(this.statusTimer);
    await this.closeRuntime();
    await this.simulator?.close();
    this.simulator = null;
  }
}
