/**
 * How the single app window behaves in a tray app: closing hides it (the app keeps syncing in
 * the tray), the tray's double-click and a second launch bring it back, and only Quit exits.
 */

export interface AppWindowLike {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  hide(): void;
}

export interface CloseEventLike {
  preventDefault(): void;
}

export const showAppWindow = (window: AppWindowLike | null): void => {
  if (window === null || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
};

/** The window's `close` handler: hide instead of closing unless the app is quitting. */
export const handleWindowClose = (event: CloseEventLike, window: AppWindowLike, isQuitting: boolean): void => {
  if (isQuitting) return;
  event.preventDefault();
  window.hide();
};

/** Start-at-login launches pass this flag so the app starts in the tray without a window. */
export const HIDDEN_LAUNCH_FLAG = '--hidden';

export const loginItemSettingsFor = (startAtLogin: boolean): { openAtLogin: boolean; args: string[] } => ({
  openAtLogin: startAtLogin,
  args: [HIDDEN_LAUNCH_FLAG],
});

export const isHiddenLaunch = (argv: readonly string[]): boolean => argv.includes(HIDDEN_LAUNCH_FLAG);
