import { useState } from 'react';
import type { ArConfirmationView, ArPaymentsView as ArPaymentsData } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';

type Decision = { kind: 'apply'; tranId: string } | { kind: 'on-account' } | { kind: 'gl' };

/**
 * AR payments (docs/posting-rules.md "AR payments"): whether this Sage site may take Stripe
 * payments as AR cash receipts, and why not; and the payments the sync would not match on its
 * own, for the user to say which Sage invoice each pays, or on account, or GL only.
 */
function Confirmation({ request, onDecide }: { request: ArConfirmationView; onDecide: (paymentId: string, decision: Decision) => void }) {
  return (
    <section className="card" aria-label={`Payment ${request.paymentId}`}>
      <h3>
        <span className="mono">{request.paymentId}</span> · {request.amount}
        {request.custId ? <> from {request.custId}</> : null}
      </h3>
      <p>{request.reason}</p>
      <ul className="list">
        {request.candidates.map((candidate) => (
          <li key={candidate.tranId} className="list-row">
            <span className="list-main">
              <span className="mono">{candidate.tranId}</span>
              <span className="muted small">customer {candidate.custId}, open {candidate.openBalance}</span>
            </span>
            <button type="button" className="primary" onClick={() => onDecide(request.paymentId, { kind: 'apply', tranId: candidate.tranId })}>
              Apply to {candidate.tranId}
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        {request.custId ? (
          <button type="button" onClick={() => onDecide(request.paymentId, { kind: 'on-account' })}>
            On account of {request.custId}
          </button>
        ) : null}
        <button type="button" onClick={() => onDecide(request.paymentId, { kind: 'gl' })}>
          GL only
        </button>
      </div>
    </section>
  );
}

export function ArPaymentsView() {
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const view = useRequest<ArPaymentsData>(() => call('getArPayments', undefined), []);
  const decide = (paymentId: string, decision: Decision): void => {
    call('decideArPayment', { paymentId, decision }).then(
      () => {
        setFailure(null);
        setNotice(`${paymentId}: ${decision.kind === 'apply' ? `applied to ${decision.tranId}` : decision.kind === 'on-account' ? 'on account' : 'GL only'} at the next sync`);
        view.reload();
      },
      (error: unknown) => setFailure(error instanceof Error ? error.message : String(error)),
    );
  };
  const data = view.value;
  return (
    <div className="stack">
      <h1 tabIndex={-1}>AR payments</h1>
      <p className="notice" aria-live="polite">{notice}</p>
      <ErrorMessage text={view.error ?? failure} />
      {data ? (
        <>
          <p className={data.active ? '' : 'muted'} role="status">
            {data.reason}
          </p>
          {data.pending.length === 0 ? (
            <p className="muted">No payment is waiting for you.</p>
          ) : (
            <section className="stack" aria-labelledby="ar-confirm">
              <h2 id="ar-confirm">Which Sage invoice does each payment pay?</h2>
              {data.pending.map((request) => <Confirmation key={request.paymentId} request={request} onDecide={decide} />)}
            </section>
          )}
        </>
      ) : null}
    </div>
  );
}
