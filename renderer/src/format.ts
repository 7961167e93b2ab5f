/** Display helpers: the ledger speaks ISO times and decimal text; the window speaks local time. */

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatMoney(amount: string | null, currency: string | null): string {
  if (amount === null) return '—';
  const value = Number(amount);
  if (!currency) return amount;
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(value);
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 60) return `about ${seconds} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

export const phaseLabels: Record<string, string> = {
  backfill: 'Reading Stripe history',
  'catch-up': 'Catching up after a long break',
  events: 'Reading new Stripe activity',
  refresh: 'Re-reading changed records',
  planning: 'Preparing Sage documents',
  writing: 'Writing to Sage',
  reconciling: 'Tying out payouts',
};
