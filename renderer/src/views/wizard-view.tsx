import { useEffect, useRef, useState } from 'react';
import { DEFAULT_POLL_INTERVAL_MINUTES, DEFAULT_SAGE_COMPANY_ID } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';

const steps = ['Stripe key', 'SQL Server', 'Sage company', 'Account mapping', 'Schedule', 'Shadow or live'] as const;

interface WizardAnswers {
  stripeKey: string;
  server: string;
  database: string;
  user: string;
  password: string;
  companyId: string;
  pollIntervalMinutes: number;
  shadowMode: boolean;
}

/**
 * First run: Stripe key → SQL Server → company → mapping → schedule → shadow or live. Each
 * step is one small form; "Try with demo data" skips all of it for the built-in demo.
 */
export function WizardView({ onDone }: { onDone: () => void }) {
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<WizardAnswers>({ stripeKey: '', server: '', database: '', user: '', password: '', companyId: DEFAULT_SAGE_COMPANY_ID, pollIntervalMinutes: DEFAULT_POLL_INTERVAL_MINUTES, shadowMode: true });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);
  const set = <K extends keyof WizardAnswers>(key: K, value: WizardAnswers[K]): void => setAnswers({ ...answers, [key]: value });
  const act = (work: () => Promise<unknown>, after: () => void): void => {
    setBusy(true);
    setError(null);
    work().then(after, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure))).finally(() => setBusy(false));
  };
  const finish = async (): Promise<void> => {
    await call('setSecret', { name: 'stripeApiKey', value: answers.stripeKey });
    if (answers.password) await call('setSecret', { name: 'sqlPassword', value: answers.password });
    await call('saveSettings', {
      sage: { kind: 'mssql', server: answers.server, database: answers.database, user: answers.user, companyId: answers.companyId },
      schedule: { pollIntervalMinutes: answers.pollIntervalMinutes },
      shadowMode: answers.shadowMode,
    });
  };
  const last = step === steps.length - 1;
  return (
    <div className="stack wizard">
      <h1 ref={heading} tabIndex={-1}>Set up Stripe Sync</h1>
      <p className="muted">Step {step + 1} of {steps.length}: {steps[step]}</p>
      <button type="button" className="primary" disabled={busy} onClick={() => act(() => call('startDemo', undefined), onDone)}>
        Try with demo data
      </button>
      <p className="muted small">The demo uses a built-in Stripe simulator and a practice Sage company: nothing real is touched.</p>
      <ErrorMessage text={error} />
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          if (last) act(finish, onDone);
          else setStep(step + 1);
        }}
      >
        {step === 0 && (
          <label>
            Stripe restricted key (rk_live_… or rk_test_…)
            <input type="password" autoComplete="off" required value={answers.stripeKey} onChange={(event) => set('stripeKey', event.target.value)} />
          </label>
        )}
        {step === 1 && (
          <>
            <label>SQL Server (server\instance)<input required value={answers.server} onChange={(event) => set('server', event.target.value)} /></label>
            <label>Sage database<input required value={answers.database} onChange={(event) => set('database', event.target.value)} /></label>
            <label>SQL user<input required value={answers.user} onChange={(event) => set('user', event.target.value)} /></label>
            <label>Password<input type="password" autoComplete="off" value={answers.password} onChange={(event) => set('password', event.target.value)} /></label>
          </>
        )}
        {step === 2 && (
          <label>Sage company ID (3 letters)<input required maxLength={3} value={answers.companyId} onChange={(event) => set('companyId', event.target.value.toUpperCase())} /></label>
        )}
        {step === 3 && <p>The standard account mapping is used to start. After setup, check it in the Mapping tab: every account is tested against your Sage chart before anything is written.</p>}
        {step === 4 && (
          <label>Sync every (minutes)<input type="number" min={1} max={1440} value={answers.pollIntervalMinutes} onChange={(event) => set('pollIntervalMinutes', Number(event.target.value))} /></label>
        )}
        {step === 5 && (
          <fieldset>
            <legend>How to start</legend>
            <label className="check"><input type="radio" name="mode" checked={answers.shadowMode} onChange={() => set('shadowMode', true)} /> Shadow: show what would be written, write nothing (recommended)</label>
            <label className="check"><input type="radio" name="mode" checked={!answers.shadowMode} onChange={() => set('shadowMode', false)} /> Live: write pending batches to Sage</label>
          </fieldset>
        )}
        <div className="row">
          <button type="button" disabled={step === 0 || busy} onClick={() => setStep(step - 1)}>Back</button>
          <button type="submit" className="primary" disabled={busy}>{last ? 'Finish' : 'Next'}</button>
        </div>
      </form>
    </div>
  );
}
