import type Database from 'better-sqlite3';

/**
 * Payout journals from before payouts in transit. The earlier release booked a payout in one
 * journal, clearing → bank on its arrival date, under the key `<payout>:<its balance
 * transaction>` with the description `Stripe payout <payout>`. The same key now names the
 * payout's journal of creation (clearing → payouts in transit, `Stripe payout <payout> in
 * transit`), followed by an arrival journal `<payout>:arrived` (in transit → bank). Read with
 * today's meaning, an old ledger would have the engine write that arrival journal next to a
 * one-step journal Sage already holds: the bank debited twice and payouts in transit left
 * credited with money that never went in. The schema did not change with payouts in transit,
 * so the old journals are found by their body, not by the ledger's version.
 *
 * What Sage holds decides the handling:
 * - written (or being written: the writer's recovery finds it in Sage or writes that same
 *   body): the one journal took the payout to the bank, so its arrival is booked. An arrival
 *   document is recorded as written with the same Sage references and no lines of its own
 *   (the lines are the one-step journal's), so the payout reads as arrived and reconciled,
 *   no arrival journal is planned, and a later failure of the payout takes the money back
 *   from the bank, where the one-step journal put it.
 * - skipped by a user (keyed by hand in Sage): the skip covered the whole payout, bank
 *   included, so the arrival is recorded as skipped for the same reason.
 * - not in Sage (planned, failed, dead, shadow, or skipped by a business rule): nothing was
 *   written, so the payout is planned again with today's meaning; the new plan replaces the
 *   unwritten body under the same key and adds the arrival journal.
 *
 * Frozen with the schema version it introduces: the key and description formats are spelled
 * out here rather than imported, so a later change to the planner cannot change this step.
 */
export function v6OneStepPayoutJournals(db: Database.Database): void {
  const candidates = db
    .prepare(
      `SELECT d.doc_key, d.stripe_object_id, d.state, d.body, d.skip_reason, d.mapping_version,
              d.sage_table, d.sage_key, d.sage_number, d.batch_key
       FROM documents d JOIN stripe_objects o ON o.id = d.stripe_object_id
       WHERE o.kind = 'payout' AND d.type = 'journal'
         AND d.doc_key = o.id || ':' || COALESCE(json_extract(o.body, '$.balance_transaction.id'), json_extract(o.body, '$.balance_transaction'))`,
    )
    .all() as OneStepCandidate[];
  const addArrival = db.prepare(
    `INSERT INTO documents (doc_key, stripe_object_id, type, state, sort_key, body, mapping_version, skip_reason,
                            sage_table, sage_key, sage_number, batch_key, updated_at)
     VALUES (@docKey, @objectId, 'journal', @state, @sortKey, @body, @mappingVersion, @skipReason,
             @sageTable, @sageKey, @sageNumber, @batchKey, @now)
     ON CONFLICT (doc_key) DO NOTHING`,
  );
  const replan = db.prepare('UPDATE stripe_objects SET planned_hash = NULL WHERE id = ?');
  const now = new Date().toISOString();
  for (const row of candidates) {
    const payoutId = row.stripe_object_id;
    const journal = JSON.parse(row.body) as { description?: unknown; postDate?: unknown };
    if (journal.description !== `Stripe payout ${payoutId}`) continue;
    const inSage = row.state === 'written' || row.state === 'writing';
    const keyedByHand = row.state === 'skipped' && !(row.skip_reason ?? '').startsWith(RULE_SKIP_PREFIX);
    if (!inSage && !keyedByHand) {
      replan.run(payoutId);
      continue;
    }
    const postDate = typeof journal.postDate === 'string' ? journal.postDate : '';
    const arrivalKey = `${payoutId}:arrived`;
    const arrival = {
      type: 'journal',
      key: arrivalKey,
      postDate,
      stripeObjectId: payoutId,
      description: `Stripe payout ${payoutId} arrived: in the one journal ${row.doc_key} (clearing to the bank), booked before payouts in transit`,
      lines: [],
    };
    addArrival.run({
      docKey: arrivalKey,
      objectId: payoutId,
      state: inSage ? 'written' : 'skipped',
      sortKey: `1|${postDate}|${arrivalKey}`,
      body: JSON.stringify(arrival),
      mappingVersion: row.mapping_version,
      skipReason: inSage ? null : row.skip_reason,
      sageTable: row.sage_table,
      sageKey: row.sage_key,
      sageNumber: row.sage_number,
      batchKey: row.batch_key,
      now,
    });
  }
}

/** core/rules/rule-skip.ts RULE_SKIP_PREFIX when this migration was made: a rule's skip is the plan's own decision. */
const RULE_SKIP_PREFIX = 'skipped by rule ';

interface OneStepCandidate {
  doc_key: string;
  stripe_object_id: string;
  state: string;
  body: string;
  skip_reason: string | null;
  mapping_version: number;
  sage_table: string | null;
  sage_key: number | null;
  sage_number: string | null;
  batch_key: number | null;
}
