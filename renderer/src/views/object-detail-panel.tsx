import { useEffect, useRef } from 'react';
import type { PlannedDocumentView } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { StateBadge } from '../components/state-badge.js';
import { formatMoney } from '../format.js';
import { useRequest } from '../use-request.js';

const levelLabels = { event: 'Stripe event', object: 'Stripe record', balance_transaction: 'Stripe balance', ledger: 'Sync ledger', sage: 'Sage' } as const;

function PlanTable({ document }: { document: PlannedDocumentView }) {
  return (
    <section className="card" aria-label={`Sage ${document.type.replace('_', ' ')} ${document.docKey}`}>
      <h3>
        {document.summary} <StateBadge state={document.state} />
      </h3>
      {document.postDate ? <p className="muted">Post date {document.postDate}</p> : null}
      {document.notes?.length ? (
        <ul aria-label="Fitted to Sage">
          {document.notes.map((note) => <li key={note}>Note: {note}</li>)}
        </ul>
      ) : null}
      {document.lines.length > 0 ? (
        <table>
          <thead>
            <tr><th scope="col">Account</th><th scope="col">Debit</th><th scope="col">Credit</th><th scope="col">Comment</th></tr>
          </thead>
          <tbody>
            {document.lines.map((line, index) => (
              <tr key={`${line.acctNo}-${index}`}>
                <td className="mono">{line.acctNo}</td>
                <td className="num">{line.debit ?? ''}</td>
                <td className="num">{line.credit ?? ''}</td>
                <td>{line.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** One Stripe record: its trail from Stripe event to Sage document, and the exact Sage lines. */
export function ObjectDetailPanel({ stripeObjectId, onBack }: { stripeObjectId: string; onBack: () => void }) {
  const detail = useRequest(() => call('getObjectDetail', { stripeObjectId }), [stripeObjectId]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [detail.value]);
  const row = detail.value?.row;
  return (
    <div className="stack">
      <button type="button" className="link back" onClick={onBack}>← Back to Activity</button>
      <ErrorMessage text={detail.error} />
      {row ? (
        <>
          <h1 ref={heading} tabIndex={-1}>{row.description}</h1>
          <p className="muted mono">{row.stripeObjectId} · {formatMoney(row.amount, row.currency)}</p>
          <h2>Trail</h2>
          <ol className="lineage">
            {detail.value?.lineage.map((step) => (
              <li key={`${step.level}-${step.id}`}>
                <span className="lineage-level">{levelLabels[step.level]}</span> <strong>{step.label}</strong>
                <span className="muted mono"> {step.id}</span>
                <div className="muted">{step.detail}</div>
              </li>
            ))}
          </ol>
          <h2>Sage documents</h2>
          {detail.value?.plan.length ? detail.value.plan.map((document) => <PlanTable key={document.docKey} document={document} />) : <p className="muted">No Sage document is needed for this record.</p>}
        </>
      ) : (
        <p aria-busy="true">Loading…</p>
      )}
    </div>
  );
}
