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

  it('judges problems between runs, not from the transient counts of a run in progress', () => {
    const payoutMidRun = item({ id: 'payouts-blocked', severity: 'warning', view: 'payouts' });
    const during = decideNotifications(initialNotificationState, snapshot({ state: 'syncing', attention: [payoutMidRun] }), 0, on);
    expect(during.notifications).toEqual([]);
    // The run ends with the payout tied out: nothing was ever worth saying.
    const after = decideNotifications(during.state, snapshot({ state: 'idle', attention: [] }), MINUTE, on);
    expect(after.notifications).toEqual([]);
    // A problem still there when the run ends is announced then, once, and a later run does not repeat it.
    const failing = item({ id: 'documents-failing' });
    const settled = decideNotifications(after.state, snapshot({ state: 'attention', attention: [failing] }), 2 * MINUTE, on);
    expect(settled.notifications.map((notice) => notice.title)).toEqual(['Stripe Sync needs attention']);
    const nextRun = decideNotifications(settled.state, snapshot({ state: 'syncing', attention: [] }), 3 * MINUTE, on);
    const nextEnd = decideNotifications(nextRun.state, snapshot({ state: 'attention', attention: [failing] }), 4 * MINUTE, on);
    expect([...nextRun.notifications, ...nextEnd.notifications]).toEqual([]);
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

  it('says at once what cannot be reached and why, warns once more after a long outage, and says when it is back', () => {
    const connection = { kind: 'sage-unreachable' as const, title: 'Cannot reach Sage 500', reason: 'No computer named SAGE01 was found. Connect to the VPN first.', since: '2026-11-27T08:00:00.000Z', nextAttemptAt: '2026-11-27T08:00:15.000Z' };
    const offline = snapshot({ state: 'offline', connection });
    let state: NotificationPolicyState = initialNotificationState;
    const noticesAt = (now: number, current = offline) => {
      const decision = decideNotifications(state, current, now, on);
      state = decision.state;
      return decision.notifications;
    };
    const first = noticesAt(0);
    expect(first).toEqual([{ key: 'offline:sage-unreachable', title: 'Cannot reach Sage 500', body: expect.stringContaining('No computer named SAGE01 was found'), view: 'dashboard' }]);
    expect(noticesAt(MINUTE)).toEqual([]);
    expect(noticesAt(60 * MINUTE)).toEqual([]);
    expect(noticesAt(DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs).map((notice) => notice.key)).toEqual(['offline:long-outage']);
    expect(noticesAt(DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs + MINUTE)).toEqual([]);
    // Back online: one notice saying so, and the clock resets.
    const back = noticesAt(2 * DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs, snapshot({ state: 'idle' }));
    expect(back.map((notice) => notice.title)).toEqual(['Connected to Sage 500 again']);
    expect(state.offlineSince).toBeNull();
    expect(noticesAt(2 * DEFAULT_NOTIFICATION_THRESHOLDS.longOutageAfterMs + MINUTE, snapshot({ state: 'idle' }))).toEqual([]);
  });

  it('names Stripe when Stripe is what cannot be reached', () => {
    const connection = { kind: 'stripe-unreachable' as const, title: 'Cannot reach Stripe', reason: 'Could not reach Stripe: fetch failed.', since: '2026-11-27T08:00:00.000Z', nextAttemptAt: null };
    const down = decideNotifications(initialNotificationState, snapshot({ state: 'offline', connection }), 0, on);
    expect(down.notifications.map((notice) => notice.title)).toEqual(['Cannot reach Stripe']);
    expect(decideNotifications(down.state, snapshot(), MINUTE, on).notifications.map((notice) => notice.title)).toEqual(['Connected to Stripe again']);
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
