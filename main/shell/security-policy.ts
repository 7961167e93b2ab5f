/**
 * The renderer's security baseline, as plain data and structural handlers so it can be tested
 * without Electron. main.ts applies these to the real BrowserWindow, WebContents and session.
 */

/** BrowserWindow webPreferences. The preload must be a single CommonJS bundle to run sandboxed. */
export const hardenedWebPreferences = (preloadPath: string) =>
  ({
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  }) as const;

/**
 * The renderer needs nothing from the network (every HTTP call is the engine's), so
 * connect-src is 'self' and everything else is as closed as React allows. The renderer's
 * index.html carries the same policy in a meta tag; the header covers anything it misses.
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PreventableEvent {
  preventDefault(): void;
}

/** The WebContents surface the guards touch (structural, satisfied by Electron's WebContents). */
export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Only plain https links (documentation, the Stripe dashboard) may leave the app, in the user's browser. */
export const isExternalLinkAllowed = (url: string): boolean => {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * Denies every navigation, redirect, webview and new window. A window.open of an https link is
 * handed to the default browser instead; the app itself never shows remote content.
 */
export const guardWebContents = (contents: GuardedContents, openExternal: (url: string) => void): void => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) openExternal(url);
    return { action: 'deny' };
  });
};

/** The session surface for permissions (structural, satisfied by Electron's Session). */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** The app needs no camera, notifications-from-web, clipboard-read or any other web permission. */
export const denyAllPermissions = (session: PermissionSession): void => {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
};

export const withContentSecurityPolicy = (
  responseHeaders: Record<string, string[]> | undefined,
): Record<string, string[]> => ({ ...responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] });
