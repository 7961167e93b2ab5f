import { systemClock } from '../core/ports/clock.js';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionProblemView, EventName, EventPayloads, StatusSnapshot } from '../../preload/contract.js';
import type { CredentialStore } from '../adapters/credentials/credential-store.js';
import { createSandbox } from '../simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator } from '../simulators/stripe/stripe-simulator.js';
import { DEFAULT_MAPPING } from '../core/mapping/default-mapping.js';
import type { Mapping } from '../core/mapping/mapping.js';
import type { EngineEvent } from '../core/engine/engine-events.js';
import { DEFAULT_APP_SETTINGS, loadAppSettings, saveAppSettings, type AppSettings } from './app-settings.js';
import { ProfileRegistry, type ProfileKind } from './profile-registry.js';
import { deleteProfileSecrets, profileCredentials } from './profile-credentials.js';
import { profileKeyRefusal, profileLabel } from './profile-key-guard.js';
import { stripeKeyModeOf, type StripeKeyMode } from './stripe-api-base.js';
import { LEDGER_FILE_NAME, openRuntime, type Runtime, type RuntimeOptions } from './open-runtime.js';
import { ProgressTracker } from './progress-tracker.js';
import { savedMappingIn } from './saved-mapping.js';
import { syncConfigFrom } from './runtime-config.js';
import { buildStatusSnapshot } from './status-snapshot.js';
import type { SetupOutcome } from './setup-wizard.js';
import { RECONNECT_DELAYS_MS, reconnectDelay, sageProblem, stripeProblem } from './connection-problem.js';
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
/** Where the demo's ledgers go when the user leaves the demo for a real setup. */
export const DEMO_LEDGERS_FOLDER = 'demo-ledgers';

type Listener<E extends EventName> = (payload: EventPayloads[E]) => void;

export class AppSession {
  /** The active profile's settings. */
  settings: AppSettings;
  readonly profiles: ProfileRegistry;
  runtime: Runtime | null = null;
  /** Whether the open runtime's Stripe key is a test-mode one (never the key itself). */
  private stripeTestKey = false;
  /** The mode of the Stripe key the runtime last opened with, for the profile's label; null before. */
  private stripeKeyMode: StripeKeyMode | null = null;
  private simulator: StripeSimulator | null = null;
  private readonly progress = new ProgressTracker();
  private readonly listeners: { [E in EventName]: Set<Listener<E>> } = { status: new Set(), navigate: new Set() };
  private statusTimer: NodeJS.Timeout | null = null;
  private detachEngine: (() => void) | null = null;
  /** Why the saved setup is not connected (offline or cannot start); null when connected or not set up. */
  connection: ConnectionProblemView | null = null;
  private lastProblemSince: string | null = null;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** A run has failed and Sage and Stripe are being asked whether that is an outage; the status says "syncing" till they answer. */
  private judgingFailedRun = false;
  readonly recentErrors: { at: string; message: string }[] = [];

  /** `rootDir`: the app's data folder, holding the profile list; `allCredentials`: the whole store, every profile's secrets. */
  constructor(
    readonly rootDir: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly allCredentials: CredentialStore,
    private readonly reconnectDelays: readonly number[] = RECONNECT_DELAYS_MS,
    /** Passed to every runtime the session opens (the outage tests wrap the Sage port with a switchable fault, the UI tests give the simulator's clock). */
    private readonly runtimeOptions: Pick<RuntimeOptions, 'wrapSage' | 'clock'> = {},
  ) {
    mkdirSync(rootDir, { recursive: true });
    this.profiles = ProfileRegistry.load(rootDir);
    this.settings = loadAppSettings(this.dataDir);
  }

  /** The active profile's data folder: its settings, ledger and site files. */
  get dataDir(): string {
    return this.profiles.folderOf(this.profiles.active().id);
  }

  /** The active profile's secrets (its own Stripe key and SQL password). */
  get credentials(): CredentialStore {
    return profileCredentials(this.allCredentials, this.profiles.active().id);
  }

  updateSettings(change: Partial<AppSettings>): AppSettings {
    this.settings = { ...this.settings, ...change };
    saveAppSettings(this.dataDir, this.settings);
    return this.settings;
  }

  /** The saved mapping, read before the runtime opens so opening never replaces it. */
  savedMapping(): Mapping {
    if (this.runtime) return this.runtime.ledger.mappings.currentMapping()?.mapping ?? DEFAULT_MAPPING;
    return savedMappingIn(this.dataDir);
  }

  /**
   * (Re)opens the runtime from the current settings, after any run in progress ends. It never
   * throws: when Sage or Stripe cannot be reached the session goes offline and tries again on
   * its own; when the setup itself is wrong it says what to fix. The window stays usable either way.
   */
  async reopen(mapping?: Mapping): Promise<void> {
    this.cancelReconnect();
    await this.closeRuntime();
    const wasDisconnected = this.connection !== null;
    this.connection = null;
    if (!this.settings.configured) {
      this.emitStatus();
      return;
    }
    try {
      await this.openRuntime(mapping);
    } catch (error) {
      this.disconnected(sageProblem(error, this.settings, this.now(), this.nextAttempt()));
      return;
    }
    if (await this.stripeUnavailable()) return;
    this.connected(wasDisconnected);
  }

  /** Tries again now (the window's "Try again", or the backoff timer). */
  async reconnect(): Promise<boolean> {
    if (!this.connection) return this.runtime !== null;
    if (this.runtime && this.connection.kind === 'stripe-unreachable') {
      this.cancelReconnect();
      if (await this.stripeUnavailable()) return false;
      this.connected(true);
      return true;
    }
    await this.reopen();
    return this.connection === null && this.runtime !== null;
  }

  private async openRuntime(mapping: Mapping | undefined): Promise<void> {
    const openingMapping = mapping ?? this.savedMapping();
    if (this.settings.demo && !this.simulator) {
      this.simulator = await startStripeSimulator({ days: DEMO_HISTORY_DAYS });
    }
    const demoStripe = this.settings.demo && this.simulator ? { apiBase: this.simulator.apiBase, apiKey: this.simulator.apiKey } : null;
    const config = syncConfigFrom(this.settings, this.dataDir, openingMapping, demoStripe);
    const stripeKey = demoStripe ? undefined : ((await this.credentials.get('stripeApiKey')) ?? this.env.STRIPE_API_KEY);
    // The demo key comes from the config; a real key only from the credential store or environment.
    const env = { ...this.env, STRIPE_API_KEY: stripeKey };
    this.stripeTestKey = TEST_KEY.test(stripeKey?.trim() ?? '');
    this.stripeKeyMode = demoStripe ? 'test' : stripeKey ? stripeKeyModeOf(stripeKey) : null;
    const refusal = profileKeyRefusal(this.profiles.active(), this.stripeKeyMode);
    if (refusal !== null) throw new Error(refusal);
    const sqlPassword = (await this.credentials.get('sqlPassword')) ?? undefined;
    this.runtime = await openRuntime(config, env, sqlPassword === undefined ? this.runtimeOptions : { ...this.runtimeOptions, sqlPassword });
    this.detachEngine = this.runtime.engine.subscribe((event) => this.onEngineEvent(event));
  }

  /** One request to Stripe at start, so "Stripe cannot be reached" shows at once, not after a failed run. */
  private async stripeUnavailable(): Promise<boolean> {
    const error = await this.runtime!.stripe.account().then(
      () => null,
      (failure: unknown) => failure,
    );
    const problem = error === null ? null : stripeProblem(error, this.now(), this.nextAttempt());
    if (!problem) return false;
    this.disconnected(problem);
    return true;
  }

  private now(): Date {
    return new Date();
  }

  /** When the next automatic try will be (none for a problem only a fix can solve, decided by the caller). */
  private nextAttempt(): Date {
    return new Date(Date.now() + reconnectDelay(this.reconnectAttempt, this.reconnectDelays));
  }

  private disconnected(problem: ConnectionProblemView): void {
    // The first moment of an outage is kept across retries, so the window can say "since 8:02".
    this.connection = { ...problem, since: this.lastProblemSince ?? problem.since };
    this.lastProblemSince = this.connection.since;
    this.rememberError(new Error(`${problem.title}: ${problem.reason}`));
    if (problem.nextAttemptAt !== null) {
      const delay = reconnectDelay(this.reconnectAttempt, this.reconnectDelays);
      this.reconnectAttempt += 1;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        void this.reconnect();
      }, delay);
      this.reconnectTimer.unref();
    }
    this.emitStatus();
  }

  private connected(afterOutage: boolean): void {
    this.connection = null;
    this.lastProblemSince = null;
    this.reconnectAttempt = 0;
    // The runs missed while offline happen now rather than at the next scheduled time. Started
    // before the status goes out, so the first status after an outage says "syncing", not the
    // failed run of the outage as something needing attention.
    if (afterOutage) this.startRun();
    this.emitStatus();
  }

  /**
   * A run failed: when Sage or Stripe is what failed it (the VPN dropped, the SQL Server went
   * down for the night, the internet is out), that is the offline state, with its banner,
   * notification and retries, exactly as when it is out of reach at start; the retry that
   * succeeds runs the sync again. Asked of Sage and Stripe directly, one request each, so the
   * cause is what they answer now, not a guess from the run's message.
   */
  private async checkConnectionsAfterFailedRun(runtime: Runtime): Promise<void> {
    // After the run's promise has settled, so the status sent at the end no longer says "syncing".
    await new Promise((resolve) => setImmediate(resolve));
    const failure = (attempt: Promise<unknown>): Promise<unknown> => attempt.then(() => null, (error: unknown) => error ?? new Error('failed'));
    const sageError = await failure(runtime.reachSage());
    if (this.runtime !== runtime || this.connection) return;
    const sage = sageError === null ? null : sageProblem(sageError, this.settings, this.now(), this.nextAttempt());
    if (sage?.kind === 'sage-unreachable') return this.disconnected(sage);
    const stripeError = await failure(runtime.stripe.account());
    if (this.runtime !== runtime || this.connection) return;
    const stripe = stripeError === null ? null : stripeProblem(stripeError, this.now(), this.nextAttempt());
    if (stripe?.kind === 'stripe-unreachable') this.disconnected(stripe);
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  /**
   * Applies a finished setup wizard. Leaving the demo keeps the demo's ledger (moved into a
   * folder of its own, never deleted) and starts the real setup on a fresh one, so simulated
   * records never mix with real ones; the mapping, schedule and preferences carry over.
   */
  async applySetup(outcome: SetupOutcome): Promise<void> {
    await this.closeRuntime();
    if (this.settings.demo) {
      this.setDemoLedgerAside();
      await this.simulator?.close();
      this.simulator = null;
    }
    // A profile from before the test/live mark takes the mode of the key it was set up with.
    if (outcome.keyMode !== null) this.profiles.markIfUnmarked(this.profiles.active().id, outcome.keyMode);
    this.updateSettings(outcome.settings);
    await this.reopen(outcome.mapping);
  }

  private setDemoLedgerAside(): void {
    const folder = join(this.dataDir, DEMO_LEDGERS_FOLDER);
    mkdirSync(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (const suffix of ['', '-wal', '-shm']) {
      const file = join(this.dataDir, LEDGER_FILE_NAME + suffix);
      if (existsSync(file)) renameSync(file, join(folder, `demo-ledger-${stamp}.sqlite${suffix}`));
    }
  }

  /** Starts the built-in Stripe simulator and a Sage sandbox in the data folder, then opens on them. */
  async startDemo(): Promise<void> {
    const sandboxPath = join(this.dataDir, DEMO_SANDBOX_FILE);
    if (!existsSync(sandboxPath)) createSandbox(sandboxPath);
    this.updateSettings({
      configured: true,
      demo: true,
      // The demo writes for real, into its own practice Sage sandbox.
      shadowMode: false,
      sage: { ...DEFAULT_APP_SETTINGS.sage, kind: 'sandbox', sandboxPath, companyId: DEFAULT_SAGE_COMPANY_ID },
    });
    await this.reopen();
  }

  /**
   * Switches to another profile: any run in progress finishes, the engine closes on this
   * profile's ledger, and opens on the other's with its own settings and secrets. The offline
   * state and recent errors belong to the profile they happened in, so they are cleared.
   */
  async switchProfile(id: string): Promise<void> {
    this.profiles.require(id);
    this.cancelReconnect();
    await this.closeRuntime();
    await this.simulator?.close();
    this.simulator = null;
    this.profiles.setActive(id);
    this.settings = loadAppSettings(this.dataDir);
    this.connection = null;
    this.lastProblemSince = null;
    this.reconnectAttempt = 0;
    this.stripeTestKey = false;
    this.stripeKeyMode = null;
    this.progress.clear();
    this.recentErrors.length = 0;
    await this.reopen();
  }

  /** A new profile with its own folder, carrying over the app-wide preferences, made the active one (unconfigured: the window runs the wizard). */
  async addProfile(name: string, kind: ProfileKind): Promise<void> {
    const profile = this.profiles.add(name, kind);
    const { startAtLogin, notifications, logLevel } = this.settings;
    saveAppSettings(this.profiles.folderOf(profile.id), { ...DEFAULT_APP_SETTINGS, startAtLogin, notifications, logLevel });
    await this.switchProfile(profile.id);
  }

  /** Takes a profile off the list and removes its secrets; its folder (ledger, settings) stays on disk. */
  async deleteProfile(id: string): Promise<void> {
    this.profiles.remove(id);
    await deleteProfileSecrets(this.allCredentials, id);
  }

  /** Another profile's secrets, to show whether its key is set (never its value). */
  credentialsOf(id: string): CredentialStore {
    return profileCredentials(this.allCredentials, id);
  }

  /** Starts a run in the background; the window follows it through status events. */
  startRun(): boolean {
    // Offline: the run would only fail; the reconnect starts one when Sage and Stripe answer again.
    if (!this.runtime || this.settings.paused || this.connection) return false;
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
      const runtime = this.runtime;
      if (event.summary.outcome === 'failed' && runtime && !this.connection) {
        // The status waits for the answer: a failed run first shown as "needs attention"
        // would be announced as such beside the offline notice. Until then every status,
        // a timed one from the run's last events included, still says "syncing".
        this.judgingFailedRun = true;
        void this.checkConnectionsAfterFailedRun(runtime).finally(() => {
          this.judgingFailedRun = false;
          this.emitStatus();
        });
        return;
      }
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
   * "Now" for the business: the engine's clock, so the dashboard judges "past its arrival
   * date" and "today" by the same time the runs record (the wall clock unless one was given);
   * in the demo, the simulator's own date, where its Stripe history ends.
   */
  businessNowMs(): number {
    if (this.settings.demo && this.simulator) return this.simulator.now() * 1000;
    return (this.runtimeOptions.clock ?? systemClock).now();
  }

  snapshot(): StatusSnapshot {
    const runtime = this.runtime;
    return buildStatusSnapshot({
      settings: this.settings,
      ledger: runtime?.ledger ?? null,
      mapping: runtime?.ledger.mappings.currentMapping()?.mapping ?? null,
      lastRun: runtime?.ledger.runs.lastRun() ?? null,
      running: (runtime?.engine.running ?? false) || this.judgingFailedRun,
      progress: this.progress.current,
      nowMs: this.businessNowMs(),
      stripeTestKey: this.stripeTestKey,
      connection: this.connection,
      activeProfile: this.activeProfileView(),
    });
  }

  private activeProfileView(): StatusSnapshot['activeProfile'] {
    const active = this.profiles.active();
    return { id: active.id, name: active.name, label: profileLabel(active, this.settings.demo, this.stripeKeyMode) };
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
    this.cancelReconnect();
    await this.closeRuntime();
    await this.simulator?.close();
    this.simulator = null;
  }
}
