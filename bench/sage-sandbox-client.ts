import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppLockBusyError,
  SqlExecutionError,
  type BatchResult,
  type BatchStep,
  type ParameterBinding,
  type ProcedureArg,
  type SagePort,
  type SqlFailureKind,
  type SqlParams,
  type SqlRow,
  type SqlSession,
} from '../main/adapters/sage/sql-port.js';
import type { SandboxReply, SandboxRequest, SerializedError } from './sage-sandbox-protocol.js';

/** The Sage sandbox in a child process, and the engine's SagePort onto it. */
export interface SandboxProcess {
  port: SagePort;
  pid: number;
  /** The sandbox process's resident set now, bytes (from /proc; null off Linux). */
  rssBytes(): number | null;
  /** Lets the process go if the port was not closed (a failed run): it exits when its channel closes. */
  stop(): void;
}

/** The error the sandbox threw, as its own class again: the writer classifies Sage failures by it. */
function revive(error: SerializedError): Error {
  if (error.name === 'SqlExecutionError') return new SqlExecutionError(error.message, (error.kind ?? 'other') as SqlFailureKind, error.statement ?? '');
  if (error.name === 'AppLockBusyError') return new AppLockBusyError(error.resource ?? '');
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

/** Drops the request's id: callers name only what the request carries. */
type Call = SandboxRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Creates the sandbox file at `path` in a child process (bench/sage-sandbox-process.ts) and
 * returns a SagePort that sends every call there: the same statements, the same procedures,
 * the same transaction boundaries as the sandbox in one process (a batch's steps travel in one
 * message, as they do to SQL Server in one T-SQL batch), with the sandbox's SQLite
 * connection, page cache and procedure emulations outside the engine's process, where SQL
 * Server is on the finance PC.
 */
export function startSandboxProcess(options: { path: string; today: string }): Promise<SandboxProcess> {
  const child: ChildProcess = fork(join(process.cwd(), 'bench', 'sage-sandbox-process.ts'), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  let nextTx = 0;
  let nextLock = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const ending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  const call = <T>(request: Call): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id } as SandboxRequest);
    });
  const end = (tx: number, commit: boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      ending.set(tx, { resolve, reject });
      child.send({ op: 'end', id: nextId++, tx, commit } satisfies SandboxRequest);
    });
  const session = (tx?: number): SqlSession => ({
    query: (sql: string, params?: SqlParams) => call<SqlRow[]>({ op: 'query', tx, sql, params }),
    execute: (sql: string, params?: SqlParams) => call<number>({ op: 'execute', tx, sql, params }),
    procedure: (name: string, args: readonly ProcedureArg[], binding?: ParameterBinding) =>
      call<Record<string, string | number | null>>({ op: 'procedure', tx, name, args, binding }),
    // One message for a batch's steps, as MssqlExecutor sends them in one T-SQL batch (the sandbox runs them one by one).
    batch: (steps: readonly BatchStep[]) => call<BatchResult[]>({ op: 'batch', tx, steps }),
  });
  const port: SagePort = {
    ...session(),
    dialect: 'sandbox',
    async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
      const tx = nextTx++;
      await call({ op: 'begin', tx });
      let result: T;
      try {
        result = await work(session(tx));
      } catch (error) {
        await end(tx, false);
        throw error;
      }
      await end(tx, true);
      return result;
    },
    async acquireAppLock(resource: string) {
      const lock = nextLock++;
      await call({ op: 'lock', lock, resource });
      return { release: () => call<void>({ op: 'unlock', lock }) };
    },
    async close() {
      await call({ op: 'close' });
      await new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
    },
  };
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the sandbox process exited with ${code}`));
    child.once('exit', onExit);
    child.on('message', (reply: SandboxReply) => {
      if (reply.type === 'ready') {
        child.off('exit', onExit);
        resolve({ port, pid: reply.pid, rssBytes: () => residentBytes(reply.pid), stop: () => child.connected && child.disconnect() });
      } else if (reply.type === 'result') {
        const waiter = pending.get(reply.id);
        pending.delete(reply.id);
        if (reply.error) waiter?.reject(revive(reply.error));
        else waiter?.resolve(reply.result);
      } else {
        const waiter = ending.get(reply.tx);
        ending.delete(reply.tx);
        if (reply.error) waiter?.reject(revive(reply.error));
        else waiter?.resolve();
      }
    });
  });
}

/** VmRSS of a process, bytes; null where /proc is not there. */
function residentBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
