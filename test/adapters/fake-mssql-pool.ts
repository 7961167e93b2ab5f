import type sql from 'mssql';
import type { MssqlPool } from '../../main/adapters/sage/mssql-executor.js';

/**
 * A stand-in for an mssql ConnectionPool (no SQL Server exists here) that models what the
 * executor's guards depend on: each connection keeps its own session settings (XACT_ABORT)
 * and application locks; a transaction holds one connection and hands it back on commit or
 * rollback, and when the server aborts a transaction (XACT_ABORT) the connection goes back to
 * the pool by itself, as mssql does; a closed connection loses its session's locks.
 */
export interface FakeConnection {
  id: number;
  xactAbort: boolean;
  locks: Set<string>;
  closed: boolean;
}

export interface ExecutedText {
  connection: number;
  text: string;
  /** XACT_ABORT on that connection when the text ran (after any SET in the same batch). */
  xactAbort: boolean;
}

export class FakeMssqlPool implements MssqlPool {
  readonly connections: FakeConnection[] = [];
  readonly executed: ExecutedText[] = [];
  private readonly idle: FakeConnection[] = [];
  private nextId = 1;
  /** Statements containing this text fail, aborting the transaction they run in. */
  failOn: string | null = null;

  private take(): FakeConnection {
    const connection = this.idle.pop() ?? { id: this.nextId++, xactAbort: false, locks: new Set<string>(), closed: false };
    if (!this.connections.includes(connection)) this.connections.push(connection);
    return connection;
  }

  private give(connection: FakeConnection): void {
    if (!connection.closed) this.idle.push(connection);
  }

  /** The connection the next pooled request will use. */
  peekIdle(): FakeConnection | undefined {
    return this.idle[this.idle.length - 1];
  }

  /** The server or network ends a session: its locks go with it, the pool opens a new one. */
  dropIdleConnections(): void {
    for (const connection of this.idle.splice(0)) {
      connection.closed = true;
      connection.locks.clear();
    }
  }

  run(connection: FakeConnection, text: string, inputs: Map<string, unknown>): Record<string, unknown>[] {
    // A SET at the head of a batch has taken effect when a later statement of the batch fails.
    for (const match of text.matchAll(/SET XACT_ABORT (ON|OFF)/g)) connection.xactAbort = match[1] === 'ON';
    if (this.failOn !== null && text.includes(this.failOn)) throw Object.assign(new Error(`fake failure on ${this.failOn}`), { number: 547 });
    this.executed.push({ connection: connection.id, text, xactAbort: connection.xactAbort });
    if (text.startsWith('SELECT APPLOCK_MODE')) return [{ LockMode: connection.locks.has(String(inputs.get('resource'))) ? 'Exclusive' : 'NoLock' }];
    return [];
  }

  request(): sql.Request {
    return new FakeRequest(this, () => this.take(), (connection) => this.give(connection)) as unknown as sql.Request;
  }

  transaction(): sql.Transaction {
    return new FakeTransaction(this) as unknown as sql.Transaction;
  }

  acquire(): FakeConnection {
    return this.take();
  }

  release(connection: FakeConnection): void {
    this.give(connection);
  }

  close(): Promise<void> {
    for (const connection of [...this.connections]) {
      connection.closed = true;
      connection.locks.clear();
    }
    this.idle.splice(0);
    return Promise.resolve();
  }
}

class FakeRequest {
  private readonly inputs = new Map<string, unknown>();
  private readonly outputs = new Set<string>();

  constructor(
    private readonly pool: FakeMssqlPool,
    private readonly acquire: () => FakeConnection,
    private readonly release: (connection: FakeConnection) => void,
    private readonly failed: (connection: FakeConnection) => void = () => undefined,
  ) {}

  input(name: string, _type: unknown, value: unknown): this {
    this.inputs.set(name, value);
    return this;
  }

  output(name: string, _type: unknown, value: unknown): this {
    this.outputs.add(name);
    this.inputs.set(name, value);
    return this;
  }

  private around<T>(work: (connection: FakeConnection) => T): Promise<T> {
    const connection = this.acquire();
    try {
      return Promise.resolve(work(connection));
    } catch (error) {
      this.failed(connection);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.release(connection);
    }
  }

  query(text: string): Promise<unknown> {
    return this.around((connection) => {
      const recordset = this.pool.run(connection, text, this.inputs);
      const output: Record<string, unknown> = {};
      for (const name of this.outputs) output[name] = 1;
      return { recordset, rowsAffected: [0], output };
    });
  }

  batch(text: string): Promise<unknown> {
    return this.query(text);
  }

  execute(procedure: string): Promise<unknown> {
    return this.around((connection) => {
      this.pool.run(connection, `EXEC ${procedure}`, this.inputs);
      const resource = String(this.inputs.get('Resource'));
      if (procedure === 'sp_getapplock') {
        const heldElsewhere = this.pool.connections.some((other) => other !== connection && !other.closed && other.locks.has(resource));
        if (heldElsewhere) return { returnValue: -1 };
        connection.locks.add(resource);
      }
      if (procedure === 'sp_releaseapplock') connection.locks.delete(resource);
      return { returnValue: 0 };
    });
  }
}

class FakeTransaction {
  private connection: FakeConnection | null = null;

  constructor(private readonly pool: FakeMssqlPool) {}

  begin(): Promise<void> {
    this.connection = this.pool.acquire();
    return Promise.resolve();
  }

  request(): FakeRequest {
    return new FakeRequest(
      this.pool,
      () => {
        if (!this.connection) throw new Error('Transaction has been aborted.');
        return this.connection;
      },
      () => undefined,
      // A failing statement under XACT_ABORT: the server rolls back and mssql releases the connection.
      (connection) => {
        if (connection.xactAbort) this.abort();
      },
    );
  }

  commit(): Promise<void> {
    return this.finish();
  }

  rollback(): Promise<void> {
    return this.finish();
  }

  private abort(): void {
    if (this.connection) this.pool.release(this.connection);
    this.connection = null;
  }

  private finish(): Promise<void> {
    if (!this.connection) return Promise.reject(new Error('Transaction has been aborted.'));
    this.pool.release(this.connection);
    this.connection = null;
    return Promise.resolve();
  }
}
