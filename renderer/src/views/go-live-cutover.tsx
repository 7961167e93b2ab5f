import { useState } from 'react';
import type { OpeningBalanceView, SettingsView as Settings } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { formatDate, formatMoney } from '../format.js';
import { useRequest } from '../use-request.js';

/**
 * The cutover in the window: leaving shadow mode shows the opening-balance journal at the
 * go-live date (what Stripe held then, on which accounts, made of what) for the bookkeeper to
 * confirm, beside the choice of what happens to the documents previewed so far. The amounts
 * confirmed are exactly the ones shown (the app service refuses others), and the journal is
 * written by the first sync after going live (core/engine/opening-balance.ts).
 */

const stateWords: Record<OpeningBalanceView['state'], string> = {
  'not-ready': 'Not proposed yet: the next sync reads Stripe’s balance and proposes it here.',
  'to-confirm': 'Check these amounts against Stripe at the start of the go-live date, then confirm them.',
  confirmed: 'Confirmed: the first sync after going live writes this journal to Sage.',
  written: 'Written to Sage.',
};

/** The opening-balance journal at go-live, and its confirmation; nothing without a go-live date. */
export function OpeningBalanceJournal({ refreshKey }: { refreshKey?: unknown }) {
  const proposal = useRequest(() => call('getOpeningBalance', undefined), [refreshKey]);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const view = proposal.value;
  if (proposal.error) return <ErrorMessage text={`The opening balance at go-live cannot be shown: ${proposal.error}`} />;
  if (!view) return null;
  const currency = view.currency;
  const confirm = (): void => {
    if (view.clearing === null || view.inTransit === null) return;
    setConfirming(true);
    setConfirmError(null);
    call('confirmOpeningBalance', { clearing: view.clearing, inTransit: view.inTransit })
      .then(() => proposal.reload(), (failure: unknown) => setConfirmError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setConfirming(false));
  };
  return (
    <section className="stack" aria-labelledby="opening-balance-heading">
      <h3 id="opening-balance-heading">Opening balance at go-live, {formatDate(view.goLiveDate)}</h3>
      <p className="small">
        One journal dated {formatDate(view.goLiveDate)} puts what Stripe held at the start of that day on the clearing and payouts-in-transit accounts, so that from then on they equal Stripe. The other side goes to {view.offsetAccount}, for you to reclassify against wherever your hand-keyed books held the Stripe money.
      </p>
      {view.clearing !== null && view.inTransit !== null ? (
        <table aria-label="Opening-balance journal">
          <thead>
            <tr><th scope="col">Account</th><th scope="col">Made of</th><th scope="col" className="num">Amount</th></tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{view.clearingAccount} Stripe clearing</th>
              <td className="small">{view.transactions.toLocaleString('en-US')} Stripe transaction{view.transactions === 1 ? '' : 's'} before go-live</td>
              <td className="num">{formatMoney(view.clearing, currency)}</td>
            </tr>
            <tr>
              <th scope="row">{view.inTransitAccount} Payouts in transit</th>
              <td className="small">{view.payoutsInTransit.toLocaleString('en-US')} payout{view.payoutsInTransit === 1 ? '' : 's'} on the way to the bank at go-live</td>
              <td className="num">{formatMoney(view.inTransit, currency)}</td>
            </tr>
            <tr>
              <th scope="row">{view.offsetAccount} Other side</th>
              <td className="small">both, the other way</td>
              <td className="num">{formatMoney(view.offset, currency)}</td>
            </tr>
          </tbody>
        </table>
      ) : null}
      <p className="muted small" role="status" aria-label="Opening balance state">{stateWords[view.state]}</p>
      {view.state === 'to-confirm' ? (
        <div className="row">
          <button type="button" disabled={confirming} onClick={confirm}>
            Confirm the opening balance ({formatMoney(view.clearing, currency)} clearing, {formatMoney(view.inTransit, currency)} in transit)
          </button>
        </div>
      ) : null}
      <ErrorMessage text={confirmError} />
    </section>
  );
}

/**
 * Shown when the bookkeeper unticks shadow mode with documents previewed: their count and
 * dates, the opening balance to confirm, and what to do with the previewed documents.
 */
export function LeavingShadowMode({
  previewed,
  goLiveDate,
  onChoose,
  onStay,
}: {
  previewed: NonNullable<Settings['previewed']>;
  goLiveDate: string | null;
  onChoose: (choice: 'skip' | 'write') => void;
  onStay: () => void;
}) {
  return (
    <div className="card attention-warning stack" role="group" aria-label="Going live: previewed documents">
      <p>
        {previewed.count.toLocaleString('en-US')} documents dated {previewed.from ?? '?'} to {previewed.to ?? '?'} were previewed in shadow mode.
        {goLiveDate ? ` Those dated before the go-live date ${goLiveDate} are never written.` : ' No go-live date is set: set one below first if that activity was keyed into Sage by hand.'}
      </p>
      {goLiveDate ? <OpeningBalanceJournal /> : null}
      <div className="row">
        <button type="button" onClick={() => onChoose('skip')}>Keep them out of Sage and go live</button>
        <button type="button" onClick={() => onChoose('write')}>Write them to Sage and go live</button>
        <button type="button" onClick={onStay}>Stay in shadow mode</button>
      </div>
    </div>
  );
}
