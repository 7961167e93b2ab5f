import { runBatch, type BatchStep, type ParameterBinding, type ProcedureArg, type SagePort, type SqlParams, type SqlSession } from '../main/adapters/sage/sql-port.js';
import { createSandbox, openSandbox } from '../main/simulators/sage-sandbox/sandbox.js';
import type { SandboxReply, SandboxRequest, SerializedError } from './sage-sandbox-protocol.js';

/**
 * The Sage 500 sandbox in its own process, as SQL Server is on the finance PC: the engine's
 * process holds only its side of the port, so the bench's RSS is the engine's alone. Started
 * with `fork` by bench/sage-sandbox-client.ts; creates the sandbox file, then answers the
 * port's calls (sage-sandbox-protocol.ts) on the sandbox's own SagePort, unchanged: its
 * serial queue, BEGIN IMMEDIATE transactions and app lock file behave as in one process.
 */

const options = JSON.parse(process.argv[2] ?? '{}') as { path: string; today: string };
createSandbox(options.path, { today: options.today });
const port: SagePort = openSandbox(options.path);

/** Open transactions by the client's number: the session to run on, and how to end the work. */
const transactions = new Map<number, { session: SqlSession; end(commit: boolean): void }>();
const locks = new Map<number, { release(): Promise<void> }>();
/** Thrown inside a transaction's work to roll it back at the client's word (the client rethrows its own error). */
const ROLLBACK = new Error('rolled back by the client');

const send = (reply: SandboxReply): void => {
  process.send?.(reply);
};

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = error as Error & { kind?: string; statement?: string; resource?: string };
  return { name: error.name, message: error.message, kind: fields.kind, statement: fields.statement, resource: fields.resource };
}

function sessionOf(request: { tx?: number }): SqlSession {
  if (request.tx === undefined) return port;
  const open = transactions.get(request.tx);
  if (!open) throw new Error(`transaction ${request.tx} is not open`);
  return open.session;
}

async function answer(request: SandboxRequest): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return sessionOf(request).query(request.sql, request.params as SqlParams | undefined);
    case 'execute':
      return sessionOf(request).execute(request.sql, request.params as SqlParams | undefined);
    case 'procedure':
      return sessionOf(request).procedure(request.name, request.args as ProcedureArg[], request.binding as ParameterBinding | undefined);
    case 'batch':
      // The steps one by one, in order, on the same session: the sandbox's SagePort has no batch of its own.
      return runBatch(sessionOf(request), request.steps as BatchStep[]);
    case 'begin': {
      // Answers once the transaction holds the sandbox (BEGIN IMMEDIATE ran); its end answers the client's commit or rollback.
      const tx = request.tx;
      return new Promise<null>((begun, failedToBegin) => {
        let ended: (commit: boolean) => void = () => undefined;
        const outcome = port.transaction(async (session) => {
          const commit = new Promise<boolean>((resolve) => {
            ended = resolve;
          });
          transactions.set(tx, { session, end: (yes) => ended(yes) });
          begun(null);
          if (!(await commit)) throw ROLLBACK;
        });
        outcome.then(
          () => settle(tx, null),
          (error: unknown) => (transactions.has(tx) ? settle(tx, error) : failedToBegin(error)),
        );
      });
    }
    case 'lock': {
      locks.set(request.lock, await port.acquireAppLock(request.resource));
      return null;
    }
    case 'unlock': {
      await locks.get(request.lock)?.release();
      locks.delete(request.lock);
      return null;
    }
    case 'close':
      await port.close();
      return null;
  }
}

/** A transaction's end (commit or rollback) reported as the answer to its own number. */
function settle(tx: number, error: unknown): void {
  transactions.delete(tx);
  if (error === null || error === ROLLBACK) send({ type: 'ended', tx, error: null });
  else send({ type: 'ended', tx, error: serialize(error) });
}

process.on('message', (request: SandboxRequest) => {
  // A transaction's end is answered by its outcome (settle): the commit itself may fail.
  if (request.op === 'end') {
    const open = transactions.get(request.tx);
    if (open) open.end(request.commit);
    else send({ type: 'ended', tx: request.tx, error: { name: 'Error', message: `transaction ${request.tx} is not open` } });
    return;
  }
  answer(request).then(
    (result) => {
      send({ type: 'result', id: request.id, result });
      if (request.op === 'close') process.disconnect();
    },
    (error: unknown) => send({ type: 'result', id: request.id, error: serialize(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
