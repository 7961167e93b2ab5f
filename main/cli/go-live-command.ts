import type { SyncConfig } from '../adapters/config/config-file.js';
import { LedgerFile } from '../app/ledger-file.js';
import { formatSageAmount, parseSageAmount } from '../core/money/sage-amount.js';
import { OpeningBalanceRefused, type OpeningBalanceProposal } from '../core/engine/opening-balance.js';

/**
 * `s5sync go-live [--json]`: the opening-balance journal at go-live, as the sync proposes it;
 * `s5sync go-live confirm --clearing X --in-transit Y`: confirms exactly those amounts, and the
 * next sync writes the journal. Exit 1 when the amounts shown are no longer the proposal.
 */
export function goLiveCommand(
  config: SyncConfig,
  options: { confirm: { clearing: string; inTransit: string } | null; json: boolean },
  write: (line: string) => void,
): number {
  const file = LedgerFile.openExisting(config);
  if (!file) {
    write(`no ledger yet at ${LedgerFile.pathOf(config)}: run \`s5sync sync --once\` first`);
    return 1;
  }
  try {
    const goLiveDate = config.sync.goLiveDate;
    let proposal: OpeningBalanceProposal | null;
    try {
      proposal = options.confirm ? file.operations.confirmOpeningBalance(goLiveDate, options.confirm) : file.operations.openingBalance(goLiveDate);
    } catch (error) {
      if (!(error instanceof OpeningBalanceRefused)) throw error;
      write(error.message);
      return 1;
    }
    if (options.json) {
      write(JSON.stringify(proposal, null, 2));
      return 0;
    }
    for (const line of openingBalanceLines(proposal)) write(line);
    return 0;
  } finally {
    file.close();
  }
}

export function openingBalanceLines(proposal: OpeningBalanceProposal | null): string[] {
  if (!proposal) return ['no go-live date: the sync writes everything it reads (set sync.goLiveDate to start from a date)'];
  const currency = proposal.currency.toUpperCase();
  if (proposal.clearing === null || proposal.inTransit === null) return [`opening balance at go-live ${proposal.goLiveDate}: ${proposal.note}`];
  const offset = formatSageAmount(-(parseSageAmount(proposal.clearing) + parseSageAmount(proposal.inTransit)));
  return [
    `opening balance at go-live ${proposal.goLiveDate} (${proposal.state}): ${proposal.note}`,
    `  ${proposal.clearingAccount.padEnd(10)} Stripe clearing     ${proposal.clearing} ${currency} (${proposal.transactions} Stripe transaction(s) before go-live)`,
    `  ${proposal.inTransitAccount.padEnd(10)} payouts in transit  ${proposal.inTransit} ${currency} (${proposal.payoutsInTransit} payout(s) on their way at go-live)`,
    `  ${proposal.offsetAccount.padEnd(10)} other side          ${offset} ${currency}`,
  ];
}
