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
      : `holds; ${show(proof, proof.difference)} in ${proof.items.length} listed transaction(s) not in Sage yet`;
  return `balance proof (${proof.checkedAt}): Stripe balance ${show(proof, proof.stripeBalance)}, clearing ${proof.clearingAccount} ${show(proof, proof.booked)}: ${verdict}`;
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
    proof.holds ? (proof.exact ? 'The clearing account equals Stripe\u2019s balance.' : 'The proof holds: every cent of the difference is a transaction listed below.') : 'The proof does NOT hold: money Stripe counts was never read, or was booked twice.',
  ];
  for (const other of proof.otherCurrencies) lines.push(`  also ${other.amount} ${other.currency.toUpperCase()} in Stripe, which the clearing account (home currency) cannot hold`);
  if (proof.items.length > 0) {
    lines.push('', 'Transactions in the difference:');
    for (const item of proof.items) {
      const when = item.created === 0 ? '' : ` ${new Date(item.created * 1000).toISOString().slice(0, 10)}`;
      lines.push(`  ${item.balanceTransactionId} ${item.type}${when}: Stripe ${show(proof, item.stripeNet)}, Sage ${show(proof, item.booked)}: ${item.reason}`);
    }
  }
  return lines;
}
