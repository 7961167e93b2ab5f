import { beforeEach, describe, expect, it } from 'vitest';
import type { AttentionItem } from '../../preload/contract.js';
import { NotificationCenter } from '../../main/shell/notification-center.js';
import type { NotificationView } from '../../main/shell/notification-policy.js';
import { snapshot } from './fakes/fake-app-service.js';
import { FakeNotification } from './fakes/electron-fakes.js';

const parked: AttentionItem = { id: 'parked', severity: 'error', title: '2 documents parked', detail: 'Fix them in Errors', view: 'errors' };
const MINUTE = 60_000;

const center = (options: { supported?: boolean } = {}) => {
  let now = 0;
  const clicks: NotificationView[] = [];
  const notifications = new NotificationCenter({
    isSupported: () => options.supported ?? true,
    create: (init) => new FakeNotification(init),
    icon: '/app/icon.png',
    now: () => now,
    onClick: (view) => clicks.push(view),
  });
  return { notifications, clicks, advance: (ms: number) => (now += ms) };
};

describe('NotificationCenter', () => {
  beforeEach(() => {
    FakeNotification.created = [];
  });

  it('shows a notice for a new problem once, with the app icon, and a click opens its view', () => {
    const { notifications, clicks } = center();
    notifications.update(snapshot({ attention: [parked] }));
    notifications.update(snapshot({ attention: [parked] }));
    expect(FakeNotification.created).toHaveLength(1);
    const [shown] = FakeNotification.created;
    expect(shown?.shown).toBe(true);
    expect(shown?.options).toEqual({ title: 'Stripe Sync needs attention', body: '2 documents parked. Fix them in Errors', icon: '/app/icon.png' });
    shown?.fire('click');
    expect(clicks).toEqual(['errors']);
  });

  it('keeps a shown notice alive until it is closed (Electron drops the click of a collected one)', () => {
    const { notifications } = center();
    notifications.update(snapshot({ attention: [parked] }));
    expect(notifications.liveCount).toBe(1);
    FakeNotification.created[0]?.fire('close');
    expect(notifications.liveCount).toBe(0);
  });

  it('rechecks the last snapshot on its timer, so a long outage is announced without new events', () => {
    const { notifications, advance } = center();
    const connection = { kind: 'sage-unreachable' as const, title: 'Cannot reach Sage 500', reason: 'SAGE01 did not answer.', since: '2026-11-27T08:00:00.000Z', nextAttemptAt: null };
    notifications.update(snapshot({ state: 'offline', connection }));
    // What cannot be reached is said at once (notification-policy.ts); the long-outage warning needs the timer.
    expect(FakeNotification.created.map((notice) => notice.options.title)).toEqual(['Cannot reach Sage 500']);
    advance(24 * 60 * MINUTE);
    notifications.recheck();
    expect(FakeNotification.created.map((notice) => notice.options.title)).toEqual(['Cannot reach Sage 500', 'Sync offline for over a day']);
  });

  it('shows nothing when notifications are off in Settings, or the system has none', () => {
    const off = center();
    off.notifications.setEnabled(false);
    off.notifications.update(snapshot({ attention: [parked] }));
    const unsupported = center({ supported: false });
    unsupported.notifications.update(snapshot({ attention: [parked] }));
    expect(FakeNotification.created).toHaveLength(0);
  });

  it('does nothing on a recheck before the first snapshot', () => {
    const { notifications } = center();
    notifications.recheck();
    expect(FakeNotification.created).toHaveLength(0);
  });
});
