import type { TrustedSenders } from './trusted-sender.js';
import { handleWindowClose, type AppWindowLike, type CloseEventLike } from './window-policy.js';
import { POPUP_MIN_WIDTH, POPUP_SIZE } from './tray-popup.js';

/**
 * Main process: the app's one window, the tray popup. Creating it registers its WebContents as
 * the trusted IPC sender (until it is destroyed), hides it on close and on blur, and loads the
 * renderer. Electron-free: main.ts passes `new BrowserWindow` as `create`.
 */

/** The BrowserWindow constructor options this module sets (a subset of Electron's). */
export interface AppWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  frame: boolean;
  skipTaskbar: boolean;
  show: boolean;
  title: string;
  icon: string;
  webPreferences: Record<string, unknown>;
}

/** The parts of a BrowserWindow the app window uses. */
export interface CreatedWindowLike extends AppWindowLike {
  readonly webContents: { readonly id: number; once(event: 'destroyed', listener: () => void): unknown };
  on(event: 'close', listener: (event: CloseEventLike) => void): unknown;
  on(event: 'blur', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  removeMenu(): void;
  loadURL(url: string): Promise<void>;
}

export const APP_WINDOW_TITLE = 'Stripe Sync for Sage 500';

/** Designed at 420 px wide (tray-popup.ts), frameless and off the taskbar: it belongs to the tray icon. */
export const appWindowOptions = (appIcon: string, webPreferences: Record<string, unknown>): AppWindowOptions => ({
  width: POPUP_SIZE.width,
  height: POPUP_SIZE.height,
  minWidth: POPUP_MIN_WIDTH,
  frame: false,
  skipTaskbar: true,
  show: false,
  title: APP_WINDOW_TITLE,
  icon: appIcon,
  webPreferences,
});

export interface OpenAppWindowOptions<W extends CreatedWindowLike> {
  create: (options: AppWindowOptions) => W;
  options: AppWindowOptions;
  trustedSenders: TrustedSenders;
  /** Read at close time: a close while quitting really closes. */
  isQuitting: () => boolean;
  /** False for a start-at-login launch: the app starts in the tray. */
  showWhenReady: boolean;
  rendererUrl: string;
  onLoadFailed: (error: unknown) => void;
}

export const openAppWindow = <W extends CreatedWindowLike>(options: OpenAppWindowOptions<W>): W => {
  const window = options.create(options.options);
  const contentsId = window.webContents.id;
  options.trustedSenders.add(contentsId);
  window.webContents.once('destroyed', () => options.trustedSenders.remove(contentsId));
  window.on('close', (event) => handleWindowClose(event, window, options.isQuitting()));
  window.on('blur', () => window.hide());
  window.removeMenu();
  if (options.showWhenReady) window.once('ready-to-show', () => window.show());
  window.loadURL(options.rendererUrl).catch(options.onLoadFailed);
  return window;
};
