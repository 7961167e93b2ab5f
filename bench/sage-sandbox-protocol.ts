/**
 * Messages between the engine's side of the Sage port (sage-sandbox-client.ts) and the
 * sandbox in its own process (sage-sandbox-process.ts): one request per port call, as SQL
 * Server receives one per round trip; a `batch` is one request too, as MssqlExecutor sends a
 * batch's steps as one T-SQL batch. Transactions are numbered by the client; `end` commits
 * or rolls back and is answered by `ended` with the transaction's outcome.
 */

export type SandboxRequest =
  | { op: 'query' | 'execute'; id: number; tx?: number; sql: string; params?: unknown }
  | { op: 'procedure'; id: number; tx?: number; name: string; args: unknown; binding?: string }
  | { op: 'batch'; id: number; tx?: number; steps: unknown }
  | { op: 'begin'; id: number; tx: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'lock'; id: number; lock: number; resource: string }
  | { op: 'unlock'; id: number; lock: number }
  | { op: 'close'; id: number };

/** An error as the sandbox threw it: the fields the writer reads to classify it (SqlExecutionError, AppLockBusyError). */
export interface SerializedError {
  name: string;
  message: string;
  kind?: string;
  statement?: string;
  resource?: string;
}

export type SandboxReply =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; result?: unknown; error?: SerializedError }
  | { type: 'ended'; tx: number; error: SerializedError | null };
