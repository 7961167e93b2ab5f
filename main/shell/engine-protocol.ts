import { z } from 'zod';
import { errorCodes, eventNames, requestNames } from '../../preload/contract.js';
import { isCredentialAccount, type CredentialAccount } from '../adapters/credentials/credential-store.js';

/**
 * Messages between main and the engine utilityProcess over a MessagePort. Requests carry the
 * same Result envelope as the window's IPC. The engine has no safeStorage (a main-process-only
 * API), so it reaches the credential store through main with `credential` messages.
 * Every message is parsed with zod on arrival: a malformed one is dropped, never trusted.
 */

const errorCode = z.enum(errorCodes);

const resultEnvelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: errorCode, message: z.string() }) }),
]);

export const engineInitSchema = z.object({
  kind: z.literal('init'),
  dataDirectory: z.string().min(1),
  logsDirectory: z.string().min(1),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']),
  credentialBackend: z.string(),
  /** Why the OS credential store is not used (a fallback store is), or null. */
  credentialFallback: z.string().nullable().default(null),
});
export type EngineInit = z.infer<typeof engineInitSchema>;

const credentialOperation = z.enum(['get', 'set', 'delete', 'isSet']);
export type CredentialOperation = z.infer<typeof credentialOperation>;

/** main → engine */
export const toEngineMessageSchema = z.discriminatedUnion('kind', [
  // Close the ledger cleanly and exit; main kills the process if this takes too long.
  z.object({ kind: z.literal('shutdown') }),
  z.object({ kind: z.literal('request'), id: z.number().int(), name: z.enum(requestNames), payload: z.unknown() }),
  z.object({
    kind: z.literal('credential-result'),
    id: z.number().int(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.union([z.string(), z.boolean(), z.null()]) }),
      z.object({ ok: z.literal(false), message: z.string() }),
    ]),
  }),
]);
export type ToEngineMessage = z.infer<typeof toEngineMessageSchema>;

/** engine → main */
export const fromEngineMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  z.object({ kind: z.literal('init-failed'), message: z.string() }),
  z.object({ kind: z.literal('response'), id: z.number().int(), result: resultEnvelope }),
  z.object({ kind: z.literal('event'), name: z.enum(eventNames), payload: z.unknown() }),
  z.object({
    kind: z.literal('credential'),
    id: z.number().int(),
    operation: credentialOperation,
    name: z.custom<CredentialAccount>(isCredentialAccount, 'not a credential account'),
    value: z.string().optional(),
  }),
]);
export type FromEngineMessage = z.infer<typeof fromEngineMessageSchema>;

/** The MessagePort surface both ends use (Electron's MessagePortMain satisfies it). */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
}

export const listenForMessages = <T>(
  port: MessagePortLike,
  schema: z.ZodType<T>,
  onMessage: (message: T) => void,
  onMalformed: (issue: string) => void,
): void => {
  port.on('message', ({ data }) => {
    const parsed = schema.safeParse(data);
    if (parsed.success) onMessage(parsed.data);
    else onMalformed(z.prettifyError(parsed.error));
  });
};
