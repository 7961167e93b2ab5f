import type { Mapping } from '../core/mapping/mapping.js';
import type { Ledger } from '../core/ports/ledger.js';
import { confirmOpeningBalance, OpeningBalanceRefused, openingBalanceProposal, type OpeningBalanceProposal } from '../core/engine/opening-balance.js';

/**
 * The opening-balance journal at go-live for the CLI and the window: the proposal the user
 * checks, and the confirmation of exactly the amounts shown (core/engine/opening-balance.ts).
 * Null without a go-live date: there is no cutover to open.
 */

export function openingBalance(ledger: Ledger, mapping: Mapping, goLiveDate: string | null): OpeningBalanceProposal | null {
  return goLiveDate ? openingBalanceProposal(ledger, mapping, goLiveDate) : null;
}

export function confirmOpeningBalanceAmounts(ledger: Ledger, mapping: Mapping, goLiveDate: string | null, seen: { clearing: string; inTransit: string }): OpeningBalanceProposal {
  if (!goLiveDate) throw new OpeningBalanceRefused('there is no go-live date, so there is no opening balance to confirm: set the go-live date first');
  return confirmOpeningBalance(ledger, mapping, goLiveDate, seen);
}
