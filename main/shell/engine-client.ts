import {
  requestNames,
  type AppService,
  type EventName,
  type EventPayloads,
  type RequestName,
  type RequestPayload,
  type ResponseTypes,
} from '../../preload/contract.js';
import type { CredentialStore } from '../adapters/credentials/credential-store.js';
import { redactText } from '../adapters/logging/redact.js';
import { CodedError } from './error-result.js';
import {
  fromEngineMessageSchema,
  listenForMessages,
  type FromEngineMessage,
  type MessagePortLike,
  type ToEngineMessage,
} from './engine-protocol.js';

export interface EngineConnection {
  /** The engine's AppService, as seen from main: each call is a round trip over the port. */
  service: AppService;
  /** Settles when the engine has built its AppService, or rejects if that failed. */
  ready: Promise<void>;
  /** Fails every pending and future request, e.g. when the utilityProcess exits. */
  close(reason: string): void;
  /** Asks the engine to close its AppService and exit. */
  requestShutdown(): void;
}

interface PendingRequest {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type EventListener = (payload: unknown) => void;

/**
 * The main-process end of the engine protocol. It also answers the engine's credential
 * requests from the store main owns (keytar or safeStorage live only here).
 */
export const connectEngine = (
  port: MessagePortLike,
  credentials: CredentialStore,
  onMalformed: (issue: string) => void,
): EngineConnection => {
  const pending = new Map<number, PendingRequest>();
  const listeners = new Map<EventName, Set<EventListener>>();
  let nextId = 1;
  let closedReason: string | null = null;
  let markReady: () => void = () => undefined;
  let markFailed: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });

  const post = (message: ToEngineMessage): void => port.postMessage(message);

  const close = (reason: string): void => {
    if (closedReason !== null) return;
    closedReason = reason;
    const error = new CodedError('internal', reason);
    markFailed(error);
    for (const request of pending.values()) request.reject(error);
    pending.clear();
  };

  const answerCredentialRequest = async (message: Extract<FromEngineMessage, { kind: 'credential' }>): Promise<void> => {
    try {
      let value: string | boolean | null = null;
      if (message.operation === 'get') value = await credentials.get(message.name);
      if (message.operation === 'isSet') value = await credentials.isSet(message.name);
      if (message.operation === 'delete') await credentials.delete(message.name);
      if (message.operation === 'set') {
        if (message.value === undefined) throw new Error('No value to store.');
        await credentials.set(message.name, message.value);
      }
      post({ kind: 'credential-result', id: message.id, result: { ok: true, value } });
    } catch (error) {
      const text = error instanceof Error ? error.message : 'Credential store failed.';
      post({ kind: 'credential-result', id: message.id, result: { ok: false, message: redactText(text) } });
    }
  };

  listenForMessages(
    port,
    fromEngineMessageSchema,
    (message) => {
      switch (message.kind) {
        case 'ready':
          markReady();
          return;
        case 'init-failed':
          close(`The sync engine could not start: ${redactText(message.message)}`);
          return;
        case 'response': {
          const request = pending.get(message.id);
          pending.delete(message.id);
          if (!request) return;
          if (message.result.ok) request.resolve(message.result.value);
          else request.reject(new CodedError(message.result.error.code, message.result.error.message));
          return;
        }
        case 'event':
          listeners.get(message.name)?.forEach((listener) => listener(message.payload));
          return;
        case 'credential':
          void answerCredentialRequest(message);
          return;
      }
    },
    onMalformed,
  );
  port.start();

  const call = <N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseTypes[N]> => {
    if (closedReason !== null) return Promise.reject(new CodedError('internal', closedReason));
    const id = nextId++;
    return new Promise<ResponseTypes[N]>((resolve, reject) => {
      // The engine answers `name` with ResponseTypes[N]: both ends are built from one contract.
      pending.set(id, { resolve: (value) => resolve(value as ResponseTypes[N]), reject });
      post({ kind: 'request', id, name, payload });
    });
  };

  const requestMethods = Object.fromEntries(
    requestNames.map((name) => [name, (payload: RequestPayload<typeof name>) => call(name, payload)]),
  ) as Omit<AppService, 'onEvent'>;

  const service: AppService = {
    ...requestMethods,
    onEvent<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void {
      // Event payloads come from the engine's own AppService.onEvent for the same name.
      const untyped = listener as EventListener;
      const set = listeners.get(name) ?? new Set<EventListener>();
      set.add(untyped);
      listeners.set(name, set);
      return () => void set.delete(untyped);
    },
  };

  return { service, ready, close, requestShutdown: () => post({ kind: 'shutdown' }) };
};
