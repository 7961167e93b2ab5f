import type { AnySyncedObject } from '../../core/stripe/objects.js';

/**
 * Objects this connection stored new or changed and has not handed to the plan pass yet, kept
 * as the objects it was given, so planning them does not read each ~2 KB body back from SQLite
 * and parse it again (issue #19, item 5). The plan queue in SQLite stays the record of what
 * must be planned (a crash plans again from it); this only spares the read. Bounded by the JSON
 * text of the bodies kept (a parsed Stripe object takes about as many bytes of heap as its JSON
 * has characters), so memory does not grow with the size of a backfill: an object stored when
 * the bound is reached is read back from SQLite as before.
 */
export class JustStoredObjects {
  private readonly kept = new Map<string, { object: AnySyncedObject; chars: number }>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** `object` was stored as a body of `chars` characters and queued for planning. */
  keep(id: string, object: AnySyncedObject, chars: number): void {
    this.forget(id);
    if (this.chars + chars > this.maxChars) return;
    this.kept.set(id, { object, chars });
    this.chars += chars;
  }

  /** The object kept for `id`, no longer kept: the plan pass holds it now. */
  take(id: string): AnySyncedObject | undefined {
    const entry = this.kept.get(id);
    if (entry === undefined) return undefined;
    this.forget(id);
    return entry.object;
  }

  forget(id: string): void {
    const entry = this.kept.get(id);
    if (entry === undefined) return;
    this.kept.delete(id);
    this.chars -= entry.chars;
  }

  /** After a rollback: what was kept may not be what the ledger holds. */
  clear(): void {
    this.kept.clear();
    this.chars = 0;
  }
}
