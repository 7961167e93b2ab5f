import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from '../../main/simulators/stripe/stripe-simulator.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';
import type { Clock } from '../../main/core/ports/clock.js';

/**
 * The product against real parts, as the integration tests use it: a Stripe simulator over
 * loopback HTTP, a fresh Sage 500 sandbox, a config file and a ledger, with the engine's clock
 * following the simulator's. Each sync() opens the runtime as the CLI does and closes it.
 */
export interface SimulatedBooks {
  simulator: StripeSimulator;
  dir: string;
  configPath: string;
  sandboxPath: string;
  sync(): Promise<RunSummary>;
  /** Read-only SQL on the ledger file. */
  ledgerSql<T>(sql: string, ...params: unknown[]): T[];
  /** Read-only SQL on the Sage sandbox (money columns are integer thousandths there). */
  sageSql<T>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

export interface BooksOptions extends StripeSimulatorOptions {
  /** Config keys merged over the default test config (e.g. `mapping`, `sync`). */
  config?: Record<string, unknown>;
}

export async function openBooks(options: BooksOptions, prefix = 's5sync-books-'): Promise<SimulatedBooks> {
  const { config: overrides, ...simulatorOptions } = options;
  const simulator = await startStripeSimulator(simulatorOptions);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const sandboxPath = join(dir, 'sage.sqlite');
  createSandbox(sandboxPath, { today: new Date(simulator.now() * 1000).toISOString().slice(0, 10) });
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      dataDir: './data',
      stripe: { apiBase: simulator.apiBase, apiKey: simulator.apiKey, requestsPerSecond: null },
      sage: { kind: 'sandbox', path: './sage.sqlite' },
      sync: { backfillDays: (options.days ?? 30) + 5 },
      ...overrides,
    }),
  );
  const clock: Clock = { now: () => simulator.now() * 1000, sleep: (ms) => new Promise((done) => setTimeout(done, ms)) };
  const read = <T>(path: string, sql: string, params: unknown[]): T[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  return {
    simulator,
    dir,
    configPath,
    sandboxPath,
    async sync() {
      const config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), dir);
      const runtime = await openRuntime(config, {}, { clock });
      try {
        return await runtime.engine.runOnce();
      } finally {
        await runtime.close();
      }
    },
    ledgerSql: (sql, ...params) => read(join(dir, 'data', 'ledger.sqlite'), sql, params),
    sageSql: (sql, ...params) => read(sandboxPath, sql, params),
    close: () => simulator.close(),
  };
}
