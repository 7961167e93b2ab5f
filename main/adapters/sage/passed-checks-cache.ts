/**
 * Remembers checks that passed (an account is active, a period is open, the journal's key)
 * for a short while, so a backfill of thousands of journals does not ask SQL Server the same
 * questions for every one. Failures are never cached: a fixed account is seen at once. A
 * Sage user closing a period or deactivating an account is noticed within `ttlMs`; Sage
 * itself checks both again when the batch is posted.
 */
export class PassedChecksCache {
  private readonly entries = new Map<string, { value: number; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, check: () => Promise<number>): Promise<number> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.value;
    const value = await check();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }
}
