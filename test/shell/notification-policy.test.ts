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
  it('announces a problem once, with the view that fixes it, even as its count grows', () => {
    const first = decideNotifications(initialNotificationState, snapshot({ attention: [item({})] }), 0, on);
    expect(first.notifications).toEqual([
      { key: 'attention:a1', title: 'Stripe Sync needs attention', body: 'Customer missing in Sage. 3 charges wait for customer sync', view: 'errors' },
    ]);
    const again = decideNotifications(first.state, snapshot({ attention: [item({ title: '4 customers missing', detail: '4 charges' })] }), MINUTE, on);
    expect(again.notifications).toEqual([]);
  });

  it('announces a problem again after it cleared and came back', () => {
    let state = decideNotifications(initialNotificationState, snapshot({ attention: [item({})] }), 0, on).state;
    state = decideNotifications(state, snapshot(), MINUTE, on).state;
    const back = decideNotifications(state, snapshot({ attention: [item({})] }), 60 * MINUTE, on);
    expect(back.notifications).toHaveLength(1);
  });

  it('announces warnings (payouts not tied out, records not planned) but not info', () => {
    const warning = decideNotifications(initialNotificationState, snapshot({ attention: [item({ id: 'payouts-blocked', severity: 'warning', view: 'payouts' })] }), 0, on);
    expect(warning.notifications.map((notice) => notice.view)).toEqual(['payouts']);
    const info = decideNotifications(initialNotificationState, snapshot({ attention: [item({ severity: 'info', view: 'settings' })] }), 0, on);
    expect(info.notifications).toEqual([]);
  });

  it('folds several new problems into one notification naming each', () => {
    const result = decideNotifications(
      initialNotificationState,
      snapshot({
        attention: [
          item({ id: 'documents-failing', title: '3 documents not written to Sage' }),
          item({ id: 'objects-unplanned', title: '18 Stripe records not in Sage' }),
          item({ id: 'shadow-mode', severity: 'info', title: 'previewed' }),
        ],
      }),
      0,
      on,
    );
    expect(result.notifications).toHaveLength(1);
    expect(result.notifications[0]!.body).toBe('3 documents not written to Sage; 18 Stripe records not in Sage');
    expect(result.notifications[0]!.view).toBe('errors');
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
    let state: NotificationPolicyState = initialNotificationState;
    const shown: number[] = [];
    // A problem that comes and goes every minute: only maxPerWindow notices per window.
    for (let minute = 0; minute < 10; minute += 1) {
      const decision = decideNotifications(state, snapshot({ attention: minute % 2 === 0 ? [item({})] : [] }), minute * MINUTE, on);
      state = decision.state;
      shown.push(decision.notifications.length);
    }
    expect(shown.reduce((sum, count) => sum + count, 0)).toBe(DEFAULT_NOTIFICATION_THRESHOLDS.maxPerWindow);
    const later = decideNotifications(state, snapshot({ attention: [item({})] }), DEFAULT_NOTIFICATION_THRESHOLDS.windowMs + 20 * MINUTE, on);
    expect(later.notifications).toHaveLength(1);
  });

  it('shows nothing when notifications are off, and does not flood when turned back on', () => {
    const withFailure = snapshot({ attention: [item({})] });
    const off = decideNotifications(initialNotificationState, withFailure, 0, { enabled: false });
    expect(off.notifications).toEqual([]);
    expect(decideNotifications(off.state, withFailure, MINUTE, on).notifications).toEqual([]);
  });
});
