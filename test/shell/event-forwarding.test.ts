import { describe, expect, it } from 'vitest';
import { eventChannel } from '../../preload/contract.js';
import { forwardServiceEvents, sendEvent } from '../../main/shell/event-forwarding.js';
import { FakeWebContents } from './fakes/electron-fakes.js';
import { createFakeAppService, snapshot } from './fakes/fake-app-service.js';

describe('event forwarding', () => {
  it('sends typed events on the contract channel and skips destroyed or missing windows', () => {
    const contents = new FakeWebContents();
    expect(sendEvent(contents, 'navigate', { view: 'errors' })).toBe(true);
    expect(contents.sent).toEqual([{ channel: eventChannel('navigate'), payload: { view: 'errors' } }]);
    contents.destroyed = true;
    expect(sendEvent(contents, 'navigate', { view: 'errors' })).toBe(false);
    expect(sendEvent(null, 'navigate', { view: 'errors' })).toBe(false);
  });

  it('forwards every AppService event to the current window and unsubscribes', () => {
    const fake = createFakeAppService();
    let current: FakeWebContents | null = new FakeWebContents();
    const first = current;
    const stop = forwardServiceEvents(fake.service, () => current);
    fake.emit('status', snapshot({ state: 'paused' }));
    fake.emit('navigate', { view: 'payouts' });
    expect(first.sent.map((message) => message.channel)).toEqual([eventChannel('status'), eventChannel('navigate')]);
    current = null;
    expect(() => fake.emit('status', snapshot())).not.toThrow();
    stop();
    expect(fake.listenerCount('status')).toBe(0);
    expect(fake.listenerCount('navigate')).toBe(0);
  });
});
