import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteLedger } from '../../main/adapters/ledger/sqlite-ledger.js';
import { LEDGER_FILE_NAME } from '../../main/app/open-runtime.js';
import type { StripePayout } from '../../main/core/stripe/objects.js';
import { startStripeSimulator, type StripeSimulator } from '../../main/simulators/stripe/stripe-simulator.js';
import { newWorkspace, runInProcess, type Workspace } from './harness.js';
import { BANK, IN_TRANSIT, writeOldOneStepJournals } from './old-one-step-journals.js';

/**
 * Issue #14: a ledger lost and rebuilt against a Sage database the release before payouts in
 * transit wrote to. That release booked each payout in one journal, clearing → bank on its
 * arrival date, under the key `<payout>:<its balance transaction>`, which today names the
 * journal of creation (clearing → payouts in transit) followed by the arrival (in transit →
 * bank). Those old journals are put into the sandbox row by row as that release's writer
 * left them (plain SQL in old-one-step-journals.ts, not today's writer), then a sync with an
 * empty ledger runs against the simulator: the bank must receive each payout once.
 */

const SEED = 61;
const DAYS = 20;
const BACKFILL_DAYS = DAYS + 5;
const HOUR = 3600;
/** The default mapping's time zone: an instant payout arrives at a moment, which is a day there. */
const TIME_ZONE = 'America/Chicago';

interface GlRow {
  amount: number;
  date: string;
}

async function withSimulator(run: (simulator: StripeSimulator, workspace: Workspace) => Promise<void>): Promise<void> {
  const simulator = await startStripeSimulator({ seed: SEED, days: DAYS, balanceActivity: false });
  try {
    await run(simulator, newWorkspace('one-step-rebuild', simulator));
  } finally {
    await simulator.close();
  }
}

/** The day a payout reaches the bank, worked out here: a standard payout's arrival_date is midnight UTC of that day. */
function arrivalDay(payout: StripePayout): string {
  if (payout.arrival_date % 86_400 === 0) return new Date(payout.arrival_date * 1000).toISOString().slice(0, 10);
  return businessDay(payout.arrival_date);
}

/** The payouts the earlier release would have booked: standard ones Stripe reports paid. */
function paidStandardPayouts(simulator: StripeSimulator): StripePayout[] {
  return simulator.objects('payout').filter((payout) => payout.status === 'paid' && payout.method === 'standard' && payout.amount > 0);
}

/** The business day of a moment in the mapping's time zone. */
function businessDay(unixSeconds: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(unixSeconds * 1000));
}

/**
 * What the bank must hold: one deposit per paid payout, its amount (thousandths, as the sandbox
 * stores it) on its arrival day; a payout the earlier release booked as arrived and Stripe failed
 * afterwards, its deposit and the money taken back on the day Stripe reported the failure.
 */
function expectedDeposits(simulator: StripeSimulator, failedAfterArrival: readonly StripePayout[] = []): GlRow[] {
  const deposits = simulator
    .objects('payout')
    .filter((payout) => payout.status === 'paid')
    .map((payout) => ({ amount: payout.amount * 10, date: arrivalDay(payout) }));
  for (const payout of failedAfterArrival) {
    const failure = simulator.object('balance_transaction', String(payout.failure_balance_transaction))!;
    deposits.push({ amount: payout.amount * 10, date: arrivalDay(payout) }, { amount: -payout.amount * 10, date: businessDay(failure.created) });
  }
  return sortRows(deposits);
}

function sortRows(rows: GlRow[]): GlRow[] {
  return rows.sort((a, b) => (a.date === b.date ? a.amount - b.amount : a.date < b.date ? -1 : 1));
}

/**
 * The earlier release's one-step journals of these payouts, on their arrival days; `withoutLines`:
 * the journals whose lines Sage no longer holds; `posted`: those whose batch a user posted.
 */
function writeOldJournalsOf(sandboxPath: string, payouts: readonly StripePayout[], withoutLines: ReadonlySet<string> = new Set(), posted: ReadonlySet<string> = new Set()): void {
  writeOldOneStepJournals(
    sandboxPath,
    payouts.map((payout) => ({
      docKey: `${payout.id}:${String(payout.balance_transaction)}`,
      payoutId: payout.id,
      amount: payout.amount * 10,
      day: arrivalDay(payout),
      lines: withoutLines.has(payout.id) ? 'none' : posted.has(payout.id) ? 'posted' : 'pending',
    })),
  );
}

/** Every GL line on an account, pending (tglJournalDetl) or posted (tglTransaction), read from Sage's own tables (not through the cross-reference). */
function glRows(sandboxPath: string, acctNo: string): GlRow[] {
  const db = new Database(sandboxPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT d.PostAmt AS amount, substr(d.TranDate, 1, 10) AS date FROM tglJournalDetl d JOIN tglAccount a ON a.GLAcctKey = d.GLAcctKey WHERE a.GLAcctNo = @acctNo
         UNION ALL SELECT t.PostAmt, substr(t.TranDate, 1, 10) FROM tglTransaction t JOIN tglAccount a ON a.GLAcctKey = t.GLAcctKey WHERE a.GLAcctNo = @acctNo`,
      )
      .all({ acctNo }) as GlRow[];
    return sortRows(rows);
  } finally {
    db.close();
  }
}

function ledgerDocument(workspace: Workspace, docKey: string): { state: string; lastError: string | null; lines: number } | null {
  const ledger = new SqliteLedger(join(workspace.dataDir, LEDGER_FILE_NAME));
  try {
    const doc = ledger.documents.getDocument(docKey);
    return doc ? { state: doc.state, lastError: doc.lastError, lines: doc.document.type === 'journal' ? doc.document.lines.length : 0 } : null;
  } finally {
    ledger.close();
  }
}

describe('a rebuilt ledger meets payouts the release before payouts in transit booked in one journal', () => {
  it('records each one-step journal as the payout arrived: the bank receives every payout once, on its arrival day, and in transit holds only what is on its way', async () => {
    await withSimulator(async (simulator, workspace) => {
      const old = paidStandardPayouts(simulator);
      expect(old.length).toBeGreaterThan(3);
      // Stripe can fail a payout after marking it paid: the earlier release had booked it as arrived.
      const failedAfterArrival = simulator.objects('payout').filter((payout) => payout.status === 'failed');
      expect(failedAfterArrival.length).toBe(1);
      // A user posted the batch of one of them: its lines are in posted GL, none pending.
      writeOldJournalsOf(workspace.sandboxPath, [...old, ...failedAfterArrival], new Set(), new Set([old[1]!.id]));

      expect((await runInProcess(simulator, workspace, { backfillDays: BACKFILL_DAYS })).outcome).toBe('succeeded');
      expect(glRows(workspace.sandboxPath, BANK)).toEqual(expectedDeposits(simulator, failedAfterArrival));
      const onTheirWay = simulator.objects('payout').filter((payout) => payout.status === 'pending' || payout.status === 'in_transit');
      const inTransit = glRows(workspace.sandboxPath, IN_TRANSIT).reduce((sum, row) => sum + row.amount, 0);
      expect(inTransit).toBe(onTheirWay.reduce((sum, payout) => sum + payout.amount * 10, 0));
      const [first, posted] = old;
      expect(ledgerDocument(workspace, `${first!.id}:arrived`)).toEqual({ state: 'written', lastError: null, lines: 0 });
      expect(ledgerDocument(workspace, `${posted!.id}:arrived`)).toEqual({ state: 'written', lastError: null, lines: 0 });

      // Later runs keep it so: nothing is written for those payouts again.
      simulator.advanceSeconds(2 * HOUR);
      expect((await runInProcess(simulator, workspace, { backfillDays: BACKFILL_DAYS })).outcome).toBe('succeeded');
      expect(glRows(workspace.sandboxPath, BANK)).toEqual(expectedDeposits(simulator, failedAfterArrival));
    });
  }, 180_000);

  it('parks the arrival of a journal Sage holds without pending lines, instead of guessing: no second deposit', async () => {
    await withSimulator(async (simulator, workspace) => {
      const old = paidStandardPayouts(simulator);
      const unreadable = old[0]!;
      writeOldJournalsOf(workspace.sandboxPath, old, new Set([unreadable.id]));

      expect((await runInProcess(simulator, workspace, { backfillDays: BACKFILL_DAYS })).outcome).toBe('completed-with-errors');
      const arrival = ledgerDocument(workspace, `${unreadable.id}:arrived`);
      expect(arrival).toMatchObject({ state: 'failed' });
      expect(arrival!.lastError).toMatch(new RegExp(`^Sage already holds ${unreadable.id}:\\S+ \\(journal \\d+, batch key \\d+\\) but none of its lines are pending in tglJournalDetl`));
      // Its deposit is the old journal's, whose lines are gone from the pending tables: the sync wrote none.
      const withoutIt = expectedDeposits(simulator);
      withoutIt.splice(withoutIt.findIndex((row) => row.amount === unreadable.amount * 10 && row.date === arrivalDay(unreadable)), 1);
      expect(glRows(workspace.sandboxPath, BANK)).toEqual(withoutIt);
    });
  }, 120_000);
});
