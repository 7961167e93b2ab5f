import { useEffect, useRef, useState } from 'react';
import type { MappingPreview, MappingProblem, ViewId } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';
import { countOf } from '../../../preload/count-words.js';
import { AccountFinder } from './account-finder.js';

type Accounts = Record<string, string | Record<string, string>>;

const accountLabels: Record<string, string> = {
  clearing: 'Stripe clearing',
  bank: 'Bank (payouts)',
  payoutsInTransit: 'Payouts in transit',
  revenue: 'Sales revenue',
  refunds: 'Refunds',
  salesTax: 'Sales tax',
  receivable: 'Invoices receivable',
  disputes: 'Chargebacks',
  disputeFees: 'Dispute fees',
  adjustments: 'Adjustments and reserves',
  customerCredits: 'Customer credits',
  badDebt: 'Bad debt',
};

interface AccountFieldProps {
  path: string;
  label: string;
  value: string;
  problems: MappingProblem[];
  onChange: (value: string) => void;
}

function AccountField({ path, label, value, problems, onChange }: AccountFieldProps) {
  const [finding, setFinding] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const problem = problems.find((candidate) => candidate.path === path);
  const id = `field-${path}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="row nowrap">
        <input
          ref={input}
          id={id}
          className="mono"
          value={value}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
        <button type="button" aria-expanded={finding} aria-controls={`${id}-finder`} aria-label={`Find a Sage account for ${label}`} onClick={() => setFinding(!finding)}>
          Find…
        </button>
      </span>
      {problem ? <span id={`${id}-problem`} className="error-text small">{problem.message}</span> : null}
      {finding ? (
        <AccountFinder
          id={`${id}-finder`}
          fieldLabel={label}
          onPick={(acctNo) => {
            onChange(acctNo);
            setFinding(false);
            input.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

const LISTED_CHANGES = 10;

/** A mapping path ("accounts.fees.stripe_fee") as the field's label, never the raw path. */
export function fieldLabelOf(path: string): string {
  const [group, key, feeType] = path.split('.');
  if (group !== 'accounts' || !key) return path === '' ? 'Mapping' : path.replace(/\./g, ' › ');
  if (feeType) return `Stripe fees: ${feeType.replace('_', ' ')}`;
  return accountLabels[key] ?? key;
}

interface AccountMove {
  from: string;
  to: string;
}

/** The accounts each document's lines move between, each pair once. */
function movesOf(change: MappingPreview['changes'][number]): AccountMove[] {
  const moves = change.before.lines
    .map((line, index) => ({ from: line.acctNo, to: change.after.lines[index]?.acctNo ?? line.acctNo }))
    .filter((move) => move.from !== move.to);
  return [...new Map(moves.map((move) => [`${move.from} → ${move.to}`, move])).values()];
}

function PreviewChanges({ preview }: { preview: MappingPreview }) {
  const byMove = new Map<string, number>();
  for (const change of preview.changes) {
    for (const move of movesOf(change)) byMove.set(`${move.from} → ${move.to}`, (byMove.get(`${move.from} → ${move.to}`) ?? 0) + 1);
  }
  const listed = preview.changes.slice(0, LISTED_CHANGES);
  return (
    <section aria-labelledby="preview-heading" className="stack">
      <h2 id="preview-heading">{countOf(preview.changes.length, 'waiting document')} would change</h2>
      {preview.changes.length === 0 ? <p className="muted">No document waiting for Sage uses the accounts you changed. Written documents never change.</p> : null}
      <ul className="list compact" aria-label="Account changes">
        {[...byMove.entries()].map(([move, count]) => (
          <li key={move}><span className="mono">{move}</span>: {countOf(count, 'document')}</li>
        ))}
      </ul>
      {listed.length > 0 ? (
        <details>
          <summary>Documents{preview.changes.length > listed.length ? ` (first ${listed.length})` : ''}</summary>
          <ul className="list compact">
            {listed.map((change) => (
              <li key={change.docKey}>
                <span className="mono">{change.stripeObjectId}</span> {change.after.summary}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

/** GL accounts per kind of Stripe money, checked against Sage, previewed before saving. */
export function MappingView({ onNavigate }: { onNavigate: (view: ViewId) => void }) {
  const saved = useRequest(() => call('getMapping', undefined), []);
  const [mapping, setMapping] = useState<Record<string, unknown> | null>(null);
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [notice, setNotice] = useState('');
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  useEffect(() => {
    if (saved.value && !mapping) {
      setMapping(saved.value.mapping);
      setProblems(saved.value.problems);
    }
  }, [saved.value, mapping]);
  if (!mapping) return <div className="stack"><h1 tabIndex={-1}>Mapping</h1><ErrorMessage text={saved.error} /><p aria-busy="true">Loading…</p></div>;
  const accounts = mapping.accounts as Accounts;
  const setAccount = (key: string, value: string, feeType?: string): void => {
    const current = accounts[key];
    const next = feeType && typeof current === 'object' ? { ...current, [feeType]: value } : value;
    setMapping({ ...mapping, accounts: { ...accounts, [key]: next } });
    setPreview(null);
    setSavedVersion(null);
  };
  const runPreview = (): void => {
    call('previewMapping', { mapping }).then((result) => {
      setPreview(result);
      setProblems(result.problems);
      setNotice(result.problems.length ? 'Fix the problems shown before saving.' : '');
    }, (failure: unknown) => setNotice(String(failure)));
  };
  const save = (): void => {
    call('saveMapping', { mapping }).then((result) => {
      setProblems(result.problems);
      if (result.problems.length) {
        setNotice('Not saved: fix the problems shown.');
        return;
      }
      setMapping(result.mapping);
      setSavedVersion(result.version);
      setNotice(`Saved as version ${result.version}. Documents not yet in Sage are prepared again with it.`);
      setPreview(null);
    }, (failure: unknown) => setNotice(String(failure)));
  };
  return (
    <div className="stack">
      <h1 tabIndex={-1}>Mapping</h1>
      <p className="muted">Which Sage GL account each kind of Stripe money goes to. Each account is checked against your Sage chart.</p>
      <fieldset>
        <legend>GL accounts</legend>
        {Object.entries(accounts).map(([key, value]) =>
          typeof value === 'string' ? (
            <AccountField key={key} path={`accounts.${key}`} label={accountLabels[key] ?? key} value={value} problems={problems} onChange={(next) => setAccount(key, next)} />
          ) : (
            Object.entries(value).map(([feeType, feeAccount]) => (
              <AccountField key={`${key}.${feeType}`} path={`accounts.${key}.${feeType}`} label={`Stripe fees: ${feeType.replace('_', ' ')}`} value={feeAccount} problems={problems} onChange={(next) => setAccount(key, next, feeType)} />
            ))
          ),
        )}
      </fieldset>
      <div className="row">
        <button type="button" onClick={runPreview}>Preview changes</button>
        <button type="button" className="primary" onClick={save}>Save mapping</button>
      </div>
      <p className="notice" aria-live="polite">{notice}</p>
      {savedVersion !== null ? (
        <p>
          Records that failed with the old accounts: <button type="button" className="link" onClick={() => onNavigate('errors')}>retry them in Errors</button>.
        </p>
      ) : null}
      {problems.length ? (
        <ul className="problems" aria-label="Problems">
          {problems.map((problem) => <li key={problem.path} className="error-text">{fieldLabelOf(problem.path)}: {problem.message}</li>)}
        </ul>
      ) : null}
      {preview && preview.problems.length === 0 ? <PreviewChanges preview={preview} /> : null}
    </div>
  );
}
