import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseConfig } from '../../main/adapters/config/config-file.js';
import { unmaskAccountNo } from '../../main/adapters/sage/gl-checks.js';
import { createSandbox } from '../../main/adapters/sage/sandbox/sandbox.js';
import { startStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from '../../main/adapters/stripe-simulator/stripe-simulator.js';
import { openRuntime } from '../../main/app/open-runtime.js';
import { DEFAULT_MAPPING } from '../../main/core/mapping/default-mapping.js';
import type { Clock } from '../../main/core/ports/clock.js';
import type { RunSummary } from '../../main/core/engine/engine-events.js';

/**
 * A Stripe simulator, a fresh Sage 500 sandbox and a ledger, wired as in production (the
 * engine talks to the simulator over loopback HTTP and writes through the real journal
 * writer), plus the questions a reconciliation test asks of them in plain SQL.
 */

/** As Sage stores them, without the mask. */
export const CLEARING = unmaskAccountNo(DEFAULT_MAPPING.accounts.clearing);
export const BANK = unmaskAccountNo(DEFAULT_MAPPING.accounts.bank);

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
  /** Ledger documents of a payout: those booking its listed transactions and its own journals. */
  payoutDocKeys(payoutId: string): string[];
  /** Sum of a payout's journal lines on an account in Sage, in thousandths; `ownOnly` keeps the payout's own journals. */
  sageSum(payoutId: string, acctNo: string, ownOnly: boolean): number;
  close(): Promise<void>;
}

export async function openSimulatedBooks(options: StripeSimulatorOptions): Promise<SimulatedBooks> {
  const simulator = await startStripeSimulator(options);
  const dir = mkdtempSync(join(tmpdir(), 's5sync-recon-'));
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
  const books: SimulatedBooks = {
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
    payoutDocKeys(payoutId) {
      return books
        .ledgerSql<{ doc_key: string }>(
          `SELECT DISTINCT t.doc_key FROM document_traces t JOIN balance_transactions b ON b.id = t.trace_id WHERE b.payout_id = ?
           UNION SELECT doc_key FROM documents WHERE stripe_object_id = ?`,
          payoutId,
          payoutId,
        )
        .map((row) => row.doc_key);
    },
    sageSum(payoutId, acctNo, ownOnly) {
      const keys = ownOnly ? books.ledgerSql<{ doc_key: string }>('SELECT doc_key FROM documents WHERE stripe_object_id = ?', payoutId).map((row) => row.doc_key) : books.payoutDocKeys(payoutId);
      if (keys.length === 0) return 0;
      const [row] = books.sageSql<{ total: number | null }>(
        `SELECT SUM(d.PostAmt) AS total FROM tglJournalDetl d
         JOIN tciStripeXref_STRIPE x ON x.SageTable = 'tglJournalHdr' AND x.SageKey = d.JrnlHdrKey
         JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
         WHERE a.GLAcctNo = ? AND x.DocKey IN (${keys.map(() => '?').join(', ')})`,
        acctNo,
        ...keys,
      );
      return row?.total ?? 0;
    },
    close: () => simulator.close(),
  };
  return books;
}
