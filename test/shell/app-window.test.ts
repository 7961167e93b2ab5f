import { describe, expect, it } from 'vitest';
import { appWindowOptions, openAppWindow, type AppWindowOptions } from '../../main/shell/app-window.js';
import { RENDERER_ENTRY_URL, RENDERER_ROOT_URL } from '../../main/shell/renderer-protocol.js';
import { createTrustedSenders } from '../../main/shell/trusted-sender.js';
import { POPUP_SIZE } from '../../main/shell/tray-popup.js';
import { FakeAppWindow, invokeEvent } from './fakes/electron-fakes.js';

const RENDERER_ROOT = RENDERER_ROOT_URL;
const RENDERER_URL = RENDERER_ENTRY_URL;

const open = (overrides: { showWhenReady?: boolean; quitting?: () => boolean; loadError?: Error } = {}) => {
  const trustedSenders = createTrustedSenders(RENDERER_ROOT);
  const loadFailures: unknown[] = [];
  const window = openAppWindow({
    create: (options: AppWindowOptions) => {
      const created = new FakeAppWindow(options);
      created.loadError = overrides.loadError ?? null;
      return created;
    },
    options: appWindowOptions('/app/icon.png', { sandbox: true }),
    trustedSenders,
    isQuitting: overrides.quitting ?? (() => false),
    showWhenReady: overrides.showWhenReady ?? true,
    rendererUrl: RENDERER_URL,
    onLoadFailed: (error) => loadFailures.push(error),
  });
  return { window, trustedSenders, loadFailures };
};

describe('openAppWindow', () => {
  it('creates the tray popup at its designed size, hidden until ready, with the given web preferences', () => {
    const { window } = open();
    expect(window.options).toMatchObject({ width: POPUP_SIZE.width, height: POPUP_SIZE.height, frame: false, skipTaskbar: true, show: false });
    expect(window.options.webPreferences).toEqual({ sandbox: true });
    expect(window.menuRemoved).toBe(true);
    expect(window.loaded).toEqual([RENDERER_URL]);
  });

  it('trusts IPC from its WebContents only until they are destroyed', () => {
    const { window, trustedSenders } = open();
    const event = invokeEvent(window.webContents.id, RENDERER_URL);
    expect(trustedSenders.isTrusted(event)).toBe(true);
    expect(trustedSenders.isTrusted(invokeEvent(window.webContents.id + 1000, RENDERER_URL))).toBe(false);
    window.contentsListeners.get('destroyed')?.();
    expect(trustedSenders.isTrusted(event)).toBe(false);
  });

  it('shows when ready, unless launched hidden at login', () => {
    const shown = open().window;
    expect(shown.visible).toBe(false);
    shown.emit('ready-to-show');
    expect(shown.visible).toBe(true);
    const hidden = open({ showWhenReady: false }).window;
    hidden.emit('ready-to-show');
    expect(hidden.visible).toBe(false);
  });

  it('hides on blur and on close, and really closes once the app is quitting', () => {
    let quitting = false;
    const { window } = open({ quitting: () => quitting });
    window.show();
    window.emit('blur');
    expect(window.visible).toBe(false);
    expect(window.emit('close').prevented).toBe(true);
    quitting = true;
    expect(window.emit('close').prevented).toBe(false);
  });

  it('reports a renderer that fails to load', async () => {
    const failure = new Error('ERR_FILE_NOT_FOUND');
    const { loadFailures } = open({ loadError: failure });
    await Promise.resolve();
    await Promise.resolve();
    expect(loadFailures).toEqual([failure]);
  });
});
