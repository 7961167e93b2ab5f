import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../main/cli/s5sync.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import { openSimulatedBooks, BANK, CLEARING, IN_TRANSIT, type PayoutBooks } from '../reconciliation/simulated-books.js';
import type { StripePayout } from '../../main/core/stripe/objects.js';

/**
 * "Accept Sage's journal" end to end, through `s5sync accept`, the Stripe simulator over loopback
 * and the Sage sandbox. The ledger is lost after a sync and rebuilt by syncing again under a
 * changed mapping (revenue 4000-00 → 4010-00). Meanwhile a Sage user started posting the first
 * sync's batches (tciBatchLog Status 5, PostStatus 100: being posted, S6; their lines still
 * pending), so every charge journal Sage holds is refused with the refusal Accept answers
 * (core/sage/found-journal.ts: a journal in an open batch is corrected in Sage instead), and every paid payout holding those charges waits, its journal to
 * the bank not planned ("not booked in Sage yet"). The bookkeeper enters the revenue difference
 * in Sage (here: says so) and accepts Sage's journals; the next sync proves the payouts and plans
 * their journals to the bank, which Sage already holds and which are adopted. Every expectation
 * about Sage is read from Sage's tables by SQL here, and the payouts' amounts from Stripe's
 * payout objects.
 */

const SEED = 23;
const REASON = 'revenue moved to 4010-00 by journal entry 77 in Sage';
/** The one paid payout of seed 23's four days (two more are pending): 343,270 cents. */
const PAYOUT = 'po_IRLgtdrGjLWNxEZ8peDUKBm5';

describe("Accept Sage's journal: the payouts its refusals held back are planned", () => {
  let books: PayoutBooks;
  let refused: string[];
  let waiting: StripePayout[];

  const cli = async (...args: string[]): Promise<{ code: number; text: string }> => {
    const lines: string[] = [];
    const code = await main([...args, '--config', books.configPath], (line) => lines.push(line));
    return { code, text: lines.join('\n') };
  };
  const issue = (objectId: string) => books.ledgerSql<{ message: string }>('SELECT message FROM object_issues WHERE object_id = ?', objectId)[0]?.message;
  /** A payout's journals in Sage by (unmasked) account, in thousandths, read through the cross-reference. */
  const sageJournalLines = (docKey: string) =>
    books.sageSql<{ acct: string; amount: number }>(
      `SELECT a.GLAcctNo AS acct, d.PostAmt AS amount FROM tciStripeXref_STRIPE x
       JOIN tglJournalDetl d ON x.SageTable = 'tglJournalHdr' AND d.JrnlHdrKey = x.SageKey JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey
       WHERE x.DocKey = ? ORDER BY a.GLAcctNo`,
      docKey,
    );

  beforeAll(async () => {
    books = await openSimulatedBooks({ seed: SEED, days: 4, balanceActivity: false });
    expect((await books.sync()).outcome).toBe('succeeded');
    const sage = new Database(books.sandboxPath);
    try {
      expect(sage.prepare('UPDATE tciBatchLog SET Status = 5, PostStatus = 100 WHERE PostStatus = 0').run().changes).toBeGreaterThan(0);
    } finally {
      sage.close();
    }
    for (const suffix of ['', '-wal', '-shm']) {
      const path = join(books.dir, 'data', `${LEDGER_FILE_NAME}${suffix}`);
      if (existsSync(path)) rmSync(path);
    }
    const config = JSON.parse(readFileSync(books.configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(books.configPath, JSON.stringify({ ...config, mapping: { accounts: { revenue: '4010-00' } } }));
    await books.sync();
    refused = books
      .ledgerSql<{ doc_key: string; error_code: string | null }>("SELECT doc_key, error_code FROM documents WHERE state = 'failed' ORDER BY doc_key")
      .map((row) => {
        expect(row.error_code).toBe('found-journal-refused');
        return row.doc_key;
      });
    waiting = books.simulator.objects('payout').filter((payout) => payout.status === 'paid' && /not booked in Sage yet/.test(issue(payout.id) ?? ''));
  }, 180_000);

  afterAll(async () => {
    await books?.close();
  });

  it('the refused charges hold back paid payouts, whose journals to the bank are not planned', () => {
    expect(refused.length).toBeGreaterThan(0);
    expect(waiting.map((payout) => [payout.id, payout.amount, payout.currency])).toEqual([[PAYOUT, 343_270, 'usd']]);
    for (const payout of waiting) {
      expect(issue(payout.id)).toMatch(/Sage refused its journal: Journal ch_\w+:txn_\w+: Sage's cross-reference \(tciStripeXref_STRIPE\) already holds this key/);
      expect(books.ledgerSql("SELECT doc_key FROM documents WHERE stripe_object_id = ? AND body LIKE '%1010-00%'", payout.id)).toEqual([]);
    }
  });

  it('`s5sync errors` explains the refusal and prints the accept command', async () => {
    const { code, text } = await cli('errors');
    expect(code).toBe(0);
    expect(text).toContain("data: Journal ch_");
    expect(text).toContain("  Sage already holds a journal under this document's key (tciStripeXref_STRIPE)");
    // Each refusal names its own lines, so each is a group of one, with its own key in the command.
    for (const docKey of refused) expect(text).toContain(`  accept Sage's journal: s5sync accept ${docKey} --reason "..." --config <file>`);
  });

  it('refuses without a reason, and refuses a document that is not such a refusal, recording nothing', async () => {
    expect(await cli('accept', refused[0]!)).toMatchObject({ code: 2 });
    expect(await cli('accept', refused[0]!, '--reason', ' ')).toMatchObject({ code: 1, text: expect.stringContaining("say why Sage's journal is accepted") });
    const written = books.ledgerSql<{ doc_key: string }>("SELECT doc_key FROM documents WHERE state = 'written' LIMIT 1")[0]!.doc_key;
    expect(await cli('accept', refused[0]!, written, '--reason', REASON)).toMatchObject({ code: 1, text: expect.stringContaining(`${written}: Accept Sage's journal applies only to`) });
    expect(books.ledgerSql("SELECT COUNT(*) AS n FROM documents WHERE state = 'failed'")).toEqual([{ n: refused.length }]);
  });

  it("after Accept, the next sync plans every waiting payout's journal to the bank: the payout's amount from in transit to the bank, as Sage holds it", async () => {
    expect(await cli('accept', ...refused, '--reason', REASON)).toEqual({ code: 0, text: `${refused.length} document(s) recorded as written under the journal Sage holds for them` });
    const accepted = books.ledgerSql<{ state: string; accept_reason: string; sage_number: string; doc_key: string }>(
      "SELECT doc_key, state, accept_reason, sage_number FROM documents WHERE accept_reason IS NOT NULL ORDER BY doc_key",
    );
    expect(accepted.map((row) => row.doc_key)).toEqual(refused);
    for (const row of accepted) {
      expect(row).toMatchObject({ state: 'written', accept_reason: REASON });
      expect(books.sageSql('SELECT SageNumber FROM tciStripeXref_STRIPE WHERE DocKey = ?', row.doc_key)).toEqual([{ SageNumber: row.sage_number }]);
    }

    const summary = await books.sync();
    expect(summary.documentsFailed).toBe(0);
    expect(issue(PAYOUT)).toBeUndefined();
    const toBank = books
      .ledgerSql<{ doc_key: string; state: string; body: string }>("SELECT doc_key, state, body FROM documents WHERE stripe_object_id = ? AND body LIKE '%\"1010-00\"%'", PAYOUT)
      .map((row) => ({ docKey: row.doc_key, state: row.state, lines: (JSON.parse(row.body) as { lines: { acctNo: string; amount: string }[] }).lines.map((line) => [line.acctNo, line.amount]) }));
    // 3,432.70 USD from payouts in transit to the bank, in the ledger and in Sage (unmasked accounts, thousandths).
    expect(toBank).toEqual([{ docKey: expect.any(String), state: 'written', lines: [['1010-00', '3432.700'], ['1020-00', '-3432.700']] }]);
    expect(sageJournalLines(toBank[0]!.docKey)).toEqual([
      { acct: BANK, amount: 3_432_700 },
      { acct: IN_TRANSIT, amount: -3_432_700 },
    ]);
    // The payout's transactions net to zero on clearing in Sage (the charges' journals as written before the ledger was lost).
    expect(books.sageSum(PAYOUT, CLEARING, false)).toBe(0);
  }, 180_000);
});
