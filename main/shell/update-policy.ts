/**
 * Auto-update policy (electron-updater against GitHub Releases, electron-builder.yml `publish`):
 * check when the app starts and once a day after, download in the background, and install when
 * the user restarts (or quits). Electron-free: main.ts hands in electron-updater's autoUpdater
 * and the timers; test/shell/update-policy.test.ts drives it with fakes.
 */

/** A day between checks; the tick is hourly so a PC that slept through the time still checks soon after waking. */
export const UPDATE_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
export const UPDATE_TICK_MS = 60 * 60 * 1000;

/** Set machine-wide (e.g. by Group Policy) on PCs whose IT department deploys updates itself. */
export const DISABLE_UPDATES_VARIABLE = 'S5SYNC_DISABLE_AUTO_UPDATE';

export type UpdatePhase = 'disabled' | 'idle' | 'checking' | 'downloading' | 'ready' | 'failed';

export interface UpdateState {
  phase: UpdatePhase;
  /** The version being downloaded or ready to install. */
  version: string | null;
  /** When the last check started (ms). */
  checkedAt: number | null;
  /** Why updates are off, or why the last check failed, in words. */
  detail: string | null;
}

/** Why this copy of the app must not update itself, or null when it may. */
export function updatesDisabledReason(options: { isPackaged: boolean; env: NodeJS.ProcessEnv }): string | null {
  if (!options.isPackaged) return 'Updates are checked only by the installed app.';
  if (/^(1|true|yes|on)$/i.test(options.env[DISABLE_UPDATES_VARIABLE]?.trim() ?? '')) {
    return `Automatic updates are turned off on this PC by its administrator (${DISABLE_UPDATES_VARIABLE}).`;
  }
  return null;
}

export type UpdateEvent =
  | { type: 'check-started'; at: number }
  | { type: 'update-available'; version: string }
  | { type: 'update-not-available' }
  | { type: 'update-downloaded'; version: string }
  | { type: 'error'; message: string };

export function nextUpdateState(state: UpdateState, event: UpdateEvent): UpdateState {
  if (state.phase === 'disabled') return state;
  switch (event.type) {
    case 'check-started':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'checking', checkedAt: event.at, detail: null };
    case 'update-available':
      return { ...state, phase: 'downloading', version: event.version, detail: null };
    case 'update-not-available':
      return { ...state, phase: state.phase === 'ready' ? 'ready' : 'idle', detail: null };
    case 'update-downloaded':
      return { ...state, phase: 'ready', version: event.version, detail: null };
    case 'error':
      // A download already finished stays installable; anything else waits for the next check.
      return state.phase === 'ready' ? state : { ...state, phase: 'failed', detail: event.message };
  }
}

/** Whether a check is due: never while one runs, after a day since the last, and not once an update waits. */
export function checkDue(state: UpdateState, now: number): boolean {
  if (state.phase === 'disabled' || state.phase === 'checking' || state.phase === 'downloading' || state.phase === 'ready') return false;
  return state.checkedAt === null || now - state.checkedAt >= UPDATE_CHECK_INTERVAL_MS;
}

/** What electron-updater's autoUpdater offers that the policy uses. */
export interface Updater {
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'update-not-available', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateControllerDeps {
  updater: Updater;
  disabledReason: string | null;
  now: () => number;
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
  /** Every change (the window's "Restart to update" and the tray follow it). */
  onChange: (state: UpdateState) => void;
  /** Once per downloaded version: tell the user a restart installs it. */
  onReady: (version: string) => void;
}

export class UpdateController {
  #state: UpdateState;
  #timer: unknown = null;
  #announced: string | null = null;

  constructor(private readonly deps: UpdateControllerDeps) {
    this.#state = deps.disabledReason
      ? { phase: 'disabled', version: null, checkedAt: null, detail: deps.disabledReason }
      : { phase: 'idle', version: null, checkedAt: null, detail: null };
  }

  get state(): UpdateState {
    return this.#state;
  }

  /** Listens to the updater, checks now, then looks every hour whether a daily check is due. */
  start(): void {
    if (this.#state.phase === 'disabled') return;
    const { updater } = this.deps;
    updater.on('update-available', (info) => this.#apply({ type: 'update-available', version: info.version }));
    updater.on('update-not-available', () => this.#apply({ type: 'update-not-available' }));
    updater.on('update-downloaded', (info) => this.#apply({ type: 'update-downloaded', version: info.version }));
    updater.on('error', (error) => this.#apply({ type: 'error', message: error.message }));
    this.#checkIfDue();
    this.#timer = this.deps.setInterval(() => this.#checkIfDue(), UPDATE_TICK_MS);
  }

  stop(): void {
    if (this.#timer !== null) this.deps.clearInterval(this.#timer);
    this.#timer = null;
  }

  /** The user's "Restart to update": installs the downloaded version; false when none is ready. */
  restartToUpdate(): boolean {
    if (this.#state.phase !== 'ready') return false;
    this.deps.updater.quitAndInstall();
    return true;
  }

  #checkIfDue(): void {
    if (!checkDue(this.#state, this.deps.now())) return;
    this.#apply({ type: 'check-started', at: this.deps.now() });
    // Failures also arrive as 'error' events; the rejection only must not go unhandled.
    this.deps.updater.checkForUpdates().catch((error: unknown) => this.#apply({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
  }

  #apply(event: UpdateEvent): void {
    this.#state = nextUpdateState(this.#state, event);
    this.deps.onChange(this.#state);
    if (this.#state.phase === 'ready' && this.#state.version !== null && this.#announced !== this.#state.version) {
      this.#announced = this.#state.version;
      this.deps.onReady(this.#state.version);
    }
  }
}
