import type {
  ObjectIssue,
  ObjectSearch,
  RecordedEvent,
  SourcedBalanceTransaction,
  StoredObject,
  StripeObjectLedger,
} from '../../core/ports/stripe-object-ledger.js';
import {
  SYNCED_KINDS,
  type AnySyncedObject,
  type StripeBalanceTransaction,
  type StripeEvent,
  type SyncedKind,
} from '../../core/stripe/objects.js';
import type { LedgerConnection } from './ledger-connection.js';
import { RECORD_OBJECTS_CHANGED } from './drift-change-records.js';
import { documentState, toStoredObject, type ObjectRow } from './ledger-rows.js';

const SEARCH_FILTER = `
  (@kind IS NULL OR o.kind = @kind)
  AND (@createdFrom IS NULL OR o.created >= @createdFrom)
  AND (@createdBefore IS NULL OR o.created < @createdBefore)
  AND ((@like IS NULL AND @amounts IS NULL)
       OR o.id LIKE @like OR o.body LIKE @like
       OR EXISTS (SELECT 1 FROM stripe_objects c WHERE c.id = json_extract(o.body, '$.customer') AND c.kind = 'customer' AND c.body LIKE @like)
       OR EXISTS (SELECT 1 FROM documents d WHERE d.stripe_object_id = o.id AND (d.sage_number LIKE @like OR d.doc_key LIKE @like))
       OR EXISTS (SELECT 1 FROM json_each(@amounts) a
                  WHERE a.value IN (json_extract(o.body, '$.amount'), json_extract(o.body, '$.amount_paid'), json_extract(o.body, '$.total'))))
  AND (@state IS NULL OR EXISTS (SELECT 1 FROM documents d WHERE d.stripe_object_id = o.id AND ${documentState('d')} = @state))`;

/**
 * The stripe_objects, balance_transactions, payout_items, payouts_itemised, invoice_payments,
 * credit_note_refunds, events and object_issues tables.
 */
export class SqliteStripeObjectLedger implements StripeObjectLedger {
  /** Ids objectsToPlan handed out that markPlanned has not been told of yet (a page or two of ids). */
  private readonly handedOut = new Set<string>();
  /**
   * Of those, the ones stored again with another body, or asked to be planned again (replanObjects),
   * meanwhile: a plan pass awaits Sage with its page in hand while events are stored beside it (a
   * customer.updated during the early customers' pass), and its page was planned on what it read
   * before. Their queue row stays when the page is marked planned, so they are planned again.
   */
  private readonly changedWhileHandedOut = new Set<string>();

  constructor(private readonly connection: LedgerConnection) {}

  private sql(text: string) {
    return this.connection.sql(text);
  }

  private storedObjects(text: string, params: Record<string, number | string | null>): StoredObject[] {
    return (this.sql(text).all(params) as ObjectRow[]).map(toStoredObject);
  }

  upsertObjects(objects: readonly AnySyncedObject[]): number {
    // A body stored new or changed is queued for planning (objects_to_plan, migration 9) under
    // its row's `created`, which an update never rewrites; an unchanged body is left alone.
    const statement = this.sql(
      `INSERT INTO stripe_objects (id, kind, created, body, payment_intent, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, payment_intent = excluded.payment_intent, updated_at = excluded.updated_at
       WHERE stripe_objects.body IS NOT excluded.body`,
    );
    const toPlan = this.sql('INSERT INTO objects_to_plan (created, id) SELECT created, id FROM stripe_objects WHERE id = ? ON CONFLICT DO NOTHING');
    const links = this.sql(
      'INSERT INTO credit_note_refunds (refund_id, credit_note_id) VALUES (?, ?) ON CONFLICT (refund_id) DO NOTHING',
    );
    let changed = 0;
    const now = this.connection.now();
    const stored: string[] = [];
    this.connection.transaction(() => {
      for (const object of objects) {
        const body = JSON.stringify(object);
        const created = 'created' in object && typeof object.created === 'number' ? object.created : 0;
        if (statement.run(object.id, object.object, created, body, chargePaymentIntent(object), now).changes === 1) {
          toPlan.run(object.id);
          if (this.handedOut.has(object.id)) this.changedWhileHandedOut.add(object.id);
          stored.push(object.id);
          changed++;
        }
        if (object.object === 'credit_note') {
          for (const refund of object.refunds ?? []) links.run(refund.refund, object.id);
        }
      }
      // For the next drift check while the lists are carried (drift-change-records.ts), in one
      // statement: a trigger on the table cost every object stored about 8 µs.
      if (stored.length > 0) this.sql(RECORD_OBJECTS_CHANGED).run(JSON.stringify(stored));
    });
    return changed;
  }

  getObject(id: string): StoredObject | null {
    const row = this.sql('SELECT id, kind, created, body FROM stripe_objects WHERE id = ?').get(id) as ObjectRow | undefined;
    return row ? toStoredObject(row) : null;
  }

  storedObjectIds(ids: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set();
    // The ids alone (pluck): an object per row cost a fifth of the call.
    return new Set(this.sql('SELECT id FROM stripe_objects WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as string[]);
  }

  objectsToPlan(limit: number, after: { created: number; id: string } | null, kind?: SyncedKind): StoredObject[] {
    const position = { limit, created: after?.created ?? -1, id: after?.id ?? '' };
    const page =
      kind !== undefined
        ? // By the (kind, created) index: the other kinds' unplanned objects are not read at all.
          this.storedObjects(
            `SELECT id, kind, created, body FROM stripe_objects o
             WHERE kind = @kind AND (created > @created OR (created = @created AND id > @id))
               AND EXISTS (SELECT 1 FROM objects_to_plan q WHERE q.created = o.created AND q.id = o.id)
             ORDER BY created, id LIMIT @limit`,
            { ...position, kind },
          )
        : this.storedObjects(
            `SELECT o.id, o.kind, o.created, o.body FROM objects_to_plan q JOIN stripe_objects o ON o.id = q.id
             WHERE q.created > @created OR (q.created = @created AND q.id > @id)
             ORDER BY q.created, q.id LIMIT @limit`,
            position,
          );
    for (const stored of page) {
      this.handedOut.add(stored.id);
      this.changedWhileHandedOut.delete(stored.id);
    }
    return page;
  }

  markPlanned(objectIds: readonly string[]): void {
    const planned = objectIds.filter((id) => !this.changedWhileHandedOut.has(id));
    for (const id of objectIds) {
      this.handedOut.delete(id);
      this.changedWhileHandedOut.delete(id);
    }
    if (planned.length === 0) return;
    this.sql(
      'DELETE FROM objects_to_plan WHERE (created, id) IN (SELECT created, id FROM stripe_objects WHERE id IN (SELECT value FROM json_each(?)))',
    ).run(JSON.stringify(planned));
  }

  replanObjects(objectIds: readonly string[]): number {
    if (objectIds.length === 0) return 0;
    // Asked while a plan pass holds the object's page (a Retry from the window, the write pass
    // beside the early customers' pass): the queue row is there already, so the request is kept
    // here, or markPlanned would take it off with the page.
    for (const id of objectIds) if (this.handedOut.has(id)) this.changedWhileHandedOut.add(id);
    const ids = JSON.stringify(objectIds);
    return this.connection.transaction(() => {
      this.sql(
        `INSERT INTO objects_to_plan (created, id) SELECT created, id FROM stripe_objects WHERE id IN (SELECT value FROM json_each(?))
         ON CONFLICT DO NOTHING`,
      ).run(ids);
      return (this.sql('SELECT COUNT(*) AS n FROM stripe_objects WHERE id IN (SELECT value FROM json_each(?))').get(ids) as { n: number }).n;
    });
  }

  countObjects(): Record<SyncedKind, number> {
    const counts = Object.fromEntries(SYNCED_KINDS.map((kind) => [kind, 0])) as Record<SyncedKind, number>;
    for (const row of this.sql('SELECT kind, COUNT(*) AS n FROM stripe_objects GROUP BY kind').all() as { kind: SyncedKind; n: number }[]) {
      counts[row.kind] = row.n;
    }
    return counts;
  }

  payoutsToItemise(): string[] {
    return (
      this.sql(
        `SELECT id FROM stripe_objects o WHERE kind = 'payout'
           AND json_extract(body, '$.automatic') = 1 AND json_extract(body, '$.method') = 'standard'
           AND json_extract(body, '$.reconciliation_status') = 'completed'
           AND NOT EXISTS (SELECT 1 FROM payouts_itemised p WHERE p.payout_id = o.id)
         ORDER BY created`,
      ).all() as { id: string }[]
    ).map((row) => row.id);
  }

  openInvoiceIds(): string[] {
    return (
      this.sql(`SELECT id FROM stripe_objects WHERE kind = 'invoice' AND json_extract(body, '$.status') IN ('draft', 'open') ORDER BY created`).all() as {
        id: string;
      }[]
    ).map((row) => row.id);
  }

  payouts(): StoredObject[] {
    return this.storedObjects(`SELECT id, kind, created, body FROM stripe_objects WHERE kind = 'payout' ORDER BY created, id`, {});
  }

  objectsCreatedSince(createdFrom: number, kinds: readonly SyncedKind[]): StoredObject[] {
    return this.storedObjects(
      `SELECT id, kind, created, body FROM stripe_objects WHERE created >= @from AND kind IN (SELECT value FROM json_each(@kinds)) ORDER BY created, id`,
      { from: createdFrom, kinds: JSON.stringify(kinds) },
    );
  }

  searchObjects(search: ObjectSearch): { objects: StoredObject[]; total: number } {
    const text = search.text?.trim();
    const params = {
      kind: search.kind ?? null,
      state: search.documentState ?? null,
      like: text ? `%${text}%` : null,
      amounts: search.amountsMinor?.length ? JSON.stringify(search.amountsMinor) : null,
      createdFrom: search.createdFrom ?? null,
      createdBefore: search.createdBefore ?? null,
    };
    const total = (this.sql(`SELECT COUNT(*) AS n FROM stripe_objects o WHERE ${SEARCH_FILTER}`).get(params) as { n: number }).n;
    const objects = this.storedObjects(
      `SELECT o.id, o.kind, o.created, o.body FROM stripe_objects o WHERE ${SEARCH_FILTER} ORDER BY o.created DESC, o.id DESC LIMIT @limit OFFSET @offset`,
      { ...params, limit: search.limit, offset: search.offset },
    );
    return { objects, total };
  }

  upsertBalanceTransactions(bts: readonly StripeBalanceTransaction[], payoutId: string | null): void {
    this.connection.transaction(() => {
      this.storeBalanceTransactions(bts);
      if (payoutId !== null) {
        this.addToPayout(bts, payoutId);
        this.markPayoutItemised(payoutId);
      }
    });
  }

  addPayoutItems(bts: readonly StripeBalanceTransaction[], payoutId: string): void {
    this.connection.transaction(() => {
      this.storeBalanceTransactions(bts);
      this.addToPayout(bts, payoutId);
    });
  }

  /** A payout's membership is a narrow row of its own (migration 12): the transaction's row is not rewritten to hold it. */
  private addToPayout(bts: readonly StripeBalanceTransaction[], payoutId: string): void {
    const statement = this.sql('INSERT INTO payout_items (payout_id, id) VALUES (?, ?) ON CONFLICT DO NOTHING');
    for (const bt of bts) statement.run(payoutId, bt.id);
  }

  markPayoutItemised(payoutId: string): void {
    this.sql('INSERT INTO payouts_itemised (payout_id, read_at) VALUES (?, ?) ON CONFLICT (payout_id) DO UPDATE SET read_at = excluded.read_at').run(
      payoutId,
      this.connection.now(),
    );
  }

  isPayoutItemised(payoutId: string): boolean {
    return Boolean(this.sql('SELECT 1 FROM payouts_itemised WHERE payout_id = ?').get(payoutId));
  }

  payoutItemsAfter(payoutId: string, afterId: string | null, limit: number): StripeBalanceTransaction[] {
    return (
      this.sql(
        `SELECT b.body FROM payout_items p JOIN balance_transactions b ON b.id = p.id
         WHERE p.payout_id = @payout AND p.id > @after ORDER BY p.id LIMIT @limit`,
      ).all({
        payout: payoutId,
        after: afterId ?? '',
        limit,
      }) as { body: string }[]
    ).map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
  }

  private storeBalanceTransactions(bts: readonly StripeBalanceTransaction[]): void {
    const statement = this.sql(
      // Positional parameters: binding by name cost about 1 µs more a row (some 9,000 rows at 10k).
      `INSERT INTO balance_transactions (id, source_id, created, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET body = excluded.body, source_id = excluded.source_id, created = excluded.created
       -- The same transaction arrives with its charge, in the history and in its payout's list:
       -- a row that would not change is not rewritten (most of the cost of storing it).
       WHERE balance_transactions.body IS NOT excluded.body OR balance_transactions.source_id IS NOT excluded.source_id`,
    );
    for (const bt of bts) {
      const source = bt.source === null ? null : typeof bt.source === 'string' ? bt.source : bt.source.id;
      const body = JSON.stringify({ ...bt, source });
      // `created` beside the body for the balance proof's range read (migration 17); a non-number is no time, as the proof reads the body.
      statement.run(bt.id, source, typeof bt.created === 'number' ? bt.created : null, body);
    }
  }

  balanceTransactions(ids: readonly string[]): Map<string, StripeBalanceTransaction> {
    if (ids.length === 0) return new Map();
    const rows = this.sql('SELECT id, body FROM balance_transactions WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string; body: string }[];
    return new Map(rows.map((row) => [row.id, JSON.parse(row.body) as StripeBalanceTransaction]));
  }

  unsourcedBalanceTransactionIds(ids: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set();
    return new Set(this.sql('SELECT id FROM balance_transactions WHERE id IN (SELECT value FROM json_each(?)) AND source_id IS NULL').pluck().all(JSON.stringify(ids)) as string[]);
  }

  getBalanceTransaction(id: string): StripeBalanceTransaction | null {
    const row = this.sql('SELECT body FROM balance_transactions WHERE id = ?').get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as StripeBalanceTransaction) : null;
  }

  balanceTransactionsCreated(from: number | null, upTo: number): StripeBalanceTransaction[] {
    return (
      this.sql(
        `SELECT body FROM balance_transactions
         WHERE json_extract(body, '$.created') <= @upTo AND (@from IS NULL OR json_extract(body, '$.created') >= @from)
         ORDER BY json_extract(body, '$.created'), id`,
      ).all({ from, upTo }) as { body: string }[]
    ).map((row) => JSON.parse(row.body) as StripeBalanceTransaction);
  }

  payoutItems(payoutId: string): StripeBalanceTransaction[] | null {
    if (!this.sql('SELECT 1 FROM payouts_itemised WHERE payout_id = ?').get(payoutId)) return null;
    return (
      this.sql('SELECT b.body FROM payout_items p JOIN balance_transactions b ON b.id = p.id WHERE p.payout_id = ? ORDER BY p.id').all(payoutId) as { body: string }[]
    ).map(
      (row) => JSON.parse(row.body) as StripeBalanceTransaction,
    );
  }

  balanceTransactionsOfSource(sourceId: string): SourcedBalanceTransaction[] {
    // The payout listing a transaction is found by a seek into each payout's items (payout_items
    // is keyed by payout first, for reading a payout's list): payouts are few, their items many.
    // A transaction of a payout that failed comes back in a later payout's list, and is then in
    // both: the one that paid it is named, a payout not failed before a failed one, then the
    // latest created.
    return (
      this.sql(
        `WITH RECURSIVE payouts (id) AS (
           SELECT MIN(payout_id) FROM payout_items
           UNION ALL SELECT (SELECT MIN(payout_id) FROM payout_items WHERE payout_id > payouts.id) FROM payouts WHERE payouts.id IS NOT NULL
         )
         SELECT (
           SELECT p.payout_id FROM payouts JOIN payout_items p ON p.payout_id = payouts.id AND p.id = b.id
             LEFT JOIN stripe_objects o ON o.id = p.payout_id
           ORDER BY COALESCE(json_extract(o.body, '$.status') = 'failed', 0), o.created DESC, p.payout_id DESC LIMIT 1
         ) AS payout_id, b.body
         FROM balance_transactions b WHERE b.source_id = ? ORDER BY b.id`,
      ).all(sourceId) as { payout_id: string | null; body: string }[]
    ).map(
      (row) => ({ transaction: JSON.parse(row.body) as StripeBalanceTransaction, payoutId: row.payout_id }),
    );
  }

  objectsNamingBalanceTransaction(balanceTransactionId: string): string[] {
    // A field holds the id, or the transaction itself when the object was read with it expanded.
    return (
      this.sql(
        `SELECT id FROM stripe_objects
         WHERE COALESCE(json_extract(body, '$.balance_transaction.id'), json_extract(body, '$.balance_transaction')) = @bt
            OR COALESCE(json_extract(body, '$.failure_balance_transaction.id'), json_extract(body, '$.failure_balance_transaction')) = @bt
         ORDER BY created, id`,
      ).all({ bt: balanceTransactionId }) as { id: string }[]
    ).map((row) => row.id);
  }

  balanceTransactionsOfObjectsCreatedSince(createdFrom: number): { transaction: StripeBalanceTransaction; sourceCreated: number }[] {
    return (
      this.sql(`SELECT bt.body, o.created FROM balance_transactions bt JOIN stripe_objects o ON o.id = bt.source_id WHERE o.created >= ?`).all(createdFrom) as {
        body: string;
        created: number;
      }[]
    ).map((row) => ({ transaction: JSON.parse(row.body) as StripeBalanceTransaction, sourceCreated: row.created }));
  }

  linkInvoicePayment(chargeId: string, invoiceId: string): void {
    this.sql('INSERT INTO invoice_payments (charge_id, invoice_id) VALUES (?, ?) ON CONFLICT (charge_id) DO UPDATE SET invoice_id = excluded.invoice_id').run(
      chargeId,
      invoiceId,
    );
  }

  chargesPayingInvoice(invoiceId: string): string[] {
    // A link names the charge itself or its PaymentIntent; each is an index lookup (migrations 8 and 9),
    // so a charge older than its invoice (a PaymentIntent attached later) is found too. One
    // query per link: SQLite does not use an expression index on the inner side of a join.
    const named = this.sql('SELECT charge_id FROM invoice_payments WHERE invoice_id = ?').all(invoiceId) as { charge_id: string }[];
    const byId = this.sql("SELECT id FROM stripe_objects WHERE id = ? AND kind = 'charge'");
    const onIntent = this.sql(`SELECT id FROM stripe_objects INDEXED BY stripe_objects_payment_intent WHERE payment_intent = ? AND kind = 'charge'`);
    const charges = new Set<string>();
    for (const { charge_id: id } of named) {
      for (const row of [...byId.all(id), ...onIntent.all(id)] as { id: string }[]) charges.add(row.id);
    }
    return [...charges].sort();
  }

  invoiceForCharge(chargeId: string): string | null {
    const row = this.sql('SELECT invoice_id FROM invoice_payments WHERE charge_id = ?').get(chargeId) as { invoice_id: string } | undefined;
    return row?.invoice_id ?? null;
  }

  invoicesForPayments(paymentIds: readonly string[]): Map<string, string> {
    if (paymentIds.length === 0) return new Map();
    const rows = this.sql('SELECT charge_id, invoice_id FROM invoice_payments WHERE charge_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(paymentIds)) as {
      charge_id: string;
      invoice_id: string;
    }[];
    return new Map(rows.map((row) => [row.charge_id, row.invoice_id]));
  }

  creditNoteForRefund(refundId: string): string | null {
    const row = this.sql('SELECT credit_note_id FROM credit_note_refunds WHERE refund_id = ?').get(refundId) as { credit_note_id: string } | undefined;
    return row?.credit_note_id ?? null;
  }

  unseenEventIds(ids: readonly string[]): Set<string> {
    const statement = this.sql('SELECT 1 FROM events WHERE id = ?');
    return new Set(ids.filter((id) => !statement.get(id)));
  }

  recordEvents(events: readonly StripeEvent[], skipped: ReadonlySet<string>): void {
    const statement = this.sql(
      'INSERT INTO events (id, type, created, object_id, skipped, applied_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    const now = this.connection.now();
    this.connection.transaction(() => {
      for (const event of events) {
        statement.run(event.id, event.type, event.created, event.data.object.id ?? null, skipped.has(event.id) ? 1 : 0, now);
      }
    });
  }

  eventIdsForObject(objectId: string): string[] {
    return this.eventsForObject(objectId).map((event) => event.id);
  }

  eventsForObject(objectId: string): RecordedEvent[] {
    return this.sql('SELECT id, type, created FROM events WHERE object_id = ? ORDER BY created, id').all(objectId) as RecordedEvent[];
  }

  setObjectIssue(issue: ObjectIssue | { objectId: string; errorClass: null }): void {
    if (issue.errorClass === null) {
      this.sql('DELETE FROM object_issues WHERE object_id = ?').run(issue.objectId);
      return;
    }
    this.sql(
      `INSERT INTO object_issues (object_id, error_class, message, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (object_id) DO UPDATE SET error_class = excluded.error_class, message = excluded.message, updated_at = excluded.updated_at`,
    ).run(issue.objectId, issue.errorClass, issue.message, this.connection.now());
  }

  setObjectIssues(issues: readonly (ObjectIssue | { objectId: string; errorClass: null })[]): void {
    const cleared = issues.filter((issue) => issue.errorClass === null).map((issue) => issue.objectId);
    const raised = issues.filter((issue): issue is ObjectIssue => issue.errorClass !== null);
    if (cleared.length === 0 && raised.length === 0) return;
    this.connection.transaction(() => {
      if (cleared.length > 0) this.sql('DELETE FROM object_issues WHERE object_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(cleared));
      for (const issue of raised) this.setObjectIssue(issue);
    });
  }

  objectIssues(): ObjectIssue[] {
    return this.issues('SELECT object_id, error_class, message FROM object_issues ORDER BY object_id');
  }

  planningIssues(): ObjectIssue[] {
    return this.issues(`SELECT object_id, error_class, message FROM object_issues WHERE error_class <> 'waiting' ORDER BY message, object_id`);
  }

  private issues(text: string): ObjectIssue[] {
    return (this.sql(text).all() as { object_id: string; error_class: string; message: string }[]).map((row) => ({
      objectId: row.object_id,
      errorClass: row.error_class,
      message: row.message,
    }));
  }

  objectIssue(objectId: string): ObjectIssue | null {
    const row = this.sql('SELECT error_class, message FROM object_issues WHERE object_id = ?').get(objectId) as { error_class: string; message: string } | undefined;
    return row ? { objectId, errorClass: row.error_class, message: row.message } : null;
  }
}

/** The PaymentIntent a charge was paid through, as the stripe_objects.payment_intent column holds it (expanded or by id). */
function chargePaymentIntent(object: AnySyncedObject): string | null {
  if (object.object !== 'charge') return null;
  const intent = (object as { payment_intent?: string | { id: string } | null }).payment_intent;
  return typeof intent === 'string' ? intent : (intent?.id ?? null);
}
