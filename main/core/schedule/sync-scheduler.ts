import { DEFAULT_POLL_INTERVAL_MINUTES } from '../defaults.js';
import { isWithinQuietHours, type QuietHours } from './quiet-hours.js';

/** The engine's state as the scheduler sees it (the tray shows the same states). */
export type EngineState = 'idle' | 'syncing' | 'attention' | 'paused' | 'offline';

/** Why a run is being considered: the poll tick, the user, waking from sleep, the network returning. */
export type SyncTrigger = 'schedule' | 'manual' | 'resume' | 'network-return';

export interface ScheduleSettings {
  pollIntervalMinutes: number;
  quietHours: QuietHours | null;
}

export interface SchedulerFacts {
  trigger: SyncTrigger;
  now: Date;
  settings: ScheduleSettings;
  state: EngineState;
  /** A syncNow call from this scheduler that has not answered yet. */
  requestInFlight: boolean;
  lastStartedAt: Date | null;
}

export type SchedulerDecision = { start: true } | { start: false; reason: string };

/**
 * Pure decision: should a run start now? Single-flight first (never two runs), then pause,
 * then quiet hours and the poll interval, which only hold back automatic runs: "Sync now" is
 * the user's explicit request and goes immediately.
 */
export const decideSyncStart = (facts: SchedulerFacts): SchedulerDecision => {
  if (facts.requestInFlight || facts.state === 'syncing') return { start: false, reason: 'a run is already in progress' };
  if (facts.state === 'paused') return { start: false, reason: 'syncing is paused' };
  if (facts.trigger === 'manual') return { start: true };
  if (isWithinQuietHours(facts.settings.quietHours, facts.now)) return { start: false, reason: 'quiet hours' };
  if (facts.trigger !== 'schedule' || facts.lastStartedAt === null) return { start: true };
  const dueAt = facts.lastStartedAt.getTime() + facts.settings.pollIntervalMinutes * 60_000;
  return facts.now.getTime() >= dueAt ? { start: true } : { start: false, reason: 'not due yet' };
};

/** Calls `tick` once a minute until the returned function is called (node-cron in production). */
export type MinuteTicker = (tick: () => void) => () => void;

export interface SyncSchedulerOptions {
  ticker: MinuteTicker;
  now: () => Date;
  /** Asks the engine to start a run (AppService.syncNow); resolves when the engine answered. */
  startRun: () => Promise<{ started: boolean }>;
  onSkipped?: (trigger: SyncTrigger, reason: string) => void;
  onError?: (error: unknown) => void;
}

/**
 * Owns "when to run". A minute tick plus decideSyncStart supports any poll interval (cron
 * syntax cannot express every 7 minutes evenly) and makes interval changes take effect at once.
 */
export class SyncScheduler {
  readonly #options: SyncSchedulerOptions;
  #settings: ScheduleSettings = { pollIntervalMinutes: DEFAULT_POLL_INTERVAL_MINUTES, quietHours: null };
  #state: EngineState = 'idle';
  #requestInFlight = false;
  #lastStartedAt: Date | null = null;
  #stopTicker: (() => void) | null = null;

  constructor(options: SyncSchedulerOptions) {
    this.#options = options;
  }

  /** Starts ticking on the first call; later calls only replace the settings (they apply at once). */
  start(settings: ScheduleSettings): void {
    this.#settings = settings;
    this.#stopTicker ??= this.#options.ticker(() => void this.trigger('schedule'));
  }

  /** The engine's latest state, from its status events. */
  updateState(state: EngineState): void {
    this.#state = state;
  }

  stop(): void {
    this.#stopTicker?.();
    this.#stopTicker = null;
  }

  async trigger(trigger: SyncTrigger): Promise<boolean> {
    const now = this.#options.now();
    const decision = decideSyncStart({
      trigger,
      now,
      settings: this.#settings,
      state: this.#state,
      requestInFlight: this.#requestInFlight,
      lastStartedAt: this.#lastStartedAt,
    });
    if (!decision.start) {
      this.#options.onSkipped?.(trigger, decision.reason);
      return false;
    }
    this.#requestInFlight = true;
    this.#lastStartedAt = now;
    try {
      const { started } = await this.#options.startRun();
      return started;
    } catch (error) {
      this.#options.onError?.(error);
      return false;
    } finally {
      this.#requestInFlight = false;
    }
  }
}
