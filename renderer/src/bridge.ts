import type { BridgeApi, EventName, EventPayloads, RequestName, RequestPayload, ResponseTypes } from '../../preload/contract.js';

/**
 * The window's only way to the engine: `window.s5sync`, exposed by the preload. Requests
 * resolve to the Result envelope; `call` unwraps it and throws the message for the views.
 */
declare global {
  interface Window {
    s5sync?: BridgeApi;
  }
}

function bridge(): BridgeApi {
  if (!window.s5sync) throw new Error('The Stripe Sync bridge is missing: open this window from the tray app.');
  return window.s5sync;
}

export class BridgeError extends Error {}

export async function call<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseTypes[N]> {
  const result = await bridge().request(name, payload);
  if (!result.ok) throw new BridgeError(result.error.message);
  return result.value;
}

export function subscribe<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void {
  return bridge().subscribe(name, listener);
}
