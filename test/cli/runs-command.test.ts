import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import type { RunView } from '../../preload/contract.js';
import { openBooks, type SimulatedBooks } from '../support/simulated-books.js';

/**
 * `s5sync runs` after a backfill and a quiet second run: one line per run, newest first, with
 * the counts the ledger's runs table holds (read straight from the file, not through the query).
 */
describe('s5sync runs', () => {
  let books: SimulatedBooks;

  beforeAll(async () => {
    books = await openBooks({ seed: 7, days: 4 }, 's5sync-runs-');
    await books.sync();
    await books.sync();
  }, 120_000);

  afterAll(async () => {
    await books?.close();
  });

  const runs = async (...extra: string[]): Promise<string[]> => {
    const out: string[] = [];
    expect(await main(['runs', ...extra, '--config', books.configPath], (line) => out.push(line))).toBe(0);
    return out;
  };

  it('lists each run newest first with what it read, wrote and parked, and says when nothing was new', async () => {
    const rows = books.ledgerSql<{ run_id: number; objects_seen: number; documents_written: number }>('SELECT run_id, objects_seen, documents_written FROM runs ORDER BY run_id DESC');
    expect(rows).toHaveLength(2);
    const lines = await runs();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^#${rows[0]!.run_id} .* Finished.*: No new Stripe activity\\.`));
    expect(rows[1]!.objects_seen).toBeGreaterThan(1);
    expect(lines[1]).toContain(`Read ${rows[1]!.objects_seen.toLocaleString('en-US')} Stripe records, wrote ${rows[1]!.documents_written.toLocaleString('en-US')} documents to Sage`);
  });

  it('pages with --limit and answers JSON for scripts', async () => {
    const limited = await runs('--limit', '1');
    expect(limited[1]).toBe('… 1 older run (--limit N shows more)');
    const json = JSON.parse((await runs('--json')).join('\n')) as { runs: RunView[]; total: number };
    expect(json.total).toBe(2);
    expect(json.runs.map((run) => run.outcome)).not.toContain(null);
    expect(json.runs[1]!.read).toBe(books.ledgerSql<{ n: number }>('SELECT objects_seen AS n FROM runs ORDER BY run_id LIMIT 1')[0]!.n);
  });
});
