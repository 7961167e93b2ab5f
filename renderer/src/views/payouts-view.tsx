import { useEffect, useRef, useState } from 'react';
import type { PayoutRow, StatusSnapshot } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { formatDate, formatMoney } from '../format.js';
import { countOf } from '../../../preload/count-words.js';
import { useRequest } from '../use-request.js';

const statusWords: Record<PayoutRow['status'], string> = {
  reconciled: 'Ties out',
  blocked: 'Does not tie out yet',
  waiting: 'Waiting',
  failed: 'Failed',
  manual: 'Book by hand',
};

function PayoutReportPanel({ payoutId, onBack }: { payoutId: string; onBack: () => void }) {
  const report = useRequest(() => call('getPayoutReport', { payoutId }), [payoutId]);
  const value = report.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = value !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);
  return (
    <div className="stack">
      <button type="button" className="link back" onClick={onBack}>← Back to Payouts</button>
      <ErrorMessage text={report.error} />
      {value ? (
        <>
          <h1 ref={heading} tabIndex={-1}>Payout {formatMoney(value.payout.amount, value.payout.currency)}</h1>
          <p className="muted mono">{value.payout.payoutId} · arrives {formatDate(value.payout.arrivalDate)}</p>
          <p><span className={`payout-status payout-${value.payout.status}`}>{statusWords[value.payout.status]}</span> {value.payout.explanation}</p>
          {value.payout.variance ? <p><strong>Not in Sage yet:</strong> {formatMoney(value.payout.variance, value.payout.currency)}</p> : null}
          <table>
            <caption>What the payout is made of</caption>
            <thead>
              <tr><th scope="col">Category</th><th scope="col">Stripe</th><th scope="col">Sage</th><th scope="col">Account</th></tr>
            </thead>
            <tbody>
              {value.lines.map((line) => (
                <tr key={line.category}>
                  <td>{line.category.replace('_', ' ')} <span className="muted">({line.sourceIds.length})</span></td>
                  <td className="num">{formatMoney(line.stripeAmount, value.payout.currency)}</td>
                  <td className="num">{formatMoney(line.sageAmount, value.payout.currency)}</td>
                  <td className="mono">{line.acctNo ?? '—'}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr><th scope="row">Net to bank</th><td className="num">{formatMoney(value.stripeNet, value.payout.currency)}</td><td className="num">{formatMoney(value.sageBankAmount, value.payout.currency)}</td><td /></tr>
            </tfoot>
          </table>
        </>
      ) : (
        <p aria-busy="true">Loading…</p>
      )}
    </div>
  );
}

function downloadCsv(csv: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

function PayoutListItem({ row, onOpen, opener }: { row: PayoutRow; onOpen: () => void; opener: (element: HTMLButtonElement | null) => void }) {
  return (
    <li>
      <button type="button" ref={opener} className="list-item" onClick={onOpen}>
        <span className="list-main">
          <span className="list-title">{formatMoney(row.amount, row.currency)} · {formatDate(row.arrivalDate)}</span>
          <span className="muted mono">{row.payoutId}{row.sageBatch ? ` · Sage ${row.sageBatch}` : ''}</span>
        </span>
        <span className={`payout-status payout-${row.status}`}>{statusWords[row.status]}</span>
        {row.status === 'blocked' ? (
          <span className="payout-why">
            {row.variance ? <strong>{formatMoney(row.variance, row.currency)} not in Sage yet. </strong> : null}
            {row.explanation}
          </span>
        ) : null}
      </button>
    </li>
  );
}

/** Payouts and their tie-out proof: every transaction booked and adding up to the deposit. */
export function PayoutsView({ status }: { status: StatusSnapshot }) {
  const [selected, setSelected] = useState<string | null>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const openers = useRef(new Map<string, HTMLButtonElement>());
  const payouts = useRequest(() => call('listPayouts', {}), [status.lastRun?.runId, status.counts.written]);
  useEffect(() => {
    // Back from a report: focus returns to the payout that was opened.
    if (!selected && returnTo) openers.current.get(returnTo)?.focus();
  }, [selected, returnTo]);
  if (selected) {
    return (
      <PayoutReportPanel
        payoutId={selected}
        onBack={() => {
          setReturnTo(selected);
          setSelected(null);
        }}
      />
    );
  }
  const rows = payouts.value ?? [];
  const blocked = rows.filter((row) => row.status === 'blocked').length;
  const exportCsv = (): void => {
    const dates = rows.map((row) => row.arrivalDate).sort();
    const from = dates[0] ?? new Date().toISOString().slice(0, 10);
    const to = dates[dates.length - 1] ?? from;
    call('exportPayoutsCsv', { from, to }).then(
      ({ csv, fileName }) => {
        downloadCsv(csv, fileName);
        setNotice(`Saved ${fileName}`);
      },
      (failure: unknown) => setNotice(String(failure)),
    );
  };
  return (
    <div className="stack">
      <header className="status-head">
        <h1 tabIndex={-1}>Payouts</h1>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>Export CSV</button>
      </header>
      <p className="notice" aria-live="polite">{notice}</p>
      <ErrorMessage text={payouts.error} />
      {blocked > 0 ? <p className="small">{countOf(blocked, 'payout')} {blocked === 1 ? 'waits' : 'wait'} for their tie-out: the payout journal is written once every transaction in it is in Sage and they add up to the deposit.</p> : null}
      {payouts.value && rows.length === 0 ? <p className="muted">No payouts yet.</p> : null}
      <ul className="list">
        {rows.map((row) => (
          <PayoutListItem
            key={row.payoutId}
            row={row}
            onOpen={() => setSelected(row.payoutId)}
            opener={(element) => {
              if (element) openers.current.set(row.payoutId, element);
              else openers.current.delete(row.payoutId);
            }}
          />
        ))}
      </ul>
    </div>
  );
}
