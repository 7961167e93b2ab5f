import { useEffect, useState } from 'react';
import type { MappingPreview, MappingProblem, ViewId } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';
import { AccountField } from './account-field.js';
import { ArPaymentOptions } from './ar-mapping-options.js';
import type { DraftChange, MappingDraft } from './mapping-draft.js';
import { MappingChanges } from './mapping-changes.js';
import { CustomerOptions, JournalOptions, SalesOrderOptions } from './mapping-options.js';
import { ProductRules } from './product-rules.js';
import { RulesEditor } from './rules-editor.js';

const accountLabels: Record<string, string> = {
  clearing: 'Stripe clearing',
  bank: 'Bank (payouts)',
  payoutsInTransit: 'Payouts in transit',
  openingBalanceOffset: 'Opening balance at go-live (other side)',
  revenue: 'Sales revenue',
  refunds: 'Refunds',
  salesTax: 'Sales tax',
  receivable: 'Invoices receivable',
  disputes: 'Chargebacks',
  disputeFees: 'Dispute fees',
  adjustments: 'Adjustments',
  reserve: 'Stripe reserve',
  suspense: 'Suspense (unclassified)',
  customerCredits: 'Customer credits',
  badDebt: 'Bad debt',
};

const feeLabel = (feeType: string): string => (feeType === 'default' ? 'Stripe fees: other types' : `Stripe fees: ${feeType.replace(/_/g, ' ')}`);

/** A mapping path ("accounts.fees.stripe_fee") as the field's label, never the raw path. */
export function fieldLabelOf(path: string): string {
  const [group, key, feeType] = path.split('.');
  if (group === 'productRevenue' && key) return `Revenue account for ${key}`;
  if (group === 'productItems' && key) return `Sage item for ${key}`;
  if (group !== 'accounts' || !key) return path === '' ? 'Mapping' : path.replace(/\./g, ' › ');
  if (feeType) return feeLabel(feeType);
  return accountLabels[key] ?? key;
}

function AccountSettings({ draft, problems, change }: { draft: MappingDraft; problems: MappingProblem[]; change: DraftChange }) {
  const setAccount = (key: string, value: string, feeType?: string): void =>
    change((current) => {
      const existing = current.accounts[key];
      const next = feeType && typeof existing === 'object' ? { ...existing, [feeType]: value } : value;
      return { ...current, accounts: { ...current.accounts, [key]: next } };
    });
  return (
    <fieldset>
      <legend>GL accounts</legend>
      {Object.entries(draft.accounts).map(([key, value]) =>
        typeof value === 'string' ? (
          <AccountField key={key} path={`accounts.${key}`} label={accountLabels[key] ?? key} value={value} problems={problems} onChange={(next) => setAccount(key, next)} />
        ) : (
          Object.entries(value).map(([feeType, feeAccount]) => (
            <AccountField key={`${key}.${feeType}`} path={`accounts.${key}.${feeType}`} label={feeLabel(feeType)} value={feeAccount} problems={problems} onChange={(next) => setAccount(key, next, feeType)} />
          ))
        ),
      )}
    </fieldset>
  );
}

/**
 * The mapping editor: GL accounts (each with its Sage name and type, checked against the
 * setting), journals, customers, product rules and sales orders, previewed against the
 * documents waiting for Sage before saving. Main validates and checks every account again on
 * save, so nothing the window lets through can reach Sage unchecked.
 */
export function MappingView({ onNavigate }: { onNavigate: (view: ViewId) => void }) {
  const saved = useRequest(() => call('getMapping', undefined), []);
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [notice, setNotice] = useState('');
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  useEffect(() => {
    if (saved.value && !draft) {
      setDraft(saved.value.mapping as MappingDraft);
      setProblems(saved.value.problems);
    }
  }, [saved.value, draft]);
  if (!draft) return <div className="stack"><h1 tabIndex={-1}>Mapping</h1><ErrorMessage text={saved.error} /><p aria-busy="true">Loading…</p></div>;
  const change: DraftChange = (update) => {
    setDraft((current) => (current ? update(current) : current));
    setPreview(null);
    setSavedVersion(null);
  };
  const runPreview = (): void => {
    setNotice('Preparing the waiting documents with the edited mapping…');
    call('previewMapping', { mapping: draft }).then((result) => {
      setPreview(result);
      setProblems(result.problems);
      setNotice(result.problems.length ? 'Fix the problems shown before saving.' : '');
    }, (failure: unknown) => setNotice(String(failure)));
  };
  const save = (): void => {
    call('saveMapping', { mapping: draft }).then((result) => {
      setProblems(result.problems);
      if (result.problems.length) {
        setNotice('Not saved: fix the problems shown.');
        return;
      }
      setDraft(result.mapping as MappingDraft);
      setSavedVersion(result.version);
      setNotice(`Saved as version ${result.version}. Documents not yet in Sage are prepared again with it.`);
      setPreview(null);
    }, (failure: unknown) => setNotice(String(failure)));
  };
  return (
    <div className="stack">
      <h1 tabIndex={-1}>Mapping</h1>
      <p className="muted">Where each kind of Stripe money goes in Sage. Every account is checked against your Sage chart and its type.</p>
      <AccountSettings draft={draft} problems={problems} change={change} />
      <JournalOptions draft={draft} problems={problems} change={change} />
      <CustomerOptions draft={draft} problems={problems} change={change} />
      <ProductRules draft={draft} problems={problems} change={change} />
      <SalesOrderOptions draft={draft} problems={problems} change={change} />
      <ArPaymentOptions draft={draft} problems={problems} change={change} />
      <div className="row sticky-actions">
        <button type="button" onClick={runPreview}>Preview changes</button>
        <button type="button" className="primary" onClick={save}>Save mapping</button>
      </div>
      <p className="notice" aria-live="polite">{notice}</p>
      {savedVersion !== null ? (
        <p>
          Records that failed with the old mapping: <button type="button" className="link" onClick={() => onNavigate('errors')}>retry them in Errors</button>.
        </p>
      ) : null}
      {problems.length ? (
        <ul className="problems" aria-label="Problems">
          {problems.map((problem) => <li key={problem.path} className="error-text">{fieldLabelOf(problem.path)}: {problem.message}</li>)}
        </ul>
      ) : null}
      {preview ? <MappingChanges preview={preview} /> : null}
      <RulesEditor />
    </div>
  );
}
