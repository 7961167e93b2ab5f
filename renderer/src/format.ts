/** Display helpers: the ledger speaks ISO times and decimal text; the window speaks local time. */

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Money always with its currency code ("USD 1,250.00"), never a bare symbol that hides which dollar. */
export function formatMoney(amount: string | null, currency: string | null): string {
  if (amount === null) return '—';
  if (!currency) return amount;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase(), currencyDisplay: 'code' }).format(Number(amount));
}

/** A business date (YYYY-MM-DD, already in the company's time zone) in the same style as formatDateTime. */
export function formatDate(date: string | null): string {
  if (!date) return '—';
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** Time left in a run; below a few seconds an exact count would only flicker. */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null) return 'estimating time left…';
  if (seconds < 5) return 'a few seconds left';
  if (seconds < 60) return `about ${seconds} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** How long a finished run took. */
export function formatElapsed(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${seconds % 60} s`;
}

/** What each phase counts, for "1,234 records read". */
export const phaseUnits: Record<string, string> = {
  backfill: 'records read',
  'catch-up': 'records read',
  events: 'events read',
  refresh: 'records re-read',
  planning: 'records prepared',
  writing: 'documents written',
  reconciling: 'payouts checked',
};

export const phaseLabels: Record<string, string> = {
  backfill: 'Reading Stripe history',
  'catch-up': 'Catching up after a long break',
  events: 'Reading new Stripe activity',
  refresh: 'Re-reading changed records',
  planning: 'Preparing Sage documents',
  writing: 'Writing to Sage',
  reconciling: 'Tying out payouts',
};
