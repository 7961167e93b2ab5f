import { useState } from 'react';
import type { PreflightItem, SettingsView as Settings, SetupStep, StripeKeyCheck } from '../../../preload/contract.js';
import { call } from '../bridge.js';
import { ErrorMessage } from '../components/message.js';
import { ProfilesSection } from '../components/profiles-section.js';
import { useRequest } from '../use-request.js';
import { LeavingShadowMode, OpeningBalanceJournal } from './go-live-cutover.js';

const stepNames: Record<SetupStep, string> = {
  stripe: 'Stripe key',
  sage: 'SQL Server connection',
  company: 'Sage company',
  preflight: 'Sage checks',
  mapping: 'Account mapping',
  schedule: 'Schedule',
  goLive: 'Go-live date',
  mode: 'Shadow or live',
};

/** Steps the user chose to save without a passing test: named on every visit to Settings until tested. */
function UntestedSteps({ steps }: { steps: Settings['setupSteps'] }) {
  const untested = Object.entries(steps).filter(([, record]) => record?.result === 'untested') as [SetupStep, { at: string }][];
  if (untested.length === 0) return null;
  return (
    <div className="card attention-warning" role="group" aria-label="Saved untested">
      <p>Saved without a passing test (the sync may fail until they pass): {untested.map(([step]) => stepNames[step]).join(', ')}.</p>
      <p className="muted small">Run the setup again to test them.</p>
    </div>
  );
}

/** Where the app connects, how often it syncs, and the safety switches. */
export function SettingsView({ onOpenWizard }: { onOpenWizard: () => void }) {
  const settings = useRequest(() => call('getSettings', undefined), []);
  const [stripeCheck, setStripeCheck] = useState<StripeKeyCheck | null>(null);
  const [sageChecks, setSageChecks] = useState<PreflightItem[] | null>(null);
  const [notice, setNotice] = useState('');
  // The previewed documents as asked when the user unticked shadow mode: the choice shows these
  // counts, not the view's older copy, which a reload replaces only later.
  const [leavingShadow, setLeavingShadow] = useState<Settings['previewed']>(null);
  const update = (change: Parameters<typeof call<'saveSettings'>>[1]): void => {
    call('saveSettings', change).then(() => {
      setNotice('Saved.');
      settings.reload();
    }, (failure: unknown) => setNotice(String(failure)));
  };
  const value: Settings | null = settings.value;
  if (!value) return <div className="stack"><h1 tabIndex={-1}>Settings</h1><ErrorMessage text={settings.error} /><p aria-busy="true">Loading…</p></div>;
  return (
    <div className="stack">
      <h1 tabIndex={-1}>Settings</h1>
      <p className="notice" aria-live="polite">{notice}</p>
      <p className={value.credentialStore.fallbackReason ? 'card attention-warning' : 'muted'} role={value.credentialStore.fallbackReason ? 'status' : undefined}>
        Secrets are saved in {value.credentialStore.name}.
        {value.credentialStore.fallbackReason ? ` Windows Credential Manager is not used: ${value.credentialStore.fallbackReason}.` : ''}
      </p>
      {value.demo ? (
        <div className="card" role="group" aria-label="Leave the demo">
          <p>You are trying the demo. Set up your own Stripe account and Sage 500 company when you are ready: the demo's records are kept aside (not mixed with yours), and your schedule, mapping and preferences carry over.</p>
          <button type="button" className="primary" onClick={onOpenWizard}>Leave the demo: set up my own Stripe and Sage</button>
        </div>
      ) : (
        <div className="row">
          <button type="button" onClick={onOpenWizard}>Change the Stripe key, SQL Server or company (run the setup again)</button>
        </div>
      )}
      <UntestedSteps steps={value.setupSteps} />
      <ProfilesSection onSwitched={settings.reload} />
      <fieldset>
        <legend>Stripe</legend>
        <p className="muted">Key: {value.stripe.keySet ? `saved (${value.stripe.keyMode ?? 'unknown'} mode)` : 'not set'}</p>
        <button type="button" onClick={() => call('testStripeKey', undefined).then(setStripeCheck, (failure: unknown) => setNotice(String(failure)))}>Test Stripe key</button>
        {stripeCheck ? <p aria-live="polite">{stripeCheck.ok ? `Connected to ${stripeCheck.accountName ?? 'Stripe'}${stripeCheck.livemode ? ' (live)' : ' (test)'}` : stripeCheck.message}</p> : null}
      </fieldset>
      <fieldset>
        <legend>Sage 500</legend>
        <p className="muted">
          {value.sage.kind === 'sandbox'
            ? `Sandbox file ${value.sage.sandboxPath ?? ''}`
            : `${value.sage.server ?? '—'}${value.sage.port ? `, port ${value.sage.port}` : ''} / ${value.sage.database ?? '—'} as ${value.sage.authentication === 'windows' ? `${value.sage.domain ?? ''}\\` : ''}${value.sage.user ?? '—'}`}{' '}
          · company {value.sage.companyId ?? '—'}
        </p>
        {value.sage.kind === 'mssql' ? (
          <p className="muted small">
            Password {value.sage.passwordSet ? 'saved' : 'not set'} · connection {value.sage.encrypt ? 'encrypted' : 'not encrypted'}
            {value.sage.trustServerCertificate ? ', server certificate trusted without checking' : ''}
          </p>
        ) : null}
        <button type="button" onClick={() => call('testSage', undefined).then((result) => setSageChecks(result.checks), (failure: unknown) => setNotice(String(failure)))}>Test Sage</button>
        {sageChecks ? (
          <ul className="list compact" aria-label="Sage checks">
            {sageChecks.map((check) => <li key={check.id}>{check.passed ? '✔' : '✖'} {check.label}: {check.detail}{check.fix ? ` ${check.fix}` : ''}</li>)}
          </ul>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Schedule and safety</legend>
        <label>
          Sync every (minutes)
          <input type="number" min={1} max={1440} defaultValue={value.schedule.pollIntervalMinutes} onBlur={(event) => update({ schedule: { pollIntervalMinutes: Number(event.target.value) } })} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={value.shadowMode}
            onChange={(event) => {
              if (event.target.checked) update({ shadowMode: true });
              // Asked fresh: documents may have been previewed since this view opened.
              else
                call('getSettings', undefined).then((fresh) => {
                  if ((fresh.previewed?.count ?? 0) === 0) return update({ shadowMode: false });
                  setLeavingShadow(fresh.previewed);
                  settings.reload();
                }, (failure: unknown) => setNotice(String(failure)));
            }}
          />
          Shadow mode (preview documents, write nothing to Sage)
        </label>
        {leavingShadow ? (
          <LeavingShadowMode
            previewed={leavingShadow}
            goLiveDate={value.goLiveDate}
            onChoose={(choice) => { setLeavingShadow(null); update({ shadowMode: false, previewed: choice }); }}
            onStay={() => setLeavingShadow(null)}
          />
        ) : null}
        <label className="check">
          <input type="checkbox" checked={value.notifications} onChange={(event) => update({ notifications: event.target.checked })} />
          Show notifications
        </label>
        <label className="check">
          <input type="checkbox" checked={value.startAtLogin} onChange={(event) => update({ startAtLogin: event.target.checked })} />
          Start when I sign in to Windows
        </label>
      </fieldset>
      <fieldset>
        <legend>Going live</legend>
        <label>
          Go-live date (Stripe activity before it is never written to Sage)
          <input type="date" defaultValue={value.goLiveDate ?? ''} onBlur={(event) => update({ goLiveDate: event.target.value || null })} />
        </label>
        <label>
          Read Stripe history from (first run; empty: the last 90 days)
          <input type="date" defaultValue={value.historyFrom ?? ''} onBlur={(event) => update({ historyFrom: event.target.value || null })} />
        </label>
        {!value.shadowMode && value.goLiveDate ? <OpeningBalanceJournal refreshKey={value.goLiveDate} /> : null}
      </fieldset>
      <div className="row">
        <button type="button" onClick={() => call('copyDiagnostics', undefined).then(({ text }) => navigator.clipboard.writeText(text)).then(() => setNotice('Diagnostics copied.'), (failure: unknown) => setNotice(String(failure)))}>Copy diagnostics</button>
        <button type="button" onClick={() => call('openLogsFolder', undefined).then(({ opened }) => setNotice(opened ? 'Logs folder opened.' : 'The logs folder can only be opened from the tray app.'), (failure: unknown) => setNotice(String(failure)))}>Open logs folder</button>
      </div>
    </div>
  );
}
