/**
 * The balance proof's window: a balance transaction is in it when its `created` is a number from
 * the spine's start (`from`; null for the whole history) up to the proof's cutoff. One definition
 * for every read of the window (the ledger's full and carried reads, the payouts' own
 * transactions), so the full read and the carried one cannot count different windows.
 */
export function createdInProofWindow(created: unknown, from: number | null, upTo: number): boolean {
  return typeof created === 'number' && created <= upTo && (from === null || created >= from);
}
