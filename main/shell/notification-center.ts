import type { StatusSnapshot } from '../../preload/contract.js';
import { decideNotifications, initialNotificationState, type AppNotification, type NotificationView } from './notification-policy.js';

/**
 * Main process: shows the desktop notifications notification-policy.ts decides on, from the
 * latest status snapshot, again on a timer (an outage grows longer without new events). A
 * click opens the window on the notice's view. Electron-free: main.ts passes Electron's
 * Notification as `create`.
 */

/** The parts of Electron's Notification used here. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationCenterOptions {
  isSupported: () => boolean;
  create: (options: { title: string; body: string; icon: string }) => NotificationLike;
  icon: string;
  now: () => number;
  onClick: (view: NotificationView) => void;
}

export class NotificationCenter {
  #enabled = true;
  #state = initialNotificationState;
  #lastSnapshot: StatusSnapshot | null = null;
  /** Electron drops click handlers of notifications that get garbage-collected; keep them alive until closed. */
  readonly #live = new Set<NotificationLike>();

  constructor(private readonly options: NotificationCenterOptions) {}

  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
  }

  /** A new status snapshot from the engine. */
  update(snapshot: StatusSnapshot): void {
    this.#lastSnapshot = snapshot;
    this.recheck();
  }

  /** Decides again on the last snapshot (called on a timer). */
  recheck(): void {
    if (this.#lastSnapshot === null) return;
    const decision = decideNotifications(this.#state, this.#lastSnapshot, this.options.now(), { enabled: this.#enabled });
    this.#state = decision.state;
    decision.notifications.forEach((notice) => this.#show(notice));
  }

  /** How many notifications are shown and not yet closed. */
  get liveCount(): number {
    return this.#live.size;
  }

  #show(notice: AppNotification): void {
    if (!this.options.isSupported()) return;
    const notification = this.options.create({ title: notice.title, body: notice.body, icon: this.options.icon });
    this.#live.add(notification);
    notification.on('click', () => this.options.onClick(notice.view));
    notification.on('close', () => this.#live.delete(notification));
    notification.show();
  }
}
