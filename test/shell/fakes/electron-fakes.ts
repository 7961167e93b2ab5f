import type { TraySurface } from '../../../main/shell/tray-controller.js';
import type { TrayMenuItem } from '../../../main/shell/tray-menu.js';
import type { InvokeEventLike } from '../../../main/shell/trusted-sender.js';
import type { IpcMainLike } from '../../../main/shell/ipc-handlers.js';
import type { WebContentsLike } from '../../../main/shell/event-forwarding.js';
import type { MessagePortLike } from '../../../main/shell/engine-protocol.js';
import type { AppWindowLike } from '../../../main/shell/window-policy.js';
import type { PopupWindowLike, Rect } from '../../../main/shell/tray-popup.js';
import type { GuardedContents, PermissionSession, PreventableEvent } from '../../../main/shell/security-policy.js';
import type { AppWindowOptions, CreatedWindowLike } from '../../../main/shell/app-window.js';
import type { NotificationLike } from '../../../main/shell/notification-center.js';
import type { PowerMonitorLike } from '../../../main/shell/run-triggers.js';

type InvokeListener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** ipcMain: records handlers so a test can invoke a channel as a renderer would. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

export const invokeEvent = (id: number, url: string, isMainFrame = true): InvokeEventLike => ({
  sender: { id },
  senderFrame: { url, parent: isMainFrame ? null : { url } },
});

/** WebContents: send() records, isDestroyed() is switchable. */
export class FakeWebContents implements WebContentsLike {
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push({ channel, payload });
  }
}

export class FakePreventableEvent implements PreventableEvent {
  prevented = false;
  preventDefault(): void {
    this.prevented = true;
  }
}

/** The WebContents events the security guards listen to. */
export class FakeGuardedContents implements GuardedContents {
  readonly listeners = new Map<string, (event: PreventableEvent) => void>();
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  on(event: string, listener: (event: PreventableEvent) => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  emit(name: string): FakePreventableEvent {
    const event = new FakePreventableEvent();
    this.listeners.get(name)?.(event);
    return event;
  }
}

export class FakeSession implements PermissionSession {
  requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: (() => boolean) | null = null;
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: () => boolean): void {
    this.checkHandler = handler;
  }
}

/** BrowserWindow: visibility state plus a call log. */
export class FakeBrowserWindow implements AppWindowLike {
  destroyed = false;
  minimized = false;
  visible = false;
  readonly calls: string[] = [];
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.calls.push('restore');
    this.minimized = false;
  }
  show(): void {
    this.calls.push('show');
    this.visible = true;
  }
  focus(): void {
    this.calls.push('focus');
  }
  hide(): void {
    this.calls.push('hide');
    this.visible = false;
  }
}

/**
 * Two linked MessagePortMain fakes. Delivery is asynchronous and structured-cloned, like the
 * real thing, so tests catch anything that is not serialisable or relies on synchronous replies.
 */
class FakeMessagePort implements MessagePortLike {
  other: FakeMessagePort | null = null;
  started = false;
  readonly posted: unknown[] = [];
  readonly #listeners: ((event: { data: unknown }) => void)[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
    const data = structuredClone(message);
    const target = this.other;
    setTimeout(() => target?.deliver(data), 0);
  }
  on(_event: 'message', listener: (event: { data: unknown }) => void): this {
    this.#listeners.push(listener);
    return this;
  }
  start(): void {
    this.started = true;
  }
  deliver(data: unknown): void {
    this.#listeners.forEach((listener) => listener({ data }));
  }
}

export const linkedPorts = (): { mainPort: FakeMessagePort; enginePort: FakeMessagePort } => {
  const mainPort = new FakeMessagePort();
  const enginePort = new FakeMessagePort();
  mainPort.other = enginePort;
  enginePort.other = mainPort;
  return { mainPort, enginePort };
};

/** The app window as the tray popup uses it: also knows its bounds. */
export class FakePopupWindow extends FakeBrowserWindow implements PopupWindowLike {
  bounds: Rect | null = null;
  isVisible(): boolean {
    return this.visible;
  }
  setBounds(bounds: Rect): void {
    this.calls.push('setBounds');
    this.bounds = bounds;
  }
}

/** The tray the TrayController drives (main/shell/tray-controller.ts), recording each render. */
export class FakeTraySurface implements TraySurface {
  images: string[] = [];
  tooltips: string[] = [];
  menus: TrayMenuItem[][] = [];
  setImage(path: string): void {
    this.images.push(path);
  }
  setToolTip(tooltip: string): void {
    this.tooltips.push(tooltip);
  }
  setMenu(menu: TrayMenuItem[]): void {
    this.menus.push(menu);
  }
}

/** A BrowserWindow as openAppWindow (main/shell/app-window.ts) drives it: listeners kept so a test can fire them. */
export class FakeAppWindow extends FakeBrowserWindow implements CreatedWindowLike {
  static nextId = 1;
  readonly listeners = new Map<string, ((event: PreventableEvent) => void)[]>();
  readonly onceListeners = new Map<string, (() => void)[]>();
  readonly contentsListeners = new Map<string, () => void>();
  readonly loaded: string[] = [];
  menuRemoved = false;
  loadError: Error | null = null;
  readonly webContents = {
    id: FakeAppWindow.nextId++,
    once: (event: 'destroyed', listener: () => void): void => void this.contentsListeners.set(event, listener),
  };
  constructor(readonly options: AppWindowOptions) {
    super();
  }
  on(event: string, listener: (event: PreventableEvent) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: () => void): this {
    this.onceListeners.set(event, [...(this.onceListeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string): FakePreventableEvent {
    const preventable = new FakePreventableEvent();
    this.listeners.get(event)?.forEach((listener) => listener(preventable));
    const once = this.onceListeners.get(event) ?? [];
    this.onceListeners.delete(event);
    once.forEach((listener) => listener());
    return preventable;
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return this.loadError ? Promise.reject(this.loadError) : Promise.resolve();
  }
}

/** Electron's Notification: records what was shown; click/close fire the listeners. */
export class FakeNotification implements NotificationLike {
  static created: FakeNotification[] = [];
  readonly listeners = new Map<string, () => void>();
  shown = false;
  constructor(readonly options: { title: string; body: string; icon: string }) {
    FakeNotification.created.push(this);
  }
  on(event: 'click' | 'close', listener: () => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  show(): void {
    this.shown = true;
  }
  fire(event: 'click' | 'close'): void {
    this.listeners.get(event)?.();
  }
}

/** powerMonitor: `resume` listeners, fired by the test. */
export class FakePowerMonitor implements PowerMonitorLike {
  readonly resumeListeners = new Set<() => void>();
  on(_event: 'resume', listener: () => void): this {
    this.resumeListeners.add(listener);
    return this;
  }
  removeListener(_event: 'resume', listener: () => void): this {
    this.resumeListeners.delete(listener);
    return this;
  }
  resume(): void {
    this.resumeListeners.forEach((listener) => listener());
  }
}
