/**
 * The bodies this connection last wrote (or found unchanged) for recently stored rows of one
 * table, by id, the oldest forgotten first past a bound on their characters. A row stored again
 * with the same body then costs no statement: a backfill meets each balance transaction with its
 * charge, in the balance-transaction history and in its payout's list, nearly always unchanged,
 * and the upsert's look-up and compare were most of the cost of storing it again (issue #19,
 * item 5). Only for rows no other code writes; forgotten whole after a rollback.
 */
export class RecentRows {
  private readonly bodies = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** True when the row `id` holds `body`, as this connection last wrote or read it. */
  holds(id: string, body: string): boolean {
    return this.bodies.get(id) === body;
  }

  /** The row `id` now holds `body`. */
  wrote(id: string, body: string): void {
    const before = this.bodies.get(id);
    if (before !== undefined) {
      this.bodies.delete(id);
      this.chars -= before.length;
    }
    this.bodies.set(id, body);
    this.chars += body.length;
    for (const [oldest, text] of this.bodies) {
      if (this.chars <= this.maxChars) break;
      this.bodies.delete(oldest);
      this.chars -= text.length;
    }
  }

  clear(): void {
    this.bodies.clear();
    this.chars = 0;
  }
}
