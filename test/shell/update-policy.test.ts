import { describe, expect, it } from 'vitest';
import { DISABLE_UPDATES_VARIABLE, UpdateController, updatesDisabledReason, type UpdateState, type Updater } from '../../main/shell/update-policy.js';

const HOUR = 60 * 60 * 1000;

/** electron-updater's autoUpdater as far as the policy uses it: events fired by the test. */
class FakeUpdater implements Updater {
  checks = 0;
  installs = 0;
  failNextCheck = false;
  readonly listeners = new Map<string, ((arg?: unknown) => void)[]>();
  on(event: string, listener: (arg: never) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (arg?: unknown) => void]);
    return this;
  }
  emit(event: string, arg?: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(arg);
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    if (this.failNextCheck) {
      this.failNextCheck = false;
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    }
    return null;
  }
  quitAndInstall(): void {
    this.installs += 1;
  }
}

function harness(disabledReason: string | null = null) {
  const updater = new FakeUpdater();
  let now = 1_000_000;
  let tick: (() => void) | null = null;
  const states: UpdateState[] = [];
  const announced: string[] = [];
  const controller = new UpdateController({
    updater,
    disabledReason,
    now: () => now,
    setInterval: (callback) => {
      tick = callback;
      return 1;
    },
    clearInterval: () => {
      tick = null;
    },
    onChange: (state) => states.push(state),
    onReady: (version) => announced.push(version),
  });
  const advance = (ms: number): void => {
    now += ms;
    tick?.();
  };
  return { updater, controller, states, announced, advance, ticking: () => tick !== null };
}

describe('auto-update policy', () => {
  it('checks when the app starts and again only after a day, on the hourly tick', () => {
    const { updater, controller, advance } = harness();
    controller.start();
    expect(updater.checks).toBe(1);
    updater.emit('update-not-available');
    for (let hour = 1; hour < 24; hour += 1) advance(HOUR);
    expect(updater.checks).toBe(1);
    advance(HOUR);
    expect(updater.checks).toBe(2);
  });

  it('downloads in the background, says once that a restart installs it, and installs only when asked', () => {
    const { updater, controller, announced } = harness();
    controller.start();
    expect(controller.restartToUpdate()).toBe(false);
    updater.emit('update-available', { version: '0.2.0' });
    expect(controller.state).toMatchObject({ phase: 'downloading', version: '0.2.0' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(controller.state.phase).toBe('ready');
    expect(announced).toEqual(['0.2.0']);
    expect(updater.installs).toBe(0);
    expect(controller.restartToUpdate()).toBe(true);
    expect(updater.installs).toBe(1);
  });

  it('stops checking once an update waits for the restart, and a later error does not lose it', () => {
    const { updater, controller, advance } = harness();
    controller.start();
    updater.emit('update-downloaded', { version: '0.2.0' });
    advance(48 * HOUR);
    expect(updater.checks).toBe(1);
    updater.emit('error', new Error('late failure'));
    expect(controller.state.phase).toBe('ready');
  });

  it('reports a failed check in words and tries again the next day', async () => {
    const { updater, controller, advance } = harness();
    updater.failNextCheck = true;
    controller.start();
    await Promise.resolve();
    await Promise.resolve();
    expect(controller.state).toMatchObject({ phase: 'failed', detail: 'net::ERR_INTERNET_DISCONNECTED' });
    advance(23 * HOUR);
    expect(updater.checks).toBe(1);
    advance(HOUR);
    expect(updater.checks).toBe(2);
  });

  it('never checks or installs when updates are off, and says why', () => {
    const { updater, controller, ticking } = harness('off by policy');
    controller.start();
    expect(updater.checks).toBe(0);
    expect(ticking()).toBe(false);
    expect(controller.state).toMatchObject({ phase: 'disabled', detail: 'off by policy' });
    expect(controller.restartToUpdate()).toBe(false);
  });

  it('is off in development and where the administrator set the switch', () => {
    expect(updatesDisabledReason({ isPackaged: false, env: {} })).toMatch(/installed app/);
    expect(updatesDisabledReason({ isPackaged: true, env: {} })).toBeNull();
    expect(updatesDisabledReason({ isPackaged: true, env: { [DISABLE_UPDATES_VARIABLE]: '1' } })).toMatch(/administrator/);
    expect(updatesDisabledReason({ isPackaged: true, env: { [DISABLE_UPDATES_VARIABLE]: 'no' } })).toBeNull();
  });
});
