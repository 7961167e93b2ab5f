import { useEffect, useRef, useState } from 'react';
import type { ActivityRow, PlannedDocumentView, StatusSnapshot } from '../../../preload/contract.js';
import { countOf } from '../../../preload/count-words.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { StateBadge } from '../components/state-badge.js';
import { formatDate, formatDateTime, formatMoney } from '../format.js';
import { useRequest } from '../use-request.js';
import { PLANNING_KEY_PREFIX } from './planning-key.js';
import { RulesOnRecord } from './rules-on-record.js';
import { AcceptSageJournalForm } from './accept-sage-journal-form.js';

const levelLabels = { event: 'Stripe event', object: 'Stripe record', balance_transaction: 'Stripe balance', ledger: 'Sync ledger', sage: 'Sage' } as const;

function PlanTable({ document }: { document: PlannedDocumentView }) {
  return (
    <section className="card" aria-label={`Sage ${document.type.replace('_', ' ')} ${document.docKey}`}>
      <h3>
        {document.summary} <StateBadge state={document.state} />
      </h3>
      {document.postDate ? <p className="muted">Post date {formatDate(document.postDate)}</p> : null}
      {document.notes?.length ? (
        <ul aria-label="Fitted to Sage">
          {document.notes.map((note) => <li key={note}>Note: {note}</li>)}
        </ul>
      ) : null}
      {document.rules?.length ? (
        <ul aria-label="Business rules">
          {document.rules.map((rule) => <li key={rule}>{rule}</li>)}
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

/** A retry asked from this panel: when, and the newest run at that moment. */
interface RetryAsked {
  docKeys: string[];
  at: string;
  afterRunId: number;
}

/** What became of a retry once a later run has finished: in Sage, or failed again (and when). */
function retryOutcome(row: ActivityRow, issue: { message: string } | null, asked: RetryAsked, status: StatusSnapshot): string | null {
  const finished = status.lastRun?.finishedAt && status.lastRun.runId > asked.afterRunId ? status.lastRun.finishedAt : null;
  if (!finished) return `Retry asked at ${formatDateTime(asked.at)}; the result shows here when the sync ends.`;
  if (asked.docKeys.some((key) => key.startsWith(PLANNING_KEY_PREFIX))) {
    return issue ? `Retried at ${formatDateTime(asked.at)}: still could not be prepared for Sage (checked ${formatDateTime(finished)}).` : `Retried at ${formatDateTime(asked.at)}: prepared for Sage.`;
  }
  const documents = row.documents.filter((doc) => asked.docKeys.includes(doc.docKey));
  const failedAgain = documents.filter((doc) => doc.state === 'failed' || doc.state === 'dead');
  if (failedAgain.length > 0) {
    const latest = failedAgain.map((doc) => doc.updatedAt).sort().at(-1) ?? finished;
    return `Retried at ${formatDateTime(asked.at)}: failed again at ${formatDateTime(latest)}. ${failedAgain[0]?.lastError ?? ''}`.trim();
  }
  return documents.every((doc) => doc.state === 'written') ? `Retried at ${formatDateTime(asked.at)}: now in Sage.` : `Retried at ${formatDateTime(asked.at)}: waiting to be written.`;
}

function SkipForm({ docKeys, onDone }: { docKeys: string[]; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        call('skipDocuments', { docKeys, reason }).then(({ skipped }) => onDone(`${countOf(skipped, 'document')} skipped: never to be written to Sage.`), (failure: unknown) => onDone(String(failure)));
      }}
    >
      <label>
        Why skip it? (kept with the record)
        <input value={reason} onChange={(event) => setReason(event.target.value)} minLength={3} required placeholder="e.g. entered by hand in Sage" autoFocus />
      </label>
      <button type="submit">Skip</button>
    </form>
  );
}

/** One Stripe record: its trail from Stripe event to Sage document, the exact Sage lines, and what to do when it is stuck. */
export function ObjectDetailPanel({ stripeObjectId, status, onBack }: { stripeObjectId: string; status: StatusSnapshot; onBack: () => void }) {
  const detail = useRequest(() => call('getObjectDetail', { stripeObjectId }), [stripeObjectId, status.lastRun?.runId, status.lastRun?.finishedAt]);
  const heading = useRef<HTMLHeadingElement>(null);
  const [retry, setRetry] = useState<RetryAsked | null>(null);
  const [skipping, setSkipping] = useState(false);
  const [accepting, setAccepting] = useState(false);
  const [notice, setNotice] = useState('');
  const loaded = detail.value !== null;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);
  const row = detail.value?.row;
  const issue = detail.value?.issue ?? null;
  const stuck = row?.documents.filter((doc) => doc.state === 'failed' || doc.state === 'dead') ?? [];
  const held = row?.documents.filter((doc) => doc.waitingNote !== undefined) ?? [];
  const acceptable = stuck.filter((doc) => doc.sageJournalAcceptable);
  const retryKeys = issue ? [`${PLANNING_KEY_PREFIX}${stripeObjectId}`] : stuck.map((doc) => doc.docKey);
  const askRetry = (): void => {
    const asked = { docKeys: retryKeys, at: new Date().toISOString(), afterRunId: status.lastRun?.runId ?? 0 };
    call('retryDocuments', { docKeys: retryKeys }).then(
      () => {
        setRetry(asked);
        setNotice('');
      },
      (failure: unknown) => setNotice(String(failure)),
    );
  };
  const outcome = row && retry ? retryOutcome(row, issue, retry, status) : null;
  return (
    <div className="stack">
      <button type="button" className="link back" onClick={onBack}>← Back to Activity</button>
      <ErrorMessage text={detail.error} />
      {row ? (
        <>
          <h1 ref={heading} tabIndex={-1}>{row.description}</h1>
          <p className="muted">
            {formatMoney(row.amount, row.currency)}
            {row.customerName ? ` · ${row.customerName}` : ''} · {formatDateTime(row.created)}
          </p>
          <p className="muted mono">{row.stripeObjectId}</p>
          {row.dashboardUrl ? (
            <a className="external" href={row.dashboardUrl} target="_blank" rel="noreferrer">
              Open in the Stripe Dashboard{row.dashboardUrl.includes('/test/') ? ' (test mode)' : ''}
            </a>
          ) : null}
          {issue ? (
            <section className="card" aria-labelledby="issue-heading">
              <h2 id="issue-heading">Not in Sage: could not be prepared</h2>
              <p>{issue.message}</p>
            </section>
          ) : null}
          {stuck.length > 0 ? (
            <section className="card" aria-labelledby="stuck-heading">
              <h2 id="stuck-heading">Not in Sage: {countOf(stuck.length, 'document')} Sage refused</h2>
              {stuck.map((doc) => (
                <p key={doc.docKey} className="small">
                  {countOf(doc.attempts, 'attempt')}, the last {formatDateTime(doc.updatedAt)}: {doc.lastError}
                </p>
              ))}
            </section>
          ) : null}
          {held.length > 0 ? (
            <section className="card" aria-labelledby="held-heading">
              <h2 id="held-heading">Not in Sage yet: {countOf(held.length, 'document')} held back</h2>
              {held.map((doc) => (
                <p key={doc.docKey} className="small">
                  <span className="mono">{doc.docKey}</span> {doc.waitingNote}
                </p>
              ))}
            </section>
          ) : null}
          {retryKeys.length > 0 ? (
            <div className="row">
              <button type="button" className="primary" onClick={askRetry}>Retry</button>
              {issue ? null : (
                <button type="button" aria-expanded={skipping} onClick={() => setSkipping(!skipping)}>Skip…</button>
              )}
              {acceptable.length > 0 ? (
                <button type="button" aria-expanded={accepting} onClick={() => setAccepting(!accepting)}>Accept Sage's journal…</button>
              ) : null}
            </div>
          ) : null}
          {accepting ? (
            <AcceptSageJournalForm
              docKeys={acceptable.map((doc) => doc.docKey)}
              subject={stripeObjectId}
              onDone={(message) => {
                setAccepting(false);
                setNotice(message);
                detail.reload();
              }}
            />
          ) : null}
          {skipping ? (
            <SkipForm
              docKeys={stuck.map((doc) => doc.docKey)}
              onDone={(message) => {
                setSkipping(false);
                setNotice(message);
                detail.reload();
              }}
            />
          ) : null}
          <p className="notice retry-note" aria-live="polite">{outcome ?? notice}</p>
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
          <RulesOnRecord stripeObjectId={stripeObjectId} />
        </>
      ) : (
        <p aria-busy="true">Loading…</p>
      )}
    </div>
  );
}
