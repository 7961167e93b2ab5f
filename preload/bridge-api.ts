import {
  eventChannel,
  eventNames,
  requestChannel,
  requestNames,
  type BridgeApi,
  type EventName,
  type EventPayloads,
  type RequestName,
  type RequestPayload,
  type ResponseTypes,
  type Result,
} from './contract.js';

/** The part of ipcRenderer the bridge uses. The raw object is never exposed to the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

const isRequestName = (name: unknown): name is RequestName =>
  typeof name === 'string' && (requestNames as readonly string[]).includes(name);
const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && (eventNames as readonly string[]).includes(name);

/**
 * `window.s5sync`: exactly `request` and `subscribe`, reaching only the contract's channels.
 * The page is untrusted input too (its JavaScript can pass anything), so names are checked at
 * runtime, and listeners receive the payload only, never Electron's IpcRendererEvent.
 */
export const createBridgeApi = (ipc: IpcRendererLike): BridgeApi => ({
  request: async <N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<Result<ResponseTypes[N]>> => {
    if (!isRequestName(name)) {
      return { ok: false, error: { code: 'invalid-request', message: `Unknown request: ${String(name)}` } };
    }
    try {
      // Main's handler for this channel always resolves to Result<ResponseTypes[N]> (ipc-handlers.ts).
      return (await ipc.invoke(requestChannel(name), payload)) as Result<ResponseTypes[N]>;
    } catch {
      return { ok: false, error: { code: 'internal', message: `The app did not answer ${name}.` } };
    }
  },
  subscribe: <E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): (() => void) => {
    if (!isEventName(name)) throw new TypeError(`Unknown event: ${String(name)}`);
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
    const channel = eventChannel(name);
    // Main sends EventPayloads[E] on this channel (event-forwarding.ts).
    const relay = (_event: unknown, payload: unknown): void => listener(payload as EventPayloads[E]);
    ipc.on(channel, relay);
    return () => void ipc.removeListener(channel, relay);
  },
});
