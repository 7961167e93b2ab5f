import type { AttentionItem, EventPayloads, StatusSnapshot } from '../../preload/contract.js';

export type NotificationView = EventPayloads['navigate']['view'];

export interface AppNotification {
  /** Dedupe key: the same condition is announced once until it clears. */
  key: string;
  title: string;
  body: string;
  /** The view the window opens on when the notification is clicked. */
  view: NotificationView;
}

export interface NotificationThresholds {
  /** Offline this long → "cannot reach Sage" notice. */
  unreachableAfterMs: number;
  /** Offline this long → long-outage warning (queue growing, Stripe's event window shrinking). */
  longOutageAfterMs: number;
  /** At most this many notifications per window; the rest are dropped, not delayed. */
  maxPerWindow: number;
  windowMs: number;
}

export const DEFAULT_NOTIFICATION_THRESHOLDS: NotificationThresholds = {
  unreachableAfterMs: 15 * 60_000,
  longOutageAfterMs: 24 * 60 * 60_000,
  maxPerWindow: 3,
  windowMs: 10 * 60_000,
};

export interface NotificationPolicyState {
  /** Keys of conditions already announced (or deliberately dropped) that have not cleared yet. */
  announced: ReadonlySet<string>;
  /** When recent notifications were shown, for the rate limit. */
  sentAt: readonly number[];
  offlineSince: number | null;
}

export const initialNotificationState: NotificationPolicyState = { announced: new Set(), sentAt: [], offlineSince: null };

/**
 * Conditions in one snapshot that deserve a notification. Payout attention items are the
 * engine's way of saying "reconciled" (severity info) or "blocked" (warning/error); error items
 * elsewhere are failures, grouped by title so only the first failure of a kind is announced.
 */
const conditionsIn = (snapshot: StatusSnapshot, offlineForMs: number | null, thresholds: NotificationThresholds): AppNotification[] => {
  const conditions = snapshot.attention.flatMap((item: AttentionItem): AppNotification[] => {
    if (item.view === 'payouts') {
      return item.severity === 'info'
        ? [{ key: `payout-reconciled:${item.id}`, title: 'Payout reconciled', body: item.title, view: 'payouts' }]
        : [{ key: `payout-blocked:${item.id}`, title: 'Payout needs attention', body: `${item.title}: ${item.detail}`, view: 'payouts' }];
    }
    if (item.severity !== 'error') return [];
    return [{ key: `failure:${item.title}`, title: item.title, body: item.detail, view: item.view }];
  });
  if (offlineForMs !== null && offlineForMs >= thresholds.unreachableAfterMs) {
    conditions.push({
      key: 'offline:unreachable',
      title: 'Cannot reach Sage 500',
      body: 'Sync has been offline for a while. Stripe activity is queued and will be written when the connection is back.',
      view: 'dashboard',
    });
  }
  if (offlineForMs !== null && offlineForMs >= thresholds.longOutageAfterMs) {
    conditions.push({
      key: 'offline:long-outage',
      title: 'Sync offline for over a day',
      body: 'Nothing has reached Sage 500 for more than 24 hours. Check the SQL Server connection on the dashboard.',
      view: 'dashboard',
    });
  }
  return conditions;
};

export interface NotificationDecision {
  state: NotificationPolicyState;
  notifications: AppNotification[];
}

/**
 * Pure: given the last policy state and the current snapshot, which notifications to show.
 * Call it on every status event and periodically (offline duration grows without new events).
 */
export const decideNotifications = (
  previous: NotificationPolicyState,
  snapshot: StatusSnapshot,
  now: number,
  options: { enabled: boolean; thresholds?: NotificationThresholds },
): NotificationDecision => {
  const thresholds = options.thresholds ?? DEFAULT_NOTIFICATION_THRESHOLDS;
  const offlineSince = snapshot.state === 'offline' ? (previous.offlineSince ?? now) : null;
  const conditions = conditionsIn(snapshot, offlineSince === null ? null : now - offlineSince, thresholds);

  // Conditions that cleared are forgotten, so a recurrence is announced again.
  const activeKeys = new Set(conditions.map((condition) => condition.key));
  const announced = new Set([...previous.announced].filter((key) => activeKeys.has(key)));
  const sentAt = previous.sentAt.filter((time) => now - time < thresholds.windowMs);

  const notifications: AppNotification[] = [];
  for (const condition of conditions) {
    if (announced.has(condition.key)) continue;
    // Marked announced even when dropped or disabled: a late burst of stale notices is worse than none.
    announced.add(condition.key);
    if (!options.enabled || sentAt.length >= thresholds.maxPerWindow) continue;
    sentAt.push(now);
    notifications.push(condition);
  }
  return { state: { announced, sentAt, offlineSince }, notifications };
};
