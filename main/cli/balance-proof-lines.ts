import { formatForDisplay, formatSageAmount, parseSageAmount } from '../core/money/sage-amount.js';
import type { BalanceProof } from '../core/reconciliation/balance-proof.js';

/**
 * The balance proof in words for the terminal: one line for `s5sync status` and the demo
 * summary, the full account with every listed transaction for `s5sync report balance`.
 */

const show = (proof: BalanceProof, amount: string) => formatForDisplay(parseSageAmount(amount), proof.currency);

export function balanceProofSummary(proof: BalanceProof | null): string {
  if (!proof) return 'balance proof: not made yet (it runs after a sync that read Stripe)';
  const verdict = !proof.holds
    ? `DOES NOT HOLD: ${show(proof, proof.unexplained)} unexplained`
    : proof.exact
      ? 'holds exactly'
      : `holds; ${proof.items.length + (proof.inTransit?.items.length ?? 0)} listed transaction(s) and payout(s) not in Sage yet`;
  const inTransit = proof.inTransit ? `; in transit ${show(proof, proof.inTransit.stripe)}, ${proof.inTransit.account} ${show(proof, proof.inTransit.booked)}` : '';
  return `balance proof (${proof.checkedAt}): Stripe balance ${show(proof, proof.stripeBalance)}, clearing ${proof.clearingAccount} ${show(proof, proof.booked)}${inTransit}: ${verdict}`;
}

export function balanceProofReport(proof: BalanceProof | null): string[] {
  if (!proof) return [balanceProofSummary(null)];
  const lines = [
    `Balance proof at ${new Date(proof.cutoff * 1000).toISOString()} (checked ${proof.checkedAt})`,
    `  Stripe available        ${show(proof, proof.stripeAvailable)}`,
    `  Stripe pending          ${show(proof, proof.stripePending)}`,
    `  Stripe balance          ${show(proof, proof.stripeBalance)}`,
    `  less opening balance    ${show(proof, proof.opening)} (before the first transaction read)`,
    `  clearing ${proof.clearingAccount.padEnd(14)} ${show(proof, proof.booked)} (written to Sage)`,
    `  difference              ${show(proof, proof.difference)}`,
    `  explained below         ${show(proof, formatSageAmount(parseSageAmount(proof.difference) - parseSageAmount(proof.unexplained)))}`,
    `  unexplained             ${show(proof, proof.unexplained)}`,
  ];
  if (proof.inTransit) {
    lines.push(
      `  Stripe payouts on their way ${show(proof, proof.inTransit.stripe)}`,
      `  in transit ${proof.inTransit.account.padEnd(12)} ${show(proof, proof.inTransit.booked)} (written to Sage)`,
      `  in-transit difference   ${show(proof, proof.inTransit.difference)}`,
    );
  }
  lines.push(
    proof.holds
      ? proof.exact
        ? 'The clearing account equals Stripe\u2019s balance and payouts in transit equal the payouts on their way, to the cent.'
        : 'The proof holds: every cent of the difference is a transaction or payout listed below, not in Sage yet.'
      : 'The proof does NOT hold: money Stripe counts was never read, or was booked twice, or a payout is in transit in Sage for another amount.',
  );
  for (const other of proof.otherCurrencies) lines.push(`  also ${other.amount} ${other.currency.toUpperCase()} in Stripe, which the clearing account (home currency) cannot hold`);
  if (proof.items.length > 0) {
    lines.push('', 'Transactions in the difference:');
    for (const item of proof.items) {
      const when = item.created === 0 ? '' : ` ${new Date(item.created * 1000).toISOString().slice(0, 10)}`;
      lines.push(`  ${item.balanceTransactionId} ${item.type}${when}: Stripe ${show(proof, item.stripeNet)}, Sage ${show(proof, item.booked)}: ${item.reason}`);
    }
  }
  if (proof.inTransit && proof.inTransit.items.length > 0) {
    lines.push('', 'Payouts in the in-transit difference:');
    for (const item of proof.inTransit.items) {
      lines.push(`  ${item.payoutId} ${item.status}: Stripe in transit ${show(proof, item.stripeInTransit)}, Sage ${show(proof, item.booked)}: ${item.reason}`);
    }
  }
  return lines;
}
