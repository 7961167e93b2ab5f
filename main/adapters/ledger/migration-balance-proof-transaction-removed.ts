import type Database from 'better-sqlite3';

/**
 * The balance proof's change log (migration 17) also names a balance transaction deleted with
 * `created` at or before the carried settled time. The ledger never deletes one, but a repair
 * or a hand edit could, and the carried totals would still count it: the next proof reads in
 * full. Its name joins the triggers the carry needs in place (BALANCE_PROOF_TRIGGERS, carry-triggers.ts).
 */
export function v19BalanceProofTransactionRemoved(db: Database.Database): void {
  db.exec(`
    CREATE TRIGGER balance_proof_transaction_removed AFTER DELETE ON balance_transactions
    WHEN old.created <= (SELECT settled_up_to FROM balance_proof_carry)
    BEGIN
      INSERT INTO balance_proof_changes (trace_id, kind) VALUES (old.id, 'transaction');
    END;
  `);
}
