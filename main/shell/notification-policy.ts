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
  /** Offline this long → long-outage warning (queue growing, Stripe's event window shrinking). */
  longOutageAfterMs: number;
  /** At most this many notifications per window; the rest are dropped, not delayed. */
  maxPerWindow: number;
  windowMs: number;
}

export const DEFAULT_NOTIFICATION_THRESHOLDS: NotificationThresholds = {
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
 * Offline conditions: their own notices, because nothing else reaches the bookkeeper then. The
 * first says at once what cannot be reached and why ("Cannot reach Sage 500": no computer
 * named SAGE01 was found…), since the app keeps trying on its own and the bookkeeper may need
 * to act (connect the VPN); the second comes after a long outage.
 */
const offlineConditions = (snapshot: StatusSnapshot, offlineForMs: number | null, thresholds: NotificationThresholds): AppNotification[] => {
  const problem = snapshot.connection;
  if (offlineForMs === null || !problem) return [];
  const conditions: AppNotification[] = [
    { key: `offline:${problem.kind}`, title: problem.title, body: `${problem.reason} Stripe Sync keeps trying on its own; nothing is lost meanwhile.`, view: 'dashboard' },
  ];
  if (offlineForMs >= thresholds.longOutageAfterMs) {
    conditions.push({
      key: 'offline:long-outage',
      title: 'Sync offline for over a day',
      body: `Nothing has reached Sage 500 for more than 24 hours (${problem.title.toLowerCase()}). Open the window for what to check.`,
      view: 'dashboard',
    });
  }
  return conditions;
};

const RECONNECTED_TARGET: Record<string, string> = { 'offline:sage-unreachable': 'Sage 500', 'offline:stripe-unreachable': 'Stripe' };

/** After an announced outage: one notice that the connection is back, so the bookkeeper is not left wondering. */
const reconnectedNotice = (previous: NotificationPolicyState, offlineNow: boolean): AppNotification[] => {
  if (offlineNow || previous.offlineSince === null) return [];
  const announced = [...previous.announced].find((key) => key in RECONNECTED_TARGET);
  if (!announced) return [];
  const target = RECONNECTED_TARGET[announced]!;
  return [{ key: 'online:back', title: `Connected to ${target} again`, body: `${target} can be reached again; syncing carries on from where it stopped.`, view: 'dashboard' }];
};

/**
 * Everything not in Sage (parked documents, records that could not be planned, payouts not
 * tied out, a failed run) is announced by one notification naming what is new, not one per
 * condition: a bookkeeper reads one notice and opens the window. Each condition is keyed by
 * its attention id, so a growing count of the same problem is not announced again.
 */
const attentionKey = (item: AttentionItem): string => `attention:${item.id}`;

const attentionNotification = (items: readonly AttentionItem[]): Announcement[] => {
  const first = items[0];
  if (!first) return [];
  const body = items.length === 1 ? `${first.title}. ${first.detail}` : items.map((item) => item.title).join('; ');
  const keys = items.map(attentionKey);
  return [{ keys, notice: { key: keys.join(' '), title: 'Stripe Sync needs attention', body, view: first.view } }];
};

/** A notification and the condition keys it announces. */
interface Announcement {
  keys: string[];
  notice: AppNotification;
}

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
  // Mid-run counts are transient (a payout read before its balance transactions, a charge
  // before its customer), so attention is judged only between runs; while a run is in
  // progress the problems already announced stay announced and nothing new is said.
  const settled = snapshot.state !== 'syncing';
  const attention = settled ? snapshot.attention.filter((item) => item.severity !== 'info') : [];
  const offline = offlineConditions(snapshot, offlineSince === null ? null : now - offlineSince, thresholds);
  const back = reconnectedNotice(previous, offlineSince !== null);

  // Conditions that cleared are forgotten, so a recurrence is announced again.
  const activeKeys = new Set([...attention.map(attentionKey), ...offline.map((condition) => condition.key)]);
  const stillActive = (key: string): boolean => activeKeys.has(key) || (!settled && key.startsWith('attention:'));
  const announced = new Set([...previous.announced].filter(stillActive));
  const sentAt = previous.sentAt.filter((time) => now - time < thresholds.windowMs);

  const fresh: Announcement[] = [
    ...attentionNotification(attention.filter((item) => !announced.has(attentionKey(item)))),
    ...offline.filter((condition) => !announced.has(condition.key)).map((notice) => ({ keys: [notice.key], notice })),
    // An event, not a condition: announced once per return, never remembered as active.
    ...back.map((notice) => ({ keys: [], notice })),
  ];
  const notifications: AppNotification[] = [];
  for (const { keys, notice } of fresh) {
    // Marked announced even when dropped or disabled: a late burst of stale notices is worse than none.
    for (const key of keys) announced.add(key);
    if (!options.enabled || sentAt.length >= thresholds.maxPerWindow) continue;
    sentAt.push(now);
    notifications.push(notice);
  }
  return { state: { announced, sentAt, offlineSince }, notifications };
};
