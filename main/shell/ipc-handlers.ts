import { requestChannel, requestNames, type AppService } from '../../preload/contract.js';
import { callService } from './call-service.js';
import { failure } from './error-result.js';
import type { InvokeEventLike, TrustedSenders } from './trusted-sender.js';

/** The part of Electron's ipcMain used here; tests pass a fake, main.ts passes the real one. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcWarningLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * Registers one `ipcMain.handle` per contract request. Every call resolves to a Result
 * envelope: Electron would otherwise pass only an Error's message to the renderer, and the UI
 * needs the code. Returns a function that removes the handlers.
 */
export const registerRequestHandlers = (
  ipcMain: IpcMainLike,
  service: AppService,
  trustedSenders: TrustedSenders,
  log: IpcWarningLog,
): (() => void) => {
  for (const name of requestNames) {
    ipcMain.handle(requestChannel(name), async (event, ...args) => {
      if (!trustedSenders.isTrusted(event)) {
        log.warn({ request: name, url: event.senderFrame?.url ?? null }, 'IPC request from an untrusted sender refused');
        return failure('untrusted-sender', 'This request did not come from the app window.');
      }
      // The bridge sends exactly one payload argument; extra arguments mean a caller bypassed it.
      if (args.length > 1) return failure('invalid-request', `Invalid ${name} request: one payload expected.`);
      return callService(service, name, args[0]);
    });
  }
  return () => {
    for (const name of requestNames) ipcMain.removeHandler(requestChannel(name));
  };
};
