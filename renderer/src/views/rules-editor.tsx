import { useEffect, useState } from 'react';
import type { MappingPreview, MappingProblem, RuleMatchesView, RuleVocabularyView, SageAccountView, SageReferencesView } from '../../../preload/contract.js';
import { countOf } from '../../../preload/count-words.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { useRequest } from '../use-request.js';

/**
 * The business rules in the Mapping view (main/core/rules, docs/posting-rules.md "Rules"): an
 * ordered list, a form for each rule's conditions and actions with pickers fed by the Sage
 * chart and by recent Stripe data, and a live count of the recent objects the rule matches.
 * Rules are saved as part of the mapping (a new version), validated by main as a whole.
 */

type Fields = Record<string, unknown>;
interface RuleDraft {
  name: string;
  enabled: boolean;
  when: Fields[];
  then: Fields[];
}

const CONDITION_FIELDS: Record<string, string> = {
  objectKind: 'Kind of object',
  presentmentCurrency: 'Currency paid in',
  metadata: 'Metadata',
  description: 'Description',
  amount: 'Amount',
  product: 'Product',
  price: 'Price',
  paymentMethodType: 'Payment method',
  cardBrand: 'Card brand',
  customerCountry: 'Customer country',
  balanceTransactionType: 'Balance transaction type',
  reportingCategory: 'Reporting category',
  livemode: 'Live or test mode',
};

const ACTIONS: Record<string, string> = {
  account: 'Use account',
  segment: 'Set account segment',
  comment: 'Add line comment',
  skip: 'Skip',
  customer: 'New customers',
  salesOrder: 'Sales order lines',
};

const ROLES = ['revenue', 'refunds', 'receivable', 'salesTax', 'fees', 'disputes', 'disputeFees', 'adjustments', 'reserve', 'suspense', 'customerCredits', 'badDebt'];
const METADATA_SOURCES = ['charge', 'payment_intent', 'customer', 'invoice', 'product', 'object'];
const OBJECT_KINDS = ['charge', 'refund', 'dispute', 'invoice', 'credit_note', 'customer', 'balance_transaction'];
/** The fields whose condition is a list of values. */
const LIST_FIELDS = new Set(['objectKind', 'presentmentCurrency', 'product', 'price', 'paymentMethodType', 'cardBrand', 'customerCountry', 'balanceTransactionType', 'reportingCategory']);

function newCondition(field: string): Fields {
  if (LIST_FIELDS.has(field)) return { field, in: [] };
  if (field === 'metadata') return { field, on: 'charge', key: '', op: 'equals', value: '' };
  if (field === 'description') return { field, op: 'contains', value: '' };
  if (field === 'amount') return { field, atLeast: '0' };
  return { field, equals: true };
}

function newAction(action: string): Fields {
  switch (action) {
    case 'account':
      return { action, role: 'revenue', account: '' };
    case 'segment':
      return { action, roles: ['revenue'], segment: 2, from: { on: 'charge', key: '' }, values: {}, default: '00' };
    case 'comment':
      return { action, text: '' };
    case 'customer':
      return { action, custClassId: '' };
    case 'salesOrder':
      return { action, itemId: '' };
    default:
      return { action };
  }
}

/** "eur, usd" ↔ ["eur", "usd"]. */
const listText = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : '');
const textList = (text: string): string[] => text.split(',').map((part) => part.trim()).filter(Boolean);
/** "east=10, west=20" ↔ { east: "10", west: "20" }. */
const tableText = (value: unknown): string => Object.entries((value ?? {}) as Record<string, string>).map(([key, segment]) => `${key}=${segment}`).join(', ');
const textTable = (text: string): Record<string, string> =>
  Object.fromEntries(textList(text).map((pair) => pair.split('=').map((part) => part.trim()) as [string, string]).filter(([key, segment]) => key && segment !== undefined));
/** An optional text field: empty means absent, so the schema sees no key. */
function withOptional(fields: Fields, key: string, value: string): Fields {
  const next = { ...fields };
  if (value.trim() === '') delete next[key];
  else next[key] = value;
  return next;
}

function Suggestions({ id, values }: { id: string; values: readonly string[] }) {
  return (
    <datalist id={id}>
      {values.map((value) => <option key={value} value={value} />)}
    </datalist>
  );
}

interface PartProps {
  value: Fields;
  label: string;
  onChange: (value: Fields) => void;
  vocabulary: RuleVocabularyView | null;
}

function ConditionEditor({ value, label, onChange, vocabulary }: PartProps) {
  const field = String(value.field);
  const set = (key: string, next: unknown) => onChange({ ...value, [key]: next });
  const suggestions: Record<string, readonly string[]> = {
    objectKind: OBJECT_KINDS,
    presentmentCurrency: vocabulary?.currencies ?? [],
    product: vocabulary?.products ?? [],
    price: vocabulary?.prices ?? [],
    paymentMethodType: vocabulary?.paymentMethodTypes ?? [],
    cardBrand: vocabulary?.cardBrands ?? [],
    customerCountry: vocabulary?.countries ?? [],
    balanceTransactionType: vocabulary?.balanceTransactionTypes ?? [],
    reportingCategory: vocabulary?.reportingCategories ?? [],
  };
  return (
    <span className="row">
      <select aria-label={`${label}: field`} value={field} onChange={(event) => onChange(newCondition(event.target.value))}>
        {Object.entries(CONDITION_FIELDS).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
      </select>
      {LIST_FIELDS.has(field) ? (
        <>
          <input aria-label={`${label}: values, separated by commas`} list={`${label}-list`} value={listText(value.in)} onChange={(event) => set('in', textList(event.target.value))} />
          <Suggestions id={`${label}-list`} values={suggestions[field] ?? []} />
          {(suggestions[field] ?? []).length ? <span className="muted small">seen: {(suggestions[field] ?? []).slice(0, 6).join(', ')}</span> : null}
        </>
      ) : null}
      {field === 'metadata' ? (
        <>
          <select aria-label={`${label}: metadata of`} value={String(value.on)} onChange={(event) => set('on', event.target.value)}>
            {METADATA_SOURCES.map((source) => <option key={source} value={source}>{source}</option>)}
          </select>
          <input aria-label={`${label}: metadata key`} list={`${label}-keys`} value={String(value.key ?? '')} onChange={(event) => set('key', event.target.value)} />
          <Suggestions id={`${label}-keys`} values={[...new Set((vocabulary?.metadata ?? []).filter((entry) => entry.on === value.on).map((entry) => entry.key))]} />
          <select aria-label={`${label}: comparison`} value={String(value.op)} onChange={(event) => set('op', event.target.value)}>
            <option value="equals">equals</option>
            <option value="contains">contains</option>
            <option value="exists">is set</option>
          </select>
          {value.op !== 'exists' ? <input aria-label={`${label}: metadata value`} value={String(value.value ?? '')} onChange={(event) => set('value', event.target.value)} /> : null}
        </>
      ) : null}
      {field === 'description' ? (
        <>
          <select aria-label={`${label}: comparison`} value={String(value.op)} onChange={(event) => set('op', event.target.value)}>
            <option value="contains">contains</option>
            <option value="pattern">matches (* and ?)</option>
          </select>
          <input aria-label={`${label}: text`} value={String(value.value ?? '')} onChange={(event) => set('value', event.target.value)} />
        </>
      ) : null}
      {field === 'amount' ? (
        <>
          <input aria-label={`${label}: at least`} className="mono" value={String(value.atLeast ?? '')} onChange={(event) => onChange(withOptional(value, 'atLeast', event.target.value))} />
          <input aria-label={`${label}: below`} className="mono" value={String(value.below ?? '')} onChange={(event) => onChange(withOptional(value, 'below', event.target.value))} />
        </>
      ) : null}
      {field === 'livemode' ? (
        <select aria-label={`${label}: mode`} value={String(value.equals)} onChange={(event) => set('equals', event.target.value === 'true')}>
          <option value="true">live mode</option>
          <option value="false">test mode</option>
        </select>
      ) : null}
    </span>
  );
}

function ActionEditor({ value, label, onChange, vocabulary }: PartProps) {
  const action = String(value.action);
  const set = (key: string, next: unknown) => onChange({ ...value, [key]: next });
  const from = (value.from ?? { on: 'charge', key: '' }) as { on: string; key: string };
  return (
    <span className="row">
      <select aria-label={`${label}: action`} value={action} onChange={(event) => onChange(newAction(event.target.value))}>
        {Object.entries(ACTIONS).map(([key, name]) => <option key={key} value={key}>{name}</option>)}
      </select>
      {action === 'account' ? (
        <>
          <select aria-label={`${label}: instead of the mapping's account for`} value={String(value.role)} onChange={(event) => set('role', event.target.value)}>
            {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
          </select>
          <input aria-label={`${label}: GL account`} className="mono" list="rule-sage-accounts" value={String(value.account ?? '')} onChange={(event) => set('account', event.target.value)} />
        </>
      ) : null}
      {action === 'segment' ? (
        <>
          <input aria-label={`${label}: accounts (roles, separated by commas)`} value={listText(value.roles)} onChange={(event) => set('roles', textList(event.target.value))} />
          <input aria-label={`${label}: segment number`} type="number" min={1} max={10} value={Number(value.segment)} onChange={(event) => set('segment', Number(event.target.value))} />
          <select aria-label={`${label}: metadata of`} value={from.on} onChange={(event) => set('from', { ...from, on: event.target.value })}>
            {METADATA_SOURCES.map((source) => <option key={source} value={source}>{source}</option>)}
          </select>
          <input aria-label={`${label}: metadata key`} list={`${label}-keys`} value={from.key} onChange={(event) => set('from', { ...from, key: event.target.value })} />
          <Suggestions id={`${label}-keys`} values={[...new Set((vocabulary?.metadata ?? []).filter((entry) => entry.on === from.on).map((entry) => entry.key))]} />
          <input aria-label={`${label}: values (value=segment, separated by commas)`} value={tableText(value.values)} onChange={(event) => set('values', textTable(event.target.value))} />
          <input aria-label={`${label}: default segment`} className="mono" value={String(value.default ?? '')} onChange={(event) => set('default', event.target.value)} />
        </>
      ) : null}
      {action === 'comment' ? <input aria-label={`${label}: comment text`} value={String(value.text ?? '')} onChange={(event) => set('text', event.target.value)} /> : null}
      {action === 'skip' ? (
        <input aria-label={`${label}: park the net in (empty: suspense)`} className="mono" list="rule-sage-accounts" value={String(value.account ?? '')} onChange={(event) => onChange(withOptional(value, 'account', event.target.value))} />
      ) : null}
      {action === 'customer' ? (
        <>
          <input aria-label={`${label}: customer class`} list="rule-sage-classes" value={String(value.custClassId ?? '')} onChange={(event) => onChange(withOptional(value, 'custClassId', event.target.value))} />
          <input aria-label={`${label}: CustID prefix`} value={String(value.idPrefix ?? '')} onChange={(event) => onChange(withOptional(value, 'idPrefix', event.target.value))} />
        </>
      ) : null}
      {action === 'salesOrder' ? (
        <>
          <input aria-label={`${label}: item`} list="rule-sage-items" value={String(value.itemId ?? '')} onChange={(event) => onChange(withOptional(value, 'itemId', event.target.value))} />
          <input aria-label={`${label}: warehouse`} list="rule-sage-warehouses" value={String(value.warehouseId ?? '')} onChange={(event) => onChange(withOptional(value, 'warehouseId', event.target.value))} />
        </>
      ) : null}
    </span>
  );
}

/** The live count: how many of the recent Stripe objects the rule's conditions match. */
function MatchCount({ when }: { when: Fields[] }) {
  const [matches, setMatches] = useState<RuleMatchesView | null>(null);
  const key = JSON.stringify(when);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('ruleMatches', { when }).then((result) => current && setMatches(result), () => current && setMatches(null));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `key` is the conditions' content; a fresh array with the same content counts the same.
  }, [key]);
  if (!matches) return <p className="muted" aria-busy="true">Counting matches…</p>;
  if (matches.problems.length) return <p className="muted">Complete the conditions to count matches.</p>;
  return (
    <div aria-live="polite">
      <p className="rule-matches">Matches {matches.matched.toLocaleString('en-US')} of the last {countOf(matches.examined, 'object')}</p>
      {matches.examples.length ? (
        <ul className="list compact" aria-label="Examples">
          {matches.examples.map((example) => (
            <li key={example.objectId}><span className="mono">{example.objectId}</span> {example.description ?? example.kind.replace('_', ' ')}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function RulesEditor() {
  const saved = useRequest(() => call('getMapping', undefined), []);
  const vocabulary = useRequest(() => call('ruleVocabulary', undefined), []);
  const accounts = useRequest<SageAccountView[]>(() => call('listSageAccounts', { search: '' }), []);
  const references = useRequest<SageReferencesView>(() => call('listSageReferences', undefined), []);
  const [rules, setRules] = useState<RuleDraft[] | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [problems, setProblems] = useState<MappingProblem[]>([]);
  const [preview, setPreview] = useState<MappingPreview | null>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (saved.value && rules === null) setRules(((saved.value.mapping.rules ?? []) as RuleDraft[]).map((rule) => ({ ...rule, enabled: rule.enabled ?? true })));
  }, [saved.value, rules]);
  if (rules === null) return <section aria-labelledby="rules-heading"><h2 id="rules-heading">Rules</h2><ErrorMessage text={saved.error} /></section>;

  const change = (next: RuleDraft[]): void => {
    setRules(next);
    setPreview(null);
    setNotice('');
  };
  const update = (index: number, rule: RuleDraft): void => change(rules.map((current, at) => (at === index ? rule : current)));
  const move = (index: number, by: number): void => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule!);
    change(next);
    if (editing === index) setEditing(index + by);
  };
  const runPreview = (): void => {
    call('previewRules', { rules }).then((result) => {
      setProblems(result.problems);
      setPreview(result);
      setNotice(result.problems.length ? 'Fix the problems shown before saving.' : '');
    }, (failure: unknown) => setNotice(String(failure)));
  };
  const save = (): void => {
    call('saveRules', { rules }).then((result) => {
      setProblems(result.problems);
      if (result.problems.length) {
        setNotice('Not saved: fix the problems shown.');
        return;
      }
      setNotice(`Rules saved as mapping version ${result.version}. Documents not yet in Sage are prepared again with them.`);
    }, (failure: unknown) => setNotice(String(failure)));
  };
  const rule = editing === null ? null : rules[editing];
  const at = (index: number) => `Rule ${index + 1}`;
  return (
    <section aria-labelledby="rules-heading" className="stack">
      <h2 id="rules-heading">Rules</h2>
      <p className="muted">Send money to other accounts by conditions on the Stripe data. Rules are read top to bottom; for each account the first rule that matches wins.</p>
      <datalist id="rule-sage-accounts">
        {(accounts.value ?? []).map((account) => <option key={account.acctNo} value={account.acctNo}>{account.description}</option>)}
      </datalist>
      <Suggestions id="rule-sage-classes" values={references.value?.customerClasses ?? []} />
      <Suggestions id="rule-sage-items" values={references.value?.items ?? []} />
      <Suggestions id="rule-sage-warehouses" values={references.value?.warehouses ?? []} />
      <ol className="list compact" aria-label="Rules in order">
        {rules.map((entry, index) => (
          <li key={`${index}-${entry.name}`} className="row">
            <label>
              <input type="checkbox" checked={entry.enabled} onChange={(event) => update(index, { ...entry, enabled: event.target.checked })} /> {entry.name || '(no name)'}
            </label>
            <button type="button" aria-label={`Move ${entry.name || at(index)} up`} disabled={index === 0} onClick={() => move(index, -1)}>↑</button>
            <button type="button" aria-label={`Move ${entry.name || at(index)} down`} disabled={index === rules.length - 1} onClick={() => move(index, 1)}>↓</button>
            <button type="button" aria-label={`Edit ${entry.name || at(index)}`} onClick={() => setEditing(index)}>Edit</button>
            <button type="button" aria-label={`Remove ${entry.name || at(index)}`} onClick={() => { change(rules.filter((_, other) => other !== index)); setEditing(null); }}>Remove</button>
          </li>
        ))}
      </ol>
      <div className="row">
        <button type="button" onClick={() => { change([...rules, { name: '', enabled: true, when: [newCondition('objectKind')], then: [newAction('account')] }]); setEditing(rules.length); }}>Add rule</button>
      </div>
      {rule && editing !== null ? (
        <fieldset>
          <legend>{rule.name || at(editing)}</legend>
          <div className="field">
            <label htmlFor="rule-name">Rule name</label>
            <input id="rule-name" value={rule.name} onChange={(event) => update(editing, { ...rule, name: event.target.value })} />
          </div>
          <p>When all of these hold:</p>
          {rule.when.map((condition, index) => (
            <div key={index} className="row">
              <ConditionEditor value={condition} label={`Condition ${index + 1}`} vocabulary={vocabulary.value} onChange={(next) => update(editing, { ...rule, when: rule.when.map((old, other) => (other === index ? next : old)) })} />
              <button type="button" aria-label={`Remove condition ${index + 1}`} onClick={() => update(editing, { ...rule, when: rule.when.filter((_, other) => other !== index) })}>✕</button>
            </div>
          ))}
          <button type="button" onClick={() => update(editing, { ...rule, when: [...rule.when, newCondition('presentmentCurrency')] })}>Add condition</button>
          <p>Then:</p>
          {rule.then.map((action, index) => (
            <div key={index} className="row">
              <ActionEditor value={action} label={`Action ${index + 1}`} vocabulary={vocabulary.value} onChange={(next) => update(editing, { ...rule, then: rule.then.map((old, other) => (other === index ? next : old)) })} />
              <button type="button" aria-label={`Remove action ${index + 1}`} onClick={() => update(editing, { ...rule, then: rule.then.filter((_, other) => other !== index) })}>✕</button>
            </div>
          ))}
          <button type="button" onClick={() => update(editing, { ...rule, then: [...rule.then, newAction('comment')] })}>Add action</button>
          <MatchCount when={rule.when} />
        </fieldset>
      ) : null}
      <div className="row">
        <button type="button" onClick={runPreview}>Preview rule changes</button>
        <button type="button" className="primary" onClick={save}>Save rules</button>
      </div>
      <p className="notice" aria-live="polite">{notice}</p>
      {problems.length ? (
        <ul className="problems" aria-label="Rule problems">
          {problems.map((problem) => <li key={`${problem.path}:${problem.message}`} className="error-text">{problem.path.replace(/^rules\.(\d+)/, (_, index: string) => `Rule ${Number(index) + 1}`)}: {problem.message}</li>)}
        </ul>
      ) : null}
      {preview && preview.problems.length === 0 ? (
        <div className="stack" aria-label="Rule preview">
          <p>{countOf(preview.total, 'waiting document')} would change</p>
          <ul className="list compact">
            {preview.changes.slice(0, 10).map((entry) => (
              <li key={entry.docKey}>
                <span className="mono">{entry.stripeObjectId}</span>: {entry.before.map((line) => line.acctNo).join(' ')} → {entry.after ? entry.after.map((line) => line.acctNo).join(' ') : entry.note}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
