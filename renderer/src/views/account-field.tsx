import { useRef, useState } from 'react';
import type { MappingProblem } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { useRequest } from '../use-request.js';
import { AccountFinder } from './account-finder.js';

const unmasked = (acctNo: string): string => acctNo.replace(/[^0-9a-z]/gi, '').toLowerCase();

/** What the Sage chart says about the account typed in: its name and type, or why it does not fit. */
function AccountFacts({ id, setting, acctNo }: { id: string; setting: string; acctNo: string }) {
  const found = useRequest(() => (acctNo.trim() ? call('listSageAccounts', { search: acctNo, setting }) : Promise.resolve([])), [acctNo, setting]);
  // Always rendered: the input's aria-describedby points at it.
  if (!found.value || !acctNo.trim()) return <span id={id} className="small" />;
  const account = found.value.find((candidate) => unmasked(candidate.acctNo) === unmasked(acctNo));
  if (!account) return <span id={id} className="muted small">Not in the Sage chart.</span>;
  return (
    <span id={id} className="small">
      <span className="muted">{account.description} · {account.type?.name ?? 'type unknown'}</span>
      {account.unsuitable ? <span className="error-text"> Wrong type: {account.unsuitable}.</span> : null}
    </span>
  );
}

export interface AccountFieldProps {
  /** The mapping path ("accounts.fees.stripe_fee"): the field's id and the type it needs. */
  path: string;
  label: string;
  value: string;
  problems: MappingProblem[];
  onChange: (value: string) => void;
}

/** One account setting: the number, what Sage calls it and its type, and a finder. */
export function AccountField({ path, label, value, problems, onChange }: AccountFieldProps) {
  const [finding, setFinding] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const problem = problems.find((candidate) => candidate.path === path);
  const id = `field-${path}`;
  const described = [`${id}-facts`, problem ? `${id}-problem` : null].filter(Boolean).join(' ');
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
          aria-describedby={described}
          onChange={(event) => onChange(event.target.value)}
        />
        <button type="button" aria-expanded={finding} aria-controls={`${id}-finder`} aria-label={`Find a Sage account for ${label}`} onClick={() => setFinding(!finding)}>
          Find…
        </button>
      </span>
      <AccountFacts id={`${id}-facts`} setting={path} acctNo={value} />
      {problem ? <span id={`${id}-problem`} className="error-text small">{problem.message}</span> : null}
      {finding ? (
        <AccountFinder
          id={`${id}-finder`}
          setting={path}
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
