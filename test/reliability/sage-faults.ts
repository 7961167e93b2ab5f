/**
 * Sage executor faults injected at the one narrow port every Sage statement goes through:
 * the wrapper throws SqlExecutionError kind 'transient' with the messages SQL Server gives
 * (connection lost, deadlock victim, timeout) on chosen calls, inside or after transactions.
 */
import { SqlExecutionError, type SagePort, type SqlSession } from '../../main/adapters/sage/sql-port.js';

export type SageCall = 'query' | 'execute' | 'procedure' | 'begin' | 'commit';

export interface SageFaultPlan {
  /** Decides, for the nth call of a kind (1-based, counted across the port), whether it fails and how. */
  fail(call: SageCall, n: number, statement: string): string | null;
}

export const TRANSIENT_MESSAGES = [
  'Connection lost - read ECONNRESET',
  'Transaction (Process ID 57) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.',
  'Timeout: Request failed to complete in 15000ms',
] as const;

export interface FaultCounters {
  calls: Record<SageCall, number>;
  injected: number;
}

/**
 * Patches the port instance in place (the SageWriter holds the same object). 'commit'
 * faults let the transaction commit and then report a lost connection, the case where the
 * client cannot know whether Sage kept the document.
 */
export function injectSageFaults(port: SagePort, plan: SageFaultPlan): FaultCounters {
  const counters: FaultCounters = { calls: { query: 0, execute: 0, procedure: 0, begin: 0, commit: 0 }, injected: 0 };
  const check = (call: SageCall, statement: string): void => {
    counters.calls[call]++;
    const message = plan.fail(call, counters.calls[call], statement);
    if (message !== null) {
      counters.injected++;
      throw new SqlExecutionError(message, 'transient', statement);
    }
  };
  const wrapSession = (session: SqlSession): SqlSession => ({
    query: async (sql, params) => {
      check('query', sql);
      return session.query(sql, params);
    },
    execute: async (sql, params) => {
      check('execute', sql);
      return session.execute(sql, params);
    },
    procedure: async (name, args, binding) => {
      check('procedure', `EXEC ${name}`);
      return session.procedure(name, args, binding);
    },
  });
  const original = {
    query: port.query.bind(port),
    execute: port.execute.bind(port),
    procedure: port.procedure.bind(port),
    transaction: port.transaction.bind(port),
  };
  const outside = wrapSession(original);
  port.query = outside.query;
  port.execute = outside.execute;
  port.procedure = outside.procedure;
  port.transaction = async <T>(work: (tx: SqlSession) => Promise<T>): Promise<T> => {
    check('begin', 'BEGIN TRANSACTION');
    const result = await original.transaction((tx) => work(wrapSession(tx)));
    check('commit', 'COMMIT TRANSACTION');
    return result;
  };
  return counters;
}

/** Every Sage call fails: the server is unreachable. */
export const SAGE_DOWN: SageFaultPlan = { fail: () => TRANSIENT_MESSAGES[0] };
