import { eventNames, type AppService } from '../../preload/contract.js';
import type { CredentialAccount, CredentialStore } from '../adapters/credentials/credential-store.js';
import { redactText } from '../adapters/logging/redact.js';
import { callService } from './call-service.js';
import {
  listenForMessages,
  toEngineMessageSchema,
  type CredentialOperation,
  type FromEngineMessage,
  type MessagePortLike,
} from './engine-protocol.js';

interface PendingCredential {
  resolve(value: string | boolean | null): void;
  reject(error: Error): void;
}

/**
 * The engine-process end of the protocol: builds the AppService (with a credential store that
 * asks main), answers requests with Result envelopes and pushes the service's events. Requests
 * that arrive while the service is still being built wait for it.
 */
export const serveEngine = <Service extends AppService>(
  port: MessagePortLike,
  options: {
    credentialBackend: string;
    credentialFallback?: string | null;
    createService: (credentials: CredentialStore) => Promise<Service>;
    /** Runs on main's `shutdown` message once the service exists (close the ledger, exit). */
    onShutdown: (service: Service) => Promise<void>;
    onMalformed: (issue: string) => void;
  },
): Promise<Service> => {
  const post = (message: FromEngineMessage): void => port.postMessage(message);
  const pendingCredentials = new Map<number, PendingCredential>();
  let nextCredentialId = 1;

  const askMain = (operation: CredentialOperation, name: CredentialAccount, value?: string) =>
    new Promise<string | boolean | null>((resolve, reject) => {
      const id = nextCredentialId++;
      pendingCredentials.set(id, { resolve, reject });
      post({ kind: 'credential', id, operation, name, ...(value === undefined ? {} : { value }) });
    });

  const credentials: CredentialStore = {
    backendName: options.credentialBackend,
    fallbackReason: options.credentialFallback ?? null,
    get: async (name) => {
      const value = await askMain('get', name);
      return typeof value === 'string' ? value : null;
    },
    set: async (name, value) => void (await askMain('set', name, value)),
    delete: async (name) => void (await askMain('delete', name)),
    isSet: async (name) => (await askMain('isSet', name)) === true,
  };

  const servicePromise = options.createService(credentials);
  servicePromise.then(
    (service) => {
      for (const name of eventNames) service.onEvent(name, (payload) => post({ kind: 'event', name, payload }));
      post({ kind: 'ready' });
    },
    (error: unknown) => {
      post({ kind: 'init-failed', message: redactText(error instanceof Error ? error.message : String(error)) });
    },
  );

  listenForMessages(
    port,
    toEngineMessageSchema,
    (message) => {
      if (message.kind === 'credential-result') {
        const pending = pendingCredentials.get(message.id);
        pendingCredentials.delete(message.id);
        if (!pending) return;
        if (message.result.ok) pending.resolve(message.result.value);
        else pending.reject(new Error(message.result.message));
        return;
      }
      if (message.kind === 'shutdown') {
        void servicePromise.then(options.onShutdown, () => undefined);
        return;
      }
      void servicePromise
        .then((service) => callService(service, message.name, message.payload))
        .then(
          (result) => post({ kind: 'response', id: message.id, result }),
          // Only reached when the service never started; main already knows from init-failed.
          () => post({ kind: 'response', id: message.id, result: { ok: false, error: { code: 'internal', message: 'The sync engine did not start.' } } }),
        );
    },
    options.onMalformed,
  );
  port.start();
  return servicePromise;
};
