/**
 * Remembers checks that passed (an account is active, a period is open, the journal's key)
 * for a short while, so a backfill of thousands of journals does not ask SQL Server the same
 * questions for every one. Failures are never cached: a fixed account is seen at once. A
 * Sage user closing a period or deactivating an account is noticed within `ttlMs`; Sage
 * itself checks both again when the batch is posted.
 */
export class PassedChecksCache<T = number> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, check: () => Promise<T>): Promise<T> {
    const kept = this.kept(key);
    if (kept !== undefined) return kept;
    const value = await check();
    this.keep(key, value);
    return value;
  }

  /** What a check that passed under `key` gave, while it is fresh. */
  kept(key: string): T | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  /** Remembers what a check that passed gave, for `ttlMs`. */
  keep(key: string, value: T): void {
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }
}
