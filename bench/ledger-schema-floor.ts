import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpuMsSince } from './ledger-cost.js';

/**
 * What the ledger's schema costs to fill, apart from everything the engine does with it (issue
 * #19, item 5): every row the backfill left in the ledger, inserted once into a fresh file with
 * the ledger's own tables and indexes, in one WAL transaction, in a shuffled order (the engine
 * stores rows as Stripe hands them over, under random ids, not in key order). Against the
 * floor (ledger-cost.ts: as many rows of the same average size, appended in key order to one
 * table) it shows how much of target 5's ratio the schema takes before a single read, update
 * or commit of the engine's; the ledger's measured cost less this is what the engine's use of
 * it adds.
 *
 * Foreign keys are off (better-sqlite3 turns them on by default): rows go in shuffled, so a child
 * may come before its parent.
 */
export function schemaFloorMs(dir: string, ledgerPath: string): { ms: number; cpuMs: number; all: { ms: number; cpuMs: number }[] } {
  const source = new Database(ledgerPath, { readonly: true });
  let tables: { name: string; sql: string; rows: unknown[][] }[];
  let indexes: string[];
  try {
    tables = (source.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[]).map(
      (table) => ({ ...table, rows: source.prepare(`SELECT * FROM "${table.name}"`).raw().all() as unknown[][] }),
    );
    indexes = (source.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").all() as { sql: string }[]).map((row) => row.sql);
  } finally {
    source.close();
  }
  const all = [0, 1, 2].map((attempt) => fillOnce(join(dir, `schema-floor-${attempt}.sqlite`), tables, indexes));
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1]!;
  return { ms: median(all.map((run) => run.ms)), cpuMs: median(all.map((run) => run.cpuMs)), all };
}

function fillOnce(path: string, tables: { name: string; sql: string; rows: unknown[][] }[], indexes: string[]): { ms: number; cpuMs: number } {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    for (const table of tables) db.exec(table.sql);
    for (const index of indexes) db.exec(index);
    const inserts: { insert: Database.Statement; row: unknown[] }[] = [];
    for (const table of tables) {
      if (table.rows.length === 0) continue;
      const insert = db.prepare(`INSERT INTO "${table.name}" VALUES (${table.rows[0]!.map(() => '?').join(', ')})`);
      for (const row of table.rows) inserts.push({ insert, row });
    }
    shuffle(inserts);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    db.transaction(() => {
      for (const { insert, row } of inserts) insert.run(row);
    })();
    const ms = performance.now() - t0;
    return { ms, cpuMs: cpuMsSince(cpu0) };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
}

/** Fisher–Yates with a fixed 32-bit linear congruential sequence: the same order in every run. */
function shuffle<T>(items: T[]): void {
  let state = 7;
  for (let i = items.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
