import { describe, expect, it, vi } from 'vitest';
import {
  RENDERER_CSP,
  denyAllPermissions,
  guardWebContents,
  hardenedWebPreferences,
  isExternalLinkAllowed,
  withContentSecurityPolicy,
} from '../../main/shell/security-policy.js';
import { watchNetworkReturn } from '../../main/shell/network-watch.js';
import {
  HIDDEN_LAUNCH_FLAG,
  handleWindowClose,
  isHiddenLaunch,
  loginItemSettingsFor,
  showAppWindow,
} from '../../main/shell/window-policy.js';
import { FakeBrowserWindow, FakeGuardedContents, FakePreventableEvent, FakeSession } from './fakes/electron-fakes.js';

describe('window policy', () => {
  it('close hides to the tray unless the app is quitting', () => {
    const window = new FakeBrowserWindow();
    const close = new FakePreventableEvent();
    handleWindowClose(close, window, false);
    expect(close.prevented).toBe(true);
    expect(window.calls).toEqual(['hide']);
    const quitClose = new FakePreventableEvent();
    handleWindowClose(quitClose, window, true);
    expect(quitClose.prevented).toBe(false);
  });

  it('showing (tray double-click, second launch, notification click) restores, shows and focuses', () => {
    const window = new FakeBrowserWindow();
    window.minimized = true;
    showAppWindow(window);
    expect(window.calls).toEqual(['restore', 'show', 'focus']);
    const gone = new FakeBrowserWindow();
    gone.destroyed = true;
    showAppWindow(gone);
    expect(gone.calls).toEqual([]);
    expect(() => showAppWindow(null)).not.toThrow();
  });

  it('start at login launches hidden in the tray', () => {
    expect(loginItemSettingsFor(true)).toEqual({ openAtLogin: true, args: [HIDDEN_LAUNCH_FLAG] });
    expect(loginItemSettingsFor(false).openAtLogin).toBe(false);
    expect(isHiddenLaunch(['app.exe', HIDDEN_LAUNCH_FLAG])).toBe(true);
    expect(isHiddenLaunch(['app.exe'])).toBe(false);
  });
});

describe('security policy', () => {
  it('hardens webPreferences', () => {
    expect(hardenedWebPreferences('/app/dist/preload/preload.cjs')).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('uses a strict CSP with no remote or inline script, no eval, no network beyond self', () => {
    const directives = new Map(RENDERER_CSP.split('; ').map((entry) => [entry.split(' ')[0], entry]));
    expect(directives.get('default-src')).toBe("default-src 'none'");
    expect(directives.get('script-src')).toBe("script-src 'self'");
    expect(directives.get('connect-src')).toBe("connect-src 'self'");
    expect(directives.get('object-src')).toBe("object-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(withContentSecurityPolicy({ 'X-Other': ['1'] })).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [RENDERER_CSP] });
  });

  it('denies navigation, redirects, webviews and new windows; https links go to the browser', () => {
    const contents = new FakeGuardedContents();
    const openExternal = vi.fn();
    guardWebContents(contents, openExternal);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(contents.emit(event).prevented, event).toBe(true);
    }
    expect(contents.windowOpenHandler?.({ url: 'https://dashboard.stripe.com/payouts' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///C:/Windows/system32/calc.exe' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://dashboard.stripe.com/payouts']]);
    expect(isExternalLinkAllowed('http://example.com')).toBe(false);
    expect(isExternalLinkAllowed('::nonsense')).toBe(false);
  });

  it('denies every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.requestHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(session.checkHandler?.()).toBe(false);
  });
});

describe('watchNetworkReturn', () => {
  it('fires only on offline → online transitions and stops', () => {
    let online = true;
    let sample: () => void = () => undefined;
    const onReturn = vi.fn();
    const clearInterval = vi.fn();
    const stop = watchNetworkReturn({
      isOnline: () => online,
      onReturn,
      everyMs: 1000,
      setInterval: (callback) => {
        sample = callback;
        return 'handle';
      },
      clearInterval,
    });
    sample();
    online = false;
    sample();
    sample();
    online = true;
    sample();
    sample();
    expect(onReturn).toHaveBeenCalledOnce();
    stop();
    expect(clearInterval).toHaveBeenCalledWith('handle');
  });
});
