import { describe, expect, it } from 'vitest';
import type { AttentionItem } from '../../preload/contract.js';
import {
  DEFAULT_NOTIFICATION_THRESHOLDS,
  decideNotifications,
  initialNotificationState,
  type NotificationPolicyState,
} from '../../main/shell/notification-policy.js';
import { snapshot } from './fakes/fake-app-service.js';

const item = (overrides: Partial<AttentionItem>): AttentionItem => ({
  id: 'a1',
  severity: 'error',
  title: 'Customer missing in Sage',
  detail: '3 charges wait for customer sync',
  view: 'errors',
  ...overrides,
});

const MINUTE = 60_000;
const on = { enabled: true };

describe('decideNotifications', () => {
  it('announces the first failure of a kind once, with the view that fixes it', () => {
    const first = decideNotifications(initialNotificationState, snapshot({ attention: [item({})] }), 0, on);
    expect(first.notifications).toEqual([
      { key: 'failure:Customer missing in Sage', title: 'Customer missing in Sage', body: '3 charges wait for customer sync', view: 'errors' },
    ]);
    const again = decideNotifications(first.state, snapshot({ attention: [item({ id: 'a2', detail: '4 charges' })] }), MINUTE, on);
    expect(again.notifications).toEqual([]);
  });

  it('announces a failure again after it cleared and came back', () => {
    let state = decideNotifications(initialNotificationState, snapshot({ attention: [item({})] }), 0, on).state;
    state = decideNotifications(state, snapshot(), MINUTE, on).state;
    const back = decideNotifications(state, snapshot({ attention: [item({})] }), 60 * MINUTE, on);
    expect(back.notifications).toHaveLength(1);
  });

  it('ignores warnings and info outside payouts', () => {
    const result = decideNotifications(
      initialNotificationState,
      snapshot({ attention: [item({ severity: 'warning' }), item({ severity: 'info', view: 'mapping' })] }),
      0,
      on,
    );
    expect(result.notifications).toEqual([]);
  });

  it('announces payouts reconciled (info) and blocked (warning/error), opening the payouts view', () => {
    const result = decideNotifications(
      initialNotificationState,
      snapshot({
        attention: [
          item({ id: 'po_1', severity: 'info', title: 'Payout po_1 reconciled: $1,204.10', view: 'payouts' }),
          item({ id: 'po_2', severity: 'warning', title: 'Payout po_2 blocked', detail: 'off by $0.30', view: 'payouts' }),
        ],
      }),
      0,
      on,
    );
    expect(result.notifications.map((notice) => [notice.title, notice.view])).toEqual([
      ['Payout reconciled', 'payouts'],
      ['Payout needs attention', 'payouts'],
    ]);
  });

  it('warns when offline longer than the threshold, then about a long outage, once each', () => {
    const offline = snapshot({ state: 'offline' });
    let state: NotificationPolicyState = initialNotificationState;
    const titlesAt = (now: number) => {
      const decision = decideNotifications(state, offline, now, on);
      state = decision.state;
      return decision.notifications.map((notice) => notice.key);
    };
    expect(titlesAt(0)).toEqual([]);
    expect(titlesAt(14 * MINUTE)).toEqual([]);
    expect(titlesAt(15 * MINUTE)).toEqual(['offline:unreachable']);
    expect(titlesAt(16 * MINUTE)).toEqual([]);
    expect(titlesAt(DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs)).toEqual(['offline:long-outage']);
    expect(titlesAt(DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs + MINUTE)).toEqual([]);
    // Back online resets the clock.
    state = decideNotifications(state, snapshot({ state: 'idle' }), 2 * DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs, on).state;
    expect(state.offlineSince).toBeNull();
  });

  it('rate-limits bursts and drops (does not delay) the excess', () => {
    const many = snapshot({ attention: Array.from({ length: 6 }, (_, index) => item({ id: `e${index}`, title: `Failure ${index}` })) });
    const burst = decideNotifications(initialNotificationState, many, 0, on);
    expect(burst.notifications).toHaveLength(DEFAULT_NOTIFICATION_THRESHOLDS.maxPerWindow);
    const later = decideNotifications(burst.state, many, DEFAULT_NOTIFICATION_THRESHOLDS.windowMs + 1, on);
    expect(later.notifications).toEqual([]);
    const fresh = snapshot({ attention: [...many.attention, item({ id: 'new', title: 'New failure' })] });
    expect(decideNotifications(later.state, fresh, DEFAULT_NOTIFICATION_THRESHOLDS.windowMs + 2, on).notifications).toHaveLength(1);
  });

  it('shows nothing when notifications are off, and does not flood when turned back on', () => {
    const withFailure = snapshot({ attention: [item({})] });
    const off = decideNotifications(initialNotificationState, withFailure, 0, { enabled: false });
    expect(off.notifications).toEqual([]);
    expect(decideNotifications(off.state, withFailure, MINUTE, on).notifications).toEqual([]);
  });
});
