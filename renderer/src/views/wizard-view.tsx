import { useEffect, useRef, useState, type ReactNode } from 'react';
import type {
  PreflightItem,
  SageConnectionProbeView,
  SageTargetInput,
  SetupAccountView,
  SetupProblem,
  SetupStateView,
  SetupStep,
  StripeKeyProbeView,
} from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { fieldLabelOf } from './mapping-view.js';

const steps: { id: SetupStep; title: string }[] = [
  { id: 'stripe', title: 'Stripe key' },
  { id: 'sage', title: 'SQL Server' },
  { id: 'company', title: 'Sage company' },
  { id: 'preflight', title: 'Sage checks' },
  { id: 'mapping', title: 'Account mapping' },
  { id: 'schedule', title: 'Schedule' },
  { id: 'goLive', title: 'Go-live date' },
  { id: 'mode', title: 'Shadow or live' },
];

type MssqlInput = Extract<SageTargetInput, { kind: 'mssql' }>;

const blankServer: MssqlInput = { kind: 'mssql', server: '', port: null, database: '', authentication: 'sql', user: '', domain: null, encrypt: true, trustServerCertificate: false };

/** What the last test of the current step said. */
interface Verdict {
  passed: boolean;
  problem: SetupProblem | null;
  details?: ReactNode;
}

function ProblemCard({ verdict }: { verdict: Verdict | null }) {
  if (!verdict || verdict.passed) return verdict?.details ? <div className="card">{verdict.details}</div> : null;
  return (
    <div className="card attention-error" role="alert" aria-label="Test failed">
      {verdict.problem ? (
        <>
          <p><strong>{verdict.problem.title}</strong></p>
          <p>{verdict.problem.detail}</p>
          <p>What to do: {verdict.problem.fix}</p>
        </>
      ) : null}
      {verdict.details}
    </div>
  );
}

function CheckList({ checks }: { checks: PreflightItem[] }) {
  return (
    <ul className="list compact" aria-label="Sage checks">
      {checks.map((check) => (
        <li key={check.id}>
          {check.passed ? '✔' : '✖'} {check.label}: {check.detail}
          {!check.passed && check.fix ? <span className="muted"> What to do: {check.fix}</span> : null}
        </li>
      ))}
    </ul>
  );
}

const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Setup: every step is tested for real before the next one (the Stripe key against Stripe, the
 * SQL Server connection, the company in tsmCompany, Sage's checks, the accounts against the
 * Sage chart), then schedule, go-live date and shadow or live. A step whose test fails can be
 * saved untested only on purpose, and Settings labels it. Secrets go to main once and are
 * never shown again.
 */
export function WizardView({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const [setup, setSetup] = useState<SetupStateView | null>(null);
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [stripeKey, setStripeKey] = useState('');
  const [target, setTarget] = useState<SageTargetInput>(blankServer);
  const [password, setPassword] = useState('');
  const [companies, setCompanies] = useState<SageConnectionProbeView['companies']>([]);
  const [companyId, setCompanyId] = useState('');
  const [accounts, setAccounts] = useState<SetupAccountView[]>([]);
  const [chart, setChart] = useState<{ acctNo: string; description: string }[]>([]);
  const [pollIntervalMinutes, setPollInterval] = useState(5);
  const [goLiveDate, setGoLiveDate] = useState(today());
  const [historyFrom, setHistoryFrom] = useState('');
  const [shadowMode, setShadowMode] = useState(true);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    call('getSetup', undefined).then((state) => {
      setSetup(state);
      if (state.sage) setTarget(state.sage);
      setCompanyId(state.companyId ?? '');
      setAccounts(state.accounts);
      setPollInterval(state.pollIntervalMinutes);
      setGoLiveDate(state.goLiveDate ?? today());
      setHistoryFrom(state.historyFrom ?? '');
      setShadowMode(state.shadowMode);
    }, (failure: unknown) => setError(String(failure instanceof Error ? failure.message : failure)));
  }, []);
  useEffect(() => heading.current?.focus(), [step]);
  useEffect(() => {
    if (steps[step]?.id !== 'mapping') return;
    call('setupListAccounts', { search: '' }).then(setChart, () => setChart([]));
  }, [step]);

  const current = steps[step]!;
  const settled = (id: SetupStep) => setup?.steps[id];
  const advance = (): void => {
    setVerdict(null);
    setStep(step + 1);
  };
  const record = (id: SetupStep, passed: boolean): void => {
    if (!setup) return;
    setSetup({ ...setup, steps: { ...setup.steps, [id]: { result: passed ? 'passed' : 'untested', at: new Date().toISOString() } } });
  };
  /** Runs a step's test; moves on when it passed, or when it was saved untested on purpose. */
  const test = async <R extends { passed: boolean; saved: boolean }>(request: () => Promise<R>, toVerdict: (result: R) => Verdict): Promise<R | null> => {
    setBusy(true);
    setError(null);
    try {
      const result = await request();
      setVerdict(toVerdict(result));
      if (result.saved) {
        record(current.id, result.passed);
        if (result.passed) setStep(step + 1);
        else advance();
      }
      return result;
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      return null;
    } finally {
      setBusy(false);
    }
  };
  const stripeVerdict = (result: StripeKeyProbeView): Verdict => ({
    passed: result.passed,
    problem: result.problem,
    details:
      result.missingPermissions.length > 0 ? (
        <ul className="list compact" aria-label="Missing permissions">
          {result.missingPermissions.map((missing) => <li key={missing.endpoint}>{missing.resource}: Read ({missing.endpoint} was refused)</li>)}
        </ul>
      ) : result.passed ? (
        <p role="status">
          Connected to {result.accountName ?? 'your Stripe account'} with a {result.mode} {result.restricted ? 'restricted' : 'secret'} key.
          {result.warnings.map((warning) => ` ${warning}`)}
        </p>
      ) : null,
  });

  const runStep = (saveUntested: boolean): void => {
    switch (current.id) {
      case 'stripe':
        void test(() => call('setupStripeKey', { key: stripeKey, saveUntested }), stripeVerdict).then((result) => {
          // The key has gone to main; the field forgets it once it is saved.
          if (result?.saved) setStripeKey('');
        });
        return;
      case 'sage':
        void test(
          () => call('setupSage', { target, ...(password ? { password } : {}), saveUntested }),
          (result) => ({ passed: result.passed, problem: result.problem, details: result.passed ? <p role="status">Connected: {result.companies.length} Sage {result.companies.length === 1 ? 'company' : 'companies'} found.</p> : null }),
        ).then((result) => {
          if (!result?.saved) return;
          setPassword('');
          setCompanies(result.companies);
          if (result.companies[0] && !result.companies.some((company) => company.companyId === companyId)) setCompanyId(result.companies[0].companyId);
        });
        return;
      case 'company':
        void test(() => call('setupCompany', { companyId, saveUntested }), (result) => ({ passed: result.passed, problem: null, details: <CheckList checks={result.checks} /> }));
        return;
      case 'preflight':
        void test(() => call('setupPreflight', { saveUntested }), (result) => ({ passed: result.passed, problem: null, details: <CheckList checks={result.checks} /> }));
        return;
      case 'mapping':
        void test(
          () => call('setupMapping', { accounts: Object.fromEntries(accounts.map((account) => [account.path, account.acctNo])), saveUntested }),
          (result) => {
            setAccounts(result.accounts);
            const wrong = result.accounts.filter((account) => account.problem);
            return {
              passed: result.passed,
              problem: null,
              details: wrong.length > 0 ? <ul className="list compact" aria-label="Account problems">{wrong.map((account) => <li key={account.path}>{fieldLabelOf(account.path)} ({account.acctNo}): {account.problem}</li>)}</ul> : null,
            };
          },
        );
        return;
      case 'schedule':
      case 'goLive':
        advance();
        return;
      case 'mode':
        setBusy(true);
        setError(null);
        call('setupFinish', { pollIntervalMinutes, goLiveDate: goLiveDate || null, historyFrom: historyFrom || null, shadowMode }).then(onDone, (failure: unknown) => {
          setError(failure instanceof Error ? failure.message : String(failure));
          setBusy(false);
        });
    }
  };

  const tested = ['stripe', 'sage', 'company', 'preflight', 'mapping'].includes(current.id);
  const last = step === steps.length - 1;
  const showDemo = !setup || !setup.configured || setup.demo;
  const mssql = target.kind === 'mssql' ? target : null;
  const setServer = (change: Partial<MssqlInput>): void => setTarget({ ...(mssql ?? blankServer), ...change });

  return (
    <div className="stack wizard">
      <h1 ref={heading} tabIndex={-1}>{setup?.demo ? 'Leave the demo: set up your own Stripe and Sage' : 'Set up Stripe Sync'}</h1>
      <p className="muted">Step {step + 1} of {steps.length}: {current.title}</p>
      <ol className="setup-steps" aria-label="Setup steps">
        {steps.map((item) => {
          const record = settled(item.id);
          return (
            <li key={item.id} aria-current={item.id === current.id ? 'step' : undefined}>
              {item.title}
              {record ? <span className={record.result === 'passed' ? 'muted' : 'untested'}> — {record.result === 'passed' ? 'tested' : 'saved untested'}</span> : null}
            </li>
          );
        })}
      </ol>
      {showDemo && !setup?.demo ? (
        <>
          <button type="button" className="primary" disabled={busy} onClick={() => call('startDemo', undefined).then(onDone, (failure: unknown) => setError(String(failure instanceof Error ? failure.message : failure)))}>
            Try with demo data
          </button>
          <p className="muted small">The demo uses a built-in Stripe simulator and a practice Sage company: nothing real is touched.</p>
        </>
      ) : null}
      <ErrorMessage text={error} />
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          runStep(false);
        }}
      >
        {current.id === 'stripe' && (
          <>
            <label>
              Stripe restricted key (rk_live_… or rk_test_…)
              <input type="password" autoComplete="off" required={!setup?.stripeKeySet} value={stripeKey} onChange={(event) => setStripeKey(event.target.value)} />
            </label>
            <p className="muted small">
              Create it in the Stripe Dashboard under Developers → API keys, with Read on Events, Balance, Balance transaction sources, Charges, Refunds, Disputes, Payouts, Customers, Invoices and Credit notes. It is tested, then saved in the credential store; this window never shows it again.
            </p>
          </>
        )}
        {current.id === 'sage' && (
          <>
            <fieldset>
              <legend>Where is Sage 500?</legend>
              <label className="check"><input type="radio" name="sage-kind" checked={target.kind === 'mssql'} onChange={() => setTarget(mssql ?? blankServer)} /> On SQL Server (your Sage 500 database)</label>
              <label className="check"><input type="radio" name="sage-kind" checked={target.kind === 'sandbox'} onChange={() => setTarget({ kind: 'sandbox', sandboxPath: '' })} /> A practice sandbox file (for trying it out)</label>
            </fieldset>
            {target.kind === 'sandbox' ? (
              <label>Sandbox file<input required value={target.sandboxPath} onChange={(event) => setTarget({ kind: 'sandbox', sandboxPath: event.target.value })} /></label>
            ) : (
              <>
                <label>SQL Server (server or server\instance)<input required value={target.server} onChange={(event) => setServer({ server: event.target.value })} /></label>
                <label>Port (empty: 1433, or found by the instance name)<input type="number" min={1} max={65535} value={target.port ?? ''} onChange={(event) => setServer({ port: event.target.value ? Number(event.target.value) : null })} /></label>
                <label>Sage database<input required value={target.database} onChange={(event) => setServer({ database: event.target.value })} /></label>
                <fieldset>
                  <legend>Sign in with</legend>
                  <label className="check"><input type="radio" name="auth" checked={target.authentication === 'sql'} onChange={() => setServer({ authentication: 'sql', domain: null })} /> A SQL Server login</label>
                  <label className="check"><input type="radio" name="auth" checked={target.authentication === 'windows'} onChange={() => setServer({ authentication: 'windows' })} /> A Windows account (domain, user and password)</label>
                  <p className="muted small">A Windows account signs in with its password (NTLM). Signing in as the Windows user running this app without a password is not available: the SQL Server driver the app uses cannot do it (docs/sage-setup.md).</p>
                </fieldset>
                {target.authentication === 'windows' ? <label>Windows domain<input required value={target.domain ?? ''} onChange={(event) => setServer({ domain: event.target.value || null })} /></label> : null}
                <label>User<input required value={target.user} onChange={(event) => setServer({ user: event.target.value })} /></label>
                <label>
                  Password{setup?.passwordSet ? ' (saved; leave empty to keep it)' : ''}
                  <input type="password" autoComplete="off" value={password} onChange={(event) => setPassword(event.target.value)} />
                </label>
                <label className="check"><input type="checkbox" checked={target.encrypt} onChange={(event) => setServer({ encrypt: event.target.checked })} /> Encrypt the connection</label>
                <label className="check">
                  <input type="checkbox" checked={target.trustServerCertificate} onChange={(event) => setServer({ trustServerCertificate: event.target.checked })} /> Trust the server certificate (for a self-signed certificate on your own office server)
                </label>
              </>
            )}
          </>
        )}
        {current.id === 'company' &&
          (companies.length > 0 ? (
            <label>
              Sage company
              <select value={companyId} onChange={(event) => setCompanyId(event.target.value)}>
                {companies.map((company) => <option key={company.companyId} value={company.companyId}>{company.companyId} — {company.name}</option>)}
              </select>
            </label>
          ) : (
            <label>Sage company ID (3 letters)<input required maxLength={3} value={companyId} onChange={(event) => setCompanyId(event.target.value.toUpperCase())} /></label>
          ))}
        {current.id === 'preflight' && <p>Checks the Sage company the way the sync will use it: the tables and procedures the writer needs, the modules, the integration user, the fiscal period, the permissions.</p>}
        {current.id === 'mapping' && (
          <>
            <p>Pick the Sage GL account for each kind of Stripe money: type part of its number or name to see the matching accounts of your Sage chart. Each is checked against the chart.</p>
            <datalist id="sage-chart">{chart.map((account) => <option key={account.acctNo} value={account.acctNo}>{account.description}</option>)}</datalist>
            {accounts.map((account, index) => (
              <label key={account.path}>
                {fieldLabelOf(account.path)}
                <input
                  list="sage-chart"
                  required
                  value={account.acctNo}
                  aria-invalid={account.problem ? true : undefined}
                  onChange={(event) => {
                    const typed = event.target.value;
                    setAccounts(accounts.map((other, at) => (at === index ? { ...other, acctNo: typed, problem: null } : other)));
                    // The list offers the chart's accounts matching what is typed (number or name), not only the first ones.
                    call('setupListAccounts', { search: typed }).then(setChart, () => undefined);
                  }}
                />
              </label>
            ))}
          </>
        )}
        {current.id === 'schedule' && (
          <label>Sync every (minutes)<input type="number" min={1} max={1440} required value={pollIntervalMinutes} onChange={(event) => setPollInterval(Number(event.target.value))} /></label>
        )}
        {current.id === 'goLive' && (
          <>
            <label>
              Go-live date: Stripe activity before it is never written to Sage (it was keyed by hand)
              <input type="date" required value={goLiveDate} onChange={(event) => setGoLiveDate(event.target.value)} />
            </label>
            <label>
              Read Stripe history from (empty: the last 90 days); history before the go-live date is read for the balance proof, not written
              <input type="date" value={historyFrom} max={goLiveDate || undefined} onChange={(event) => setHistoryFrom(event.target.value)} />
            </label>
          </>
        )}
        {current.id === 'mode' && (
          <fieldset>
            <legend>How to start</legend>
            <label className="check"><input type="radio" name="mode" checked={shadowMode} onChange={() => setShadowMode(true)} /> Shadow: show what would be written, write nothing (recommended)</label>
            <label className="check"><input type="radio" name="mode" checked={!shadowMode} onChange={() => setShadowMode(false)} /> Live: write pending batches to Sage from the go-live date</label>
          </fieldset>
        )}
        <ProblemCard verdict={verdict} />
        <div className="row">
          <button type="button" disabled={step === 0 || busy} onClick={() => { setVerdict(null); setStep(step - 1); }}>Back</button>
          <button type="submit" className="primary" disabled={busy}>{last ? 'Finish' : tested ? 'Test and continue' : 'Next'}</button>
          {tested && settled(current.id) && !verdict ? <button type="button" disabled={busy} onClick={advance}>Keep as saved</button> : null}
          {tested && verdict && !verdict.passed ? <button type="button" disabled={busy} onClick={() => runStep(true)}>Save untested and continue</button> : null}
          {onCancel ? <button type="button" disabled={busy} onClick={onCancel}>Cancel</button> : null}
        </div>
        {tested && verdict && !verdict.passed ? <p className="muted small">Saving untested is recorded and shown in Settings; the sync may fail until the test passes.</p> : null}
      </form>
    </div>
  );
}
