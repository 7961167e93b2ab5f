import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  MessageChannelMain,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  utilityProcess,
  type WebContents,
} from 'electron';
import { autoUpdater } from 'electron-updater';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppService, SettingsView, StatusSnapshot, TrayState } from '../../preload/contract.js';
import { chooseCredentialStore } from '../adapters/credentials/choose-credential-store.js';
import { createFileLogger } from '../adapters/logging/file-logger.js';
import { cronMinuteTicker } from '../adapters/schedule/cron-ticker.js';
import { connectEngine } from './engine-client.js';
import { EngineLifecycle } from './engine-lifecycle.js';
import type { EngineInit } from './engine-protocol.js';
import { forwardServiceEvents, sendEvent } from './event-forwarding.js';
import { registerRequestHandlers } from './ipc-handlers.js';
import { RENDERER_ENTRY_URL, RENDERER_ROOT_URL, RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES, serveRendererRequest } from './renderer-protocol.js';
import { NotificationCenter } from './notification-center.js';
import { denyAllPermissions, guardWebContents, hardenedWebPreferences, withContentSecurityPolicy } from './security-policy.js';
import { SyncScheduler } from '../core/schedule/sync-scheduler.js';
import { TrayController } from './tray-controller.js';
import { trayDetailFor, trayIconFor } from './tray-icon.js';
import { toggleTrayPopup } from './tray-popup.js';
import { createTrustedSenders } from './trusted-sender.js';
import { isHiddenLaunch, showAppWindow } from './window-policy.js';
import { appWindowOptions, openAppWindow } from './app-window.js';
import { startRunTriggers } from './run-triggers.js';
import { applySettingsEffects } from './settings-effects.js';
import { UpdateController, updatesDisabledReason } from './update-policy.js';
import { isSelfTest, runSelfTest, selfTestExitCode, selfTestReportPath, selfTestReportText, selfTestSteps } from './self-test.js';

/**
 * The Electron entry: composition only. Every decision lives in a pure module next to this file
 * (tested in test/shell); this file connects those decisions to the real Electron objects.
 */

const NETWORK_SAMPLE_MS = 30_000;
const NOTIFICATION_RECHECK_MS = 60_000;
/** How long the engine gets to close its ledger on quit before it is killed. */
const ENGINE_SHUTDOWN_GRACE_MS = 5_000;

// A self-test runs in a throwaway data folder, never in the user's own (main/shell/self-test.ts).
if (isSelfTest(process.argv)) app.setPath('userData', mkdtempSync(join(app.getPath('temp'), 's5sync-self-test-')));

const appRoot = app.getAppPath();
const paths = {
  rendererDirectory: join(appRoot, 'dist', 'renderer'),
  preload: join(appRoot, 'dist', 'preload', 'preload.cjs'),
  engine: join(appRoot, 'dist', 'shell', 'engine-process.cjs'),
  // Tray icons ship as extraResources (electron-builder.yml), outside the asar.
  trayIcons: app.isPackaged ? join(process.resourcesPath, 'tray') : join(appRoot, 'build', 'tray'),
  appIcon: app.isPackaged ? join(process.resourcesPath, 'icon.png') : join(appRoot, 'build', 'icon.png'),
  data: app.getPath('userData'),
  logs: app.getPath('logs'),
};

// The renderer is served from app://renderer/ (renderer-protocol.ts); schemes are privileged before ready.
protocol.registerSchemesAsPrivileged([RENDERER_SCHEME_PRIVILEGES]);

// Every WebContents gets the navigation/new-window/webview guards, before any is created.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, (url) => void shell.openExternal(url)));

const start = async (): Promise<void> => {
  let quitting = false;
  let window: BrowserWindow | null = null;

  const { logger: log, close: closeLog } = createFileLogger({ logsDirectory: paths.logs, baseName: 'main', level: 'info' });
  const credentials = await chooseCredentialStore({
    cipher: safeStorage,
    encryptedFilePath: join(paths.data, 'credentials.json'),
    env: process.env,
  });
  log.info({ backend: credentials.backendName, fallbackReason: credentials.fallbackReason }, 'Credential store chosen');

  protocol.handle(RENDERER_SCHEME, (request) => serveRendererRequest(request, paths.rendererDirectory, (fileUrl) => net.fetch(fileUrl)));
  denyAllPermissions(session.defaultSession);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );

  // ---- engine in a utilityProcess ----
  const engineProcess = utilityProcess.fork(paths.engine, [], { serviceName: 'Stripe Sync engine' });
  const { port1, port2 } = new MessageChannelMain();
  const init: EngineInit = {
    kind: 'init',
    dataDirectory: paths.data,
    logsDirectory: paths.logs,
    logLevel: 'info',
    credentialBackend: credentials.backendName,
    credentialFallback: credentials.fallbackReason,
  };
  engineProcess.postMessage(init, [port2]);
  const engine = connectEngine(port1, credentials, (issue) => log.warn({ issue }, 'Malformed message from the engine dropped'));

  const currentWebContents = (): WebContents | null => (window && !window.isDestroyed() ? window.webContents : null);

  // ---- tray ----
  const tray = new Tray(join(paths.trayIcons, trayIconFor('offline').fileName));
  // Called only after trayController below exists (first from onStatus or the startup render).
  const renderTray = (state: TrayState, detail?: string | null): void => trayController.render(state, detail);

  const scheduler = new SyncScheduler({
    ticker: cronMinuteTicker,
    now: () => new Date(),
    startRun: () => engine.service.syncNow(undefined),
    onSkipped: (trigger, reason) => log.debug({ trigger, reason }, 'Sync not started'),
    onError: (error) => log.warn({ err: error }, 'Sync could not be started'),
  });

  const notifications = new NotificationCenter({
    isSupported: () => Notification.isSupported(),
    create: (options) => new Notification(options),
    icon: paths.appIcon,
    now: Date.now,
    onClick: (view) => {
      showAppWindow(window);
      sendEvent(currentWebContents(), 'navigate', { view });
    },
  });
  const notificationTimer = setInterval(() => notifications.recheck(), NOTIFICATION_RECHECK_MS);

  const applySettings = (settings: SettingsView): SettingsView =>
    applySettingsEffects(settings, {
      startSchedule: (schedule) => scheduler.start(schedule),
      setNotificationsEnabled: (enabled) => notifications.setEnabled(enabled),
      setLoginItem: app.isPackaged ? (item) => app.setLoginItemSettings(item) : null,
      setLogLevel: (level) => {
        log.level = level;
      },
    });

  // Requests the shell answers itself (they need main-process APIs) or routes through its policy.
  // ---- updates (main/shell/update-policy.ts) ----
  autoUpdater.logger = log;
  const updates = new UpdateController({
    updater: autoUpdater,
    disabledReason: updatesDisabledReason({ isPackaged: app.isPackaged, env: process.env }),
    now: Date.now,
    setInterval,
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    onChange: (state) => log.info({ update: state }, 'Update state'),
    onReady: (version) => new Notification({ title: 'Stripe Sync update ready', body: `Version ${version} is downloaded. Restart to update (Home → Restart to update).` }).show(),
  });

  const service: AppService = {
    ...engine.service,
    getUpdateStatus: async () => updates.state,
    restartToUpdate: async () => ({ restarting: updates.restartToUpdate() }),
    syncNow: async () => ({ started: await scheduler.trigger('manual') }),
    openLogsFolder: async () => ({ opened: (await shell.openPath(paths.logs)) === '' }),
    saveSettings: async (payload) => applySettings(await engine.service.saveSettings(payload)),
    startDemo: async (payload) => applySettings(await engine.service.startDemo(payload)),
    // Another profile has its own schedule, notifications and log level: applied as it opens.
    switchProfile: async (payload) => {
      const profiles = await engine.service.switchProfile(payload);
      applySettings(await engine.service.getSettings(undefined));
      return profiles;
    },
    addProfile: async (payload) => {
      const profiles = await engine.service.addProfile(payload);
      applySettings(await engine.service.getSettings(undefined));
      return profiles;
    },
  };

  const trayController = new TrayController(
    {
      setImage: (path) => tray.setImage(path),
      setToolTip: (tooltip) => tray.setToolTip(tooltip),
      setMenu: (menu) => tray.setContextMenu(Menu.buildFromTemplate(menu)),
    },
    paths.trayIcons,
    {
      open: () => showAppWindow(window),
      syncNow: () => void scheduler.trigger('manual'),
      setPaused: (paused: boolean) =>
        void service.setPaused({ paused }).catch((error: unknown) => log.warn({ err: error }, 'Pause/resume failed')),
      openLogsFolder: () => void shell.openPath(paths.logs),
      quit: () => app.quit(),
    },
    'offline',
  );

  const onStatus = (snapshot: StatusSnapshot): void => {
    scheduler.updateState(snapshot.state);
    renderTray(snapshot.state, trayDetailFor(snapshot));
    notifications.update(snapshot);
  };

  // ---- window and IPC ----
  const trustedSenders = createTrustedSenders(RENDERER_ROOT_URL);
  registerRequestHandlers(ipcMain, service, trustedSenders, log);
  forwardServiceEvents(service, currentWebContents);
  service.onEvent('status', onStatus);

  window = openAppWindow({
    create: (options) => new BrowserWindow(options),
    options: appWindowOptions(paths.appIcon, hardenedWebPreferences(paths.preload)),
    trustedSenders,
    isQuitting: () => quitting,
    showWhenReady: !isHiddenLaunch(process.argv),
    rendererUrl: RENDERER_ENTRY_URL,
    onLoadFailed: (error) => log.error({ err: error }, 'The window could not load'),
  });
  app.on('second-instance', () => showAppWindow(window));

  tray.on('click', (_event, bounds) => toggleTrayPopup(window, bounds, screen.getDisplayMatching(bounds)));
  renderTray(trayController.state, 'Starting…');

  // ---- run triggers ----
  const stopRunTriggers = startRunTriggers({
    trigger: (trigger) => void scheduler.trigger(trigger),
    powerMonitor,
    isOnline: () => net.isOnline(),
    networkSampleMs: NETWORK_SAMPLE_MS,
    setInterval,
    clearInterval,
  });

  const engineLifecycle = new EngineLifecycle({
    process: engineProcess,
    requestShutdown: () => engine.requestShutdown(),
    closeClient: (reason) => engine.close(reason),
    onUnexpectedExit: (code) => {
      log.error({ code }, 'Engine process exited');
      renderTray('attention', 'The sync engine stopped. Restart the app.');
    },
    onShutdownComplete: () => app.quit(),
    graceMs: ENGINE_SHUTDOWN_GRACE_MS,
    setTimeout,
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });

  app.on('before-quit', (event) => {
    quitting = true;
    updates.stop();
    scheduler.stop();
    stopRunTriggers();
    clearInterval(notificationTimer);
    // Hold the quit until the engine has closed its ledger (or the grace period ran out).
    if (engineLifecycle.holdQuit()) event.preventDefault();
  });
  app.on('will-quit', () => closeLog());

  try {
    updates.start();
    await engine.ready;
    applySettings(await service.getSettings(undefined));
    onStatus(await service.getStatus(undefined));
    await scheduler.trigger('schedule');
  } catch (error) {
    log.error({ err: error }, 'The sync engine did not start');
    renderTray('attention', 'The sync engine could not start. See the logs.');
  }

  if (isSelfTest(process.argv)) {
    const clock = { now: Date.now, setTimeout, clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>) };
    const report = await runSelfTest(
      selfTestSteps({ trayAlive: () => !tray.isDestroyed(), window: currentWebContents, service }, clock),
      clock,
    );
    const reportPath = selfTestReportPath(process.argv, join(paths.data, 'self-test.txt'));
    writeFileSync(reportPath, selfTestReportText(report, `Stripe Sync for Sage 500 ${app.getVersion()} self-test (${process.platform})`));
    log.info({ report, reportPath }, 'Self-test finished');
    app.exit(selfTestExitCode(report));
  }
};

if (!app.requestSingleInstanceLock()) {
  // Another copy is running: it receives `second-instance` and shows its window.
  app.quit();
} else {
  void app.whenReady().then(start);
}
