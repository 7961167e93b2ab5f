import { useEffect, useRef, useState } from 'react';
import type { StatusSnapshot, ViewId } from '../../preload/contract.js';
import { call, subscribe } from './bridge.js';
import { Tabs, type TabItem } from './components/tabs.js';
import { ErrorMessage } from './components/message.js';
import { DashboardView, notInSage } from './views/dashboard-view.js';
import { ActivityView } from './views/activity-view.js';
import { ErrorsView } from './views/errors-view.js';
import { PayoutsView } from './views/payouts-view.js';
import { ArPaymentsView } from './views/ar-payments-view.js';
import { MappingView } from './views/mapping-view.js';
import { SettingsView } from './views/settings-view.js';
import { WizardView } from './views/wizard-view.js';
import { ConnectionBanner } from './components/connection-banner.js';
import { ProfileBar } from './components/profile-bar.js';
import { WizardProfileExit } from './components/profiles-section.js';

/** The tray window: the setup wizard until configured, then the tabbed views. */
export function App() {
  const [status, setStatus] = useState<StatusSnapshot | null>(null);
  const [view, setView] = useState<ViewId>('dashboard');
  const [error, setError] = useState<string | null>(null);
  // Settings can reopen the setup wizard (to change the connection, or to leave the demo).
  const [wizardOpen, setWizardOpen] = useState(false);
  // Bumped when a view opens from anywhere but its own tab, so focus lands on the new view's heading.
  const [headingFocus, setHeadingFocus] = useState(0);
  const panel = useRef<HTMLElement>(null);

  const goTo = (target: ViewId): void => {
    setView(target);
    setHeadingFocus((count) => count + 1);
  };

  useEffect(() => {
    // Snapshot first, then live updates: the order the contract asks for.
    let active = true;
    call('getStatus', undefined).then(
      (snapshot) => active && setStatus(snapshot),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    const stopStatus = subscribe('status', (snapshot) => setStatus(snapshot));
    const stopNavigate = subscribe('navigate', ({ view: target }) => goTo(target));
    return () => {
      active = false;
      stopStatus();
      stopNavigate();
    };
  }, []);

  useEffect(() => {
    if (headingFocus > 0) panel.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [headingFocus]);

  if (!status) return <main className="app"><ErrorMessage text={error} />{error ? null : <p aria-busy="true">Loading…</p>}</main>;
  if (!status.configured || wizardOpen) {
    const finishWizard = (): void => {
      call('getStatus', undefined).then((snapshot) => {
        setStatus(snapshot);
        setWizardOpen(false);
        goTo('dashboard');
      }, () => undefined);
    };
    return (
      <main className="app">
        <ProfileBar status={status} />
        {status.configured ? null : <WizardProfileExit />}
        <WizardView onDone={finishWizard} onCancel={status.configured ? () => { setWizardOpen(false); goTo('settings'); } : undefined} />
      </main>
    );
  }

  const tabs: TabItem<ViewId>[] = [
    { id: 'dashboard', label: 'Home', icon: 'home' },
    { id: 'activity', label: 'Activity', icon: 'activity' },
    { id: 'errors', label: 'Errors', icon: 'errors', badge: notInSage(status) },
    { id: 'payouts', label: 'Payouts', icon: 'payouts' },
    { id: 'ar-payments', label: 'AR', icon: 'receipts' },
    { id: 'mapping', label: 'Mapping', icon: 'mapping' },
    { id: 'settings', label: 'Settings', icon: 'settings' },
  ];
  return (
    <main className="app">
      <ProfileBar status={status} />
      <ConnectionBanner status={status} onNavigate={goTo} />
      <Tabs items={tabs} selected={view} onSelect={setView} />
      <section ref={panel} role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`} className="panel" tabIndex={-1}>
        {view === 'dashboard' && <DashboardView status={status} onNavigate={goTo} />}
        {view === 'activity' && <ActivityView status={status} />}
        {view === 'errors' && <ErrorsView status={status} onNavigate={goTo} />}
        {view === 'payouts' && <PayoutsView status={status} />}
        {view === 'ar-payments' && <ArPaymentsView />}
        {view === 'mapping' && <MappingView onNavigate={goTo} />}
        {view === 'settings' && <SettingsView onOpenWizard={() => setWizardOpen(true)} />}
      </section>
    </main>
  );
}
